import pytest

from notifications import services
from tests.factories import person
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


@pytest.fixture
def seeker(counsellor):
    return person(user=counsellor)


@pytest.fixture
def no_queue(monkeypatch):
    """Pushes are recorded but not handed to the task queue (the tests deliver them)."""
    monkeypatch.setattr(services, "_enqueue", lambda push_id: None)
