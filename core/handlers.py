"""Error pages. They render in the user's language and never show a traceback.

Under /api/ the same errors come back in the one JSON error shape instead.
"""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.api import ERROR_CODES, ERROR_MESSAGES, error_body

_SERVER_ERROR_CODE = "server_error"


def _respond(request, status: int):
    if request.path.startswith("/api/"):
        code = ERROR_CODES.get(status, _SERVER_ERROR_CODE)
        message = ERROR_MESSAGES.get(status) or _("Something went wrong on our side. Nothing was saved.")
        return JsonResponse(error_body(code=code, message=message), status=status)
    return render(request, f"errors/{status}.html", status=status)


def bad_request(request, exception=None):
    return _respond(request, 400)


def permission_denied(request, exception=None):
    return _respond(request, 403)


def page_not_found(request, exception=None):
    return _respond(request, 404)


def server_error(request):
    try:
        return _respond(request, 500)
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        return HttpResponseServerError("500")


def rate_limited(request, exception=None):
    """settings.RATELIMIT_VIEW: too many requests from one client address."""
    return _respond(request, 429)
