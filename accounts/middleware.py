from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import second_factor, selectors
from core.api import error_body


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's, on every device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


# Pages a signed-in user can still reach before the second factor / a new password.
_SIGN_IN_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:set_language",
        "accounts:otp_verify",
        "accounts:otp_enrol",
        "healthz",
    }
)
# Set once a user who need not use a second factor was found without one, so their
# requests do not query the device tables each time.
_NO_FACTOR_SESSION_KEY = "accounts.no_second_factor"


def _api_refusal(code: str, message) -> JsonResponse:
    return JsonResponse(error_body(code=code, message=message), status=403)


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


class SecondFactorMiddleware:
    """Until the session is OTP-verified, a user who needs a second factor reaches only
    the verify/enrol, sign-out and language pages (after django_otp's OTPMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _view_name(request) in _SIGN_IN_VIEWS:
            return None
        if user.is_verified() or not self._needs_factor(request, user):
            return None
        if request.path.startswith("/api/"):
            return _api_refusal("otp_required", _("Confirm your second factor on the sign-in page first."))
        target = "accounts:otp_verify" if second_factor.confirmed_totp(user) else "accounts:otp_enrol"
        return redirect_to_login(request.get_full_path(), login_url=reverse(target))

    @staticmethod
    def _needs_factor(request, user) -> bool:
        if second_factor.second_factor_required(user):
            return True
        if request.session.get(_NO_FACTOR_SESSION_KEY) == user.pk:
            return False
        if second_factor.confirmed_totp(user) is not None:
            return True
        request.session[_NO_FACTOR_SESSION_KEY] = user.pk
        return False


PASSWORD_EXPIRED = gettext_lazy(
    "Your password has expired (it is kept at most %(days)d days). Choose a new one."
)


class PasswordExpiryMiddleware:
    """A password older than PASSWORD_MAX_AGE_DAYS (or an administrator's initial one)
    sends every page to the password change until a new one is chosen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not selectors.password_expired(user):
            return None
        if _view_name(request) in _SIGN_IN_VIEWS | {"accounts:profile"}:
            return None
        message = PASSWORD_EXPIRED % {"days": settings.PASSWORD_MAX_AGE_DAYS}
        if request.path.startswith("/api/"):
            return _api_refusal("password_expired", message)
        if request.method == "GET":
            messages.warning(request, message)
        return redirect("accounts:profile")
