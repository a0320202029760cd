"""The public job-board pages, per client address (settings.PUBLIC_PAGE_RATE).

The pages need no sign-in, so a scraper or a flood meets this limit first; the public API
has its own DRF throttle (PUBLIC_API_RATE). The address is core.clientip's, proxy-aware.
"""

from functools import wraps

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from core.clientip import client_ip
from core.handlers import rate_limited

GROUP = "jobboard.public_pages"


def _client_key(group, request) -> str:
    return client_ip(request) or "unknown"


def _rate(group, request) -> str:
    return settings.PUBLIC_PAGE_RATE


def limit_public_pages(view):
    """Requests beyond the rate get core.handlers.rate_limited (429); all board pages share one count."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if is_ratelimited(
            request, group=GROUP, key=_client_key, rate=_rate, method=is_ratelimited.ALL, increment=True
        ):
            return rate_limited(request)
        return view(request, *args, **kwargs)

    return wrapped
