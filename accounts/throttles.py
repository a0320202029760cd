"""Sign-in attempts per client address (settings.LOGIN_RATE_PER_IP), pages and API alike.

Per address, on top of django-axes' per-account lockout: one address trying many
accounts is stopped here. The address is core.clientip's, proxy-aware like DRF.
"""

from functools import wraps

from django.conf import settings
from django_ratelimit.core import is_ratelimited
from rest_framework.throttling import SimpleRateThrottle

from core.clientip import client_ip
from core.handlers import rate_limited

SIGN_IN_GROUP = "accounts.sign_in"


def _client_key(group, request) -> str:
    return client_ip(request) or "unknown"


def _sign_in_rate(group, request) -> str:
    return settings.LOGIN_RATE_PER_IP


def limit_sign_in(view):
    """POSTs beyond the rate get core.handlers.rate_limited (429) and reach no form."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if is_ratelimited(
            request, group=SIGN_IN_GROUP, key=_client_key, rate=_sign_in_rate, method="POST", increment=True
        ):
            return rate_limited(request)
        return view(request, *args, **kwargs)

    return wrapped


class SignInThrottle(SimpleRateThrottle):
    """The token endpoint's share of the same limit; 429 in the API error shape."""

    scope = "login"

    def get_rate(self):
        return settings.LOGIN_RATE_PER_IP

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}
