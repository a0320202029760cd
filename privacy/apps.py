from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data protection")

    def ready(self):
        from privacy.crypto import _blind_index_key, keyring_from_settings

        # A bad key setting stops start-up with a message, never a 500 on first read
        # (or on the first registration, for the blind-index key).
        keyring_from_settings()
        _blind_index_key()
