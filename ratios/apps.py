from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatiosConfig(AppConfig):
    name = "ratios"
    verbose_name = _("Service ratios")
