import pytest

from tests.notifications.push_data import FAKE, Gateway


@pytest.fixture(autouse=True)
def _fake_gateway(settings):
    """SMS goes to a fake that records sends; the database and console channels stay real."""
    Gateway.reset()
    settings.NOTIFY_BACKENDS = {
        "database": "notifications.backends.database.DatabaseBackend",
        "console": "notifications.backends.console.ConsoleBackend",
        "sms": FAKE + "FlakyBackend",
    }
    settings.NOTIFY_MAX_ATTEMPTS = 3
    yield
    Gateway.reset()


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]
