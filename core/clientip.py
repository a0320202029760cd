"""The client's address, trusted the same way as DRF's throttles (REST_FRAMEWORK NUM_PROXIES).

0 proxies: only REMOTE_ADDR counts, so a forged X-Forwarded-For changes nothing.
N proxies: the Nth entry from the right of X-Forwarded-For, the one our own proxies added;
entries further left are whatever the client sent and are never trusted.
"""

import ipaddress

from django.conf import settings


def _valid(address: str | None) -> str | None:
    address = (address or "").strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote_addr = request.META.get("REMOTE_ADDR")
    num_proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if num_proxies == 0 or not forwarded:
        return _valid(remote_addr)
    entries = forwarded.split(",")
    return _valid(entries[-min(num_proxies, len(entries))])
