"""One JSON POST with a timeout, for the gateway adapters. Errors never carry the payload."""

import json
import urllib.error
import urllib.request

from django.conf import settings

from notifications.backends import DeliveryError, PermanentDeliveryError

# 408 and 429 are worth another try; other 4xx answers will not change.
RETRYABLE_CLIENT_ERRORS = {408, 429}


def post_json(url: str, payload: dict, headers: dict | None = None) -> dict:
    if not url.startswith(("https://", "http://")):
        raise PermanentDeliveryError("The gateway address must start with http:// or https://.")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFY_HTTP_TIMEOUT) as response:  # noqa: S310
            raw = response.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        error = (
            DeliveryError
            if exc.code >= 500 or exc.code in RETRYABLE_CLIENT_ERRORS
            else PermanentDeliveryError
        )
        raise error(f"The gateway answered HTTP {exc.code}.") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"The gateway could not be reached: {type(reason).__name__}.") from None
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        return {}
