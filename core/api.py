"""Shared API pieces: one error shape, pagination and the base permission (SPEC §5)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, renderers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from core.errors import DomainError, errors_from_django
from core.text import is_storable

ERROR_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "throttled",
}
ERROR_MESSAGES = {
    400: _("The request is not valid."),
    401: _("Please sign in first."),
    403: _("You do not have permission to do this."),
    404: _("Not found, or outside your area."),
    405: _("This method is not allowed here."),
    406: _("This response format is not available."),
    413: _("The request is too large."),
    415: _("Send the request body as JSON."),
    429: _("Too many requests. Please wait and try again."),
}


def error_body(*, code: str, message, errors: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "errors": errors or {}}


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {
            key: [str(item) for item in (value if isinstance(value, list) else [value])]
            for key, value in detail.items()
        }
    if isinstance(detail, list):
        return {"__all__": [str(item) for item in detail]}
    return {}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(error_body(code=exc.code, message=exc.message, errors=exc.errors), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        return Response(
            error_body(
                code="validation_failed",
                message=_("Some fields are not valid."),
                errors=errors_from_django(exc),
            ),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, RequestDataTooBig):
        # Django raises it for a body over DATA_UPLOAD_MAX_MEMORY_SIZE: a 413, not a 500.
        return Response(error_body(code=ERROR_CODES[413], message=ERROR_MESSAGES[413]), status=413)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # ApiErrorMiddleware turns anything else into a JSON 500 without a traceback.

    code = ERROR_CODES.get(exc.status_code, "error")
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(
            code="validation_failed",
            message=_("Some fields are not valid."),
            errors=_field_errors(exc.detail),
        )
    elif isinstance(exc, exceptions.ParseError):
        body = error_body(code="malformed", message=_("The request body is not valid JSON."))
    else:
        body = error_body(code=code, message=ERROR_MESSAGES.get(exc.status_code, exc.detail))
    response = Response(body, status=exc.status_code)
    if getattr(exc, "wait", None):
        response["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response["WWW-Authenticate"] = "Token"
    return response


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, 1)
        if raw in self.last_page_strings:
            return raw
        try:
            if int(raw) < 1:
                raise ValueError
        except (TypeError, ValueError) as exc:
            raise exceptions.ValidationError({"page": [_("Give a page number of 1 or more.")]}) from exc
        return raw

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
            if size < 1:
                raise ValueError
        except ValueError as exc:
            raise exceptions.ValidationError({"page_size": [_("Give a page size of 1 or more.")]}) from exc
        return min(size, self.max_page_size)


class IsStaffMember(BasePermission):
    """Signed-in, active staff with a role. Finer checks live in each view's `permission`."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.role):
            return False
        required = getattr(view, "required_permission", None)
        return required is None or user.has_perm(required)


class JSONRenderer(renderers.JSONRenderer):
    """UTF-8 JSON, except when the data holds a lone surrogate (which UTF-8 cannot encode,
    e.g. echoed back from a hostile request in an error message): then escape to ASCII
    instead of failing with a 500."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            self.ensure_ascii = True
            try:
                return super().render(data, accepted_media_type, renderer_context)
            finally:
                self.ensure_ascii = False


class ReadWritePermission:
    # Safe methods need `read_permission`, the others `write_permission`; IsStaffMember
    # reads `required_permission`. (A comment, not a docstring: docstrings become API descriptions.)

    read_permission = ""
    write_permission = ""

    @property
    def required_permission(self) -> str:
        return self.read_permission if self.request.method in SAFE_METHODS else self.write_permission


# Query-parameter readers shared by the list endpoints: a bad value is a 400 naming it.
NOT_A_CHOICE = _("Not one of the allowed values.")
NOT_A_FLAG = _("Give true or false.")
NOT_AN_ID = _("Give a whole number.")
UNSTORABLE_TEXT = _("The text holds a character that cannot be searched for (a NUL byte).")


def query_choice(request, name: str, choices) -> str:
    """`choices` may be a callable, so a catalogue is only read when the filter is used."""
    value = request.query_params.get(name, "")
    if value and value not in (choices() if callable(choices) else choices):
        raise exceptions.ValidationError({name: [NOT_A_CHOICE]})
    return value


def query_flag(request, name: str) -> bool | None:
    value = request.query_params.get(name, "").lower()
    if not value:
        return None
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise exceptions.ValidationError({name: [NOT_A_FLAG]})


def query_id(request, name: str, *, message=NOT_AN_ID) -> int | None:
    value = request.query_params.get(name, "")
    if not value:
        return None
    if not (value.isdigit() and len(value) <= 18):
        raise exceptions.ValidationError({name: [message]})
    return int(value)


def query_text(request, name: str, *, max_length: int) -> str:
    """Free text for a search; a NUL byte (which PostgreSQL refuses in any text) is a 400."""
    value = request.query_params.get(name, "")[:max_length]
    if not is_storable(value):
        raise exceptions.ValidationError({name: [UNSTORABLE_TEXT]})
    return value
