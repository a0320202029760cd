"""Fixtures for the vacancy tests: an employer, a clean vacancy, and a record of notices sent."""

import pytest

from tests.vacancies.vacancy_builders import make_employer, move, vacancy_values
from vacancies import services
from vacancies.models import Vacancy


@pytest.fixture(autouse=True)
def notices(monkeypatch):
    """Notices the services send, recorded instead of delivered (the notifications app is tested
    on its own); each is (user, message kind, context)."""
    sent = []
    monkeypatch.setattr(
        services, "_notify", lambda user, message, context: sent.append((user, message, context))
    )
    return sent


@pytest.fixture
def employer(db):
    return make_employer()


@pytest.fixture
def draft(personas, employer) -> Vacancy:
    return services.vacancy_create(
        acting_user=personas["counsellor_chengguan"], values=vacancy_values(employer)
    )


@pytest.fixture
def published(personas, draft) -> Vacancy:
    move(draft, personas["counsellor_chengguan"], "submit")
    return move(draft, personas["head_chengguan"], "approve")
