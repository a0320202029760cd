from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data protection")

    def ready(self):
        from privacy.crypto import keyring_from_settings

        # A bad key setting stops start-up with a message, never a 500 on first read.
        keyring_from_settings()
