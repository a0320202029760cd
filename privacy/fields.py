"""Model fields whose values are encrypted at rest (SPEC §7)."""

from django.db import models

from privacy import crypto


class EncryptedTextField(models.TextField):
    """Holds text encrypted with the current key; reads any key still in the keyring.

    Lookups other than isnull are meaningless on ciphertext: find records through
    a blind index column instead.
    """

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        # Binds each ciphertext to its column, so a value copied elsewhere fails to open.
        self.crypto_context = f"{cls._meta.app_label}.{cls.__name__}.{name}".lower()

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.decrypt(value, context=self.crypto_context)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt(str(value), context=self.crypto_context)
