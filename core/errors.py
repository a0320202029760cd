"""Domain errors. Services raise these; views and the API turn them into clear 4xx replies."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "invalid"
    status = 400
    default_message = _("The request could not be processed.")

    def __init__(self, message=None, *, errors: dict | None = None, code: str | None = None):
        self.message = message or self.default_message
        self.errors = errors or {}
        if code:
            self.code = code
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    code = "validation_failed"
    default_message = _("Some fields are not valid.")


class ConcurrentEdit(DomainError):
    code = "concurrent_edit"
    status = 409
    default_message = _(
        "Someone else saved this record after you opened it. "
        "Reload it to see their changes, then apply yours again."
    )


class NotAllowed(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You do not have permission to do this.")


def errors_from_django(exc) -> dict:
    """Flatten a django ValidationError into {field: [messages]}."""
    if hasattr(exc, "message_dict"):
        return {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}
