"""Requests per client address for pages (django-ratelimit), keyed by core.clientip so that
a forged X-Forwarded-For changes nothing. A refused request gets core.handlers.rate_limited
(429, a translated page or the API error shape)."""

from functools import wraps

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from core.clientip import client_ip
from core.handlers import rate_limited


def _client_key(group, request) -> str:
    return client_ip(request) or "unknown"


def limit_per_client(group: str, rate_setting: str, method=is_ratelimited.ALL):
    """Views decorated with the same group share one count; the rate is read from the named
    setting on each request, so tests and deployments can change it."""

    def rate(group, request) -> str:
        return getattr(settings, rate_setting)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            limited = is_ratelimited(
                request, group=group, key=_client_key, rate=rate, method=method, increment=True
            )
            if limited:
                return rate_limited(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
