"""Sign-in attempts per client address (settings.LOGIN_RATE_PER_IP), pages and API alike.

Per address, on top of django-axes' per-account lockout: one address trying many
accounts is stopped here. The address is core.clientip's, proxy-aware like DRF.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from core.clientip import client_ip
from core.ratelimit import limit_per_client

# POSTs beyond the rate get a 429 and reach no form.
limit_sign_in = limit_per_client("accounts.sign_in", "LOGIN_RATE_PER_IP", method="POST")


class SignInThrottle(SimpleRateThrottle):
    """The token endpoint's share of the same limit; 429 in the API error shape."""

    scope = "login"

    def get_rate(self):
        return settings.LOGIN_RATE_PER_IP

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}
