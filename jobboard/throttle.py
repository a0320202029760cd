"""The public job-board pages, per client address (settings.PUBLIC_PAGE_RATE).

The pages need no sign-in, so a scraper or a flood meets this limit first; the public API
has its own DRF throttle (PUBLIC_API_RATE). All board pages share one count.
"""

from core.ratelimit import limit_per_client

limit_public_pages = limit_per_client("jobboard.public_pages", "PUBLIC_PAGE_RATE")
