"""Where an incoming item came from (§5.3.1 information collection)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IntakeChannel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    TOWNSHIP_COLLECTION = "township_collection", _("Township collection")
    EMPLOYER_SELF_SERVICE = "employer_self_service", _("Employer self-service")
    JOB_FAIR = "job_fair", _("Job fair")
    REGIONAL_PLATFORM = "regional_platform", _("Regional platform")
