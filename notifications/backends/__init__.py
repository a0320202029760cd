"""Delivery backends, one per channel, chosen by settings.NOTIFY_BACKENDS (channel → dotted path).

A backend is a class with `send(push) -> str` (the provider's message id) that raises
`DeliveryError` when the message did not go out, and `can_reach(person) -> bool`, asked
before a push is recorded on its channel. Tests plug in fakes through the setting.
"""

from django.conf import settings
from django.utils.module_loading import import_string


class DeliveryError(Exception):
    """The message did not go out; another attempt may succeed."""

    retry = True


class PermanentDeliveryError(DeliveryError):
    """The message cannot go out on this channel (no phone, no openid, refused): do not retry."""

    retry = False


class Backend:
    def can_reach(self, person) -> bool:
        return True

    def send(self, push) -> str:  # pragma: no cover - interface
        raise NotImplementedError


def configured_channels() -> list[str]:
    return list(settings.NOTIFY_BACKENDS)


def get_backend(channel: str) -> Backend:
    try:
        path = settings.NOTIFY_BACKENDS[channel]
    except KeyError as exc:
        raise PermanentDeliveryError(f"No backend is configured for the {channel} channel.") from exc
    return import_string(path)()
