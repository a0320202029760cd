"""Contact log (§5.9.2): three failures in a row flag a person unreachable."""

import datetime

import pytest
from django.utils import timezone

from people.models import Person
from people.services import contact_record
from tests.factories import person


def at(day: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 11, day, hour))


@pytest.fixture
def setup(personas):
    user = personas["counsellor_chengguan"]
    return user, person(user=user)


def log(user, p, day, outcome, **extra):
    return contact_record(acting_user=user, person=p, at=at(day), channel="phone", outcome=outcome, **extra)


def test_three_failures_in_a_row_flag_unreachable(setup):
    user, p = setup
    log(user, p, 1, "no_answer")
    log(user, p, 2, "switched_off")
    assert Person.objects.get(pk=p.pk).unreachable_since is None
    log(user, p, 3, "no_answer")
    p.refresh_from_db()
    assert p.failed_contacts == 3
    assert p.unreachable_since == at(3)


def test_a_success_breaks_the_run_and_clears_the_flag(setup):
    user, p = setup
    for day in (1, 2, 3):
        log(user, p, day, "no_answer")
    log(user, p, 4, "reached", info_updated=True)
    p.refresh_from_db()
    assert p.unreachable_since is None and p.failed_contacts == 0
    assert p.last_contact_at == at(4)
    assert p.info_updated_on == datetime.date(2026, 11, 4)


def test_failures_separated_by_a_success_do_not_add_up(setup):
    user, p = setup
    log(user, p, 1, "no_answer")
    log(user, p, 2, "no_answer")
    log(user, p, 3, "reached")
    log(user, p, 4, "no_answer")
    log(user, p, 5, "no_answer")
    p.refresh_from_db()
    assert p.failed_contacts == 2 and p.unreachable_since is None


def test_a_backdated_entry_is_counted_in_time_order(setup):
    user, p = setup
    log(user, p, 2, "no_answer")
    log(user, p, 3, "no_answer")
    log(user, p, 1, "reached")  # entered late, happened first
    log(user, p, 4, "no_answer")
    p.refresh_from_db()
    assert p.failed_contacts == 3 and p.unreachable_since == at(4)
    assert p.last_contact_at == at(1)


def test_threshold_is_a_setting(setup, settings):
    settings.STANDARD = {**settings.STANDARD, "UNREACHABLE_FAILED_CONTACTS": 2}
    user, p = setup
    log(user, p, 1, "wrong_number")
    log(user, p, 2, "not_home")
    assert Person.objects.get(pk=p.pk).unreachable_since == at(2)


def test_info_update_needs_a_reached_contact(setup):
    from core.errors import ValidationFailed

    user, p = setup
    with pytest.raises(ValidationFailed):
        log(user, p, 1, "no_answer", info_updated=True)
    assert not p.contacts.exists()
