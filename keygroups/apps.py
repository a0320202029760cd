from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeygroupsConfig(AppConfig):
    name = "keygroups"
    verbose_name = _("Key groups")
