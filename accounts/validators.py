import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassesValidator:
    """At least N of: lower-case, upper-case, digits, other symbols (SPEC §7)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c in string.digits for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(count)d of: lower-case letters, "
                    "upper-case letters, digits and symbols."
                ),
                code="password_too_simple",
                params={"count": self.min_classes},
            )

    def get_help_text(self):
        return _("Use at least %(count)d of: lower-case letters, upper-case letters, digits and symbols.") % {
            "count": self.min_classes
        }
