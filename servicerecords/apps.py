from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicerecordsConfig(AppConfig):
    name = "servicerecords"
    verbose_name = _("Service records")
