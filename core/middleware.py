import logging

from django.http import JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class ApiErrorMiddleware:
    """Any unexpected failure under /api/ becomes a JSON 500 in the one error shape.

    Pages get templates/500.html through Django's handler; the API must never hand a
    client an HTML traceback either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        logger.exception("Unhandled API error on %s", request.path)
        return JsonResponse(
            {
                "code": "server_error",
                "message": _("Something went wrong on our side. Nothing was saved."),
                "errors": {},
            },
            status=500,
        )
