"""Work items mirrored from recommendations, zero-employment households and the monthly
update: created, re-dated, closed (done or cancelled), and idempotent."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from households.models import Household
from households.services import household_create
from keygroups.models import Category
from keygroups.services import membership_add_manual
from people.models import Person
from people.services import contact_record, person_set_household, person_update
from recommendations.models import State
from recommendations.services import recommendation_record_follow_up
from tests.recommendations.recommendation_builders import act, recommendation, system_step
from tests.worklist.conftest import at, someone, unit
from worklist.deadlines import monthly_update_due
from worklist.models import Kind, WorkItem
from worklist.sync import sync_all, sync_household, sync_person, sync_recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pushes_off_the_queue(monkeypatch):
    from notifications import services as notification_services

    monkeypatch.setattr(notification_services, "_enqueue", lambda push_id: None)


@pytest.fixture(autouse=True)
def _domains_do_not_sync(monkeypatch):
    """These tests drive the sync by hand; the domains' own real-time calls (tested in
    test_worklist_realtime.py) would otherwise have done the work before it."""
    import worklist.sync

    for name in ("sync_recommendation", "sync_household", "sync_person"):
        monkeypatch.setattr(worklist.sync, name, lambda *args, **kwargs: None)


def items(kind, source=None):
    found = WorkItem.objects.filter(kind=kind)
    if source is not None:
        found = found.filter(source_type=source._meta.label_lower, source_id=source.pk)
    return found.order_by("pk")


def nothing_changed(counts) -> bool:
    return all(value == 0 for value in counts.values())


# --- recommendations ---------------------------------------------------------------------------


def test_a_waiting_step_opens_an_item_at_its_deadline_once(today, counsellor, head):
    rec = recommendation(State.SHOWN, counsellor=counsellor, head=head)
    first = sync_all(today=today)
    assert first["recommendations"]["opened"] == 1
    [step] = items(Kind.RECOMMENDATION_STEP, rec)
    assert (step.due_on, step.person, step.unit) == (rec.step_deadline, rec.person, rec.person.unit)
    assert step.is_open and step.assignee is None
    # Idempotent: a second run changes nothing.
    assert all(nothing_changed(counts) for counts in sync_all(today=today).values())
    assert items(Kind.RECOMMENDATION_STEP).count() == 1


def test_the_next_waiting_step_re_dates_the_item(counsellor, head):
    with at("2026-11-25"):
        rec = recommendation(State.SHOWN, counsellor=counsellor, head=head)
        sync_recommendation(rec)
        [step] = items(Kind.RECOMMENDATION_STEP, rec)
    with at("2026-11-27"):
        rec = act(counsellor, rec, "refer")
        counts = sync_recommendation(rec)
    assert (counts.redated, counts.opened) == (1, 0)
    step.refresh_from_db()
    assert step.is_open and step.due_on == rec.step_deadline
    assert rec.step_deadline > datetime.date(2026, 11, 27)


def test_an_answer_closes_the_step_as_done_and_a_hire_opens_its_follow_up(counsellor, head):
    with at("2026-11-25"):
        rec = recommendation(State.REFERRED, counsellor=counsellor, head=head)
        sync_recommendation(rec)
    with at("2026-11-30"):
        rec = act(counsellor, rec, "hire")
        counts = sync_recommendation(rec, today=datetime.date(2026, 11, 30))
    assert (counts.done, counts.opened) == (1, 1)
    [step] = items(Kind.RECOMMENDATION_STEP, rec)
    assert step.done_on == datetime.date(2026, 11, 30) and step.cancelled_on is None
    [follow_up] = items(Kind.HIRE_FOLLOW_UP, rec)
    assert follow_up.is_open and follow_up.due_on == rec.follow_up_on

    with at("2026-12-20"):
        rec.refresh_from_db()
        recommendation_record_follow_up(
            acting_user=counsellor, recommendation=rec, version=rec.version, on=datetime.date(2026, 12, 18)
        )
        counts = sync_recommendation(rec)
    follow_up.refresh_from_db()
    assert counts.done == 1
    assert follow_up.done_on == datetime.date(2026, 12, 18)


def test_no_answer_in_time_cancels_the_step(counsellor, head):
    with at("2026-11-25"):
        rec = recommendation(State.REFERRED, counsellor=counsellor, head=head)
        sync_recommendation(rec)
    with at("2026-12-20"):
        system_step(rec, "expire_employer")
        counts = sync_recommendation(rec)
    [step] = items(Kind.RECOMMENDATION_STEP, rec)
    assert counts.cancelled == 1
    assert step.cancelled_on == datetime.date(2026, 12, 20) and step.done_on is None


# --- zero-employment households -----------------------------------------------------------------


def _zero_household(counsellor) -> Household:
    household = household_create(acting_user=counsellor, unit=unit("540102002"), address="八廓街 8 号")
    head = someone(counsellor)
    person_set_household(
        acting_user=counsellor,
        person=head,
        household=household,
        relation="head",
        expected_version=head.version,
    )
    household.refresh_from_db()
    assert household.zero_employment
    return household


def test_a_zero_employment_household_gets_an_item_due_at_clearance(today, counsellor):
    household = _zero_household(counsellor)
    counts = sync_household(household)
    episode = household.episodes.get()
    [zero] = items(Kind.ZERO_EMPLOYMENT, episode)
    assert counts.opened == 1
    assert (zero.due_on, zero.unit, zero.person) == (household.clearance_due, household.unit, None)
    assert nothing_changed(sync_household(household).as_dict())


def test_clearing_the_household_by_work_marks_the_item_done(counsellor):
    with at("2026-11-25"):
        household = _zero_household(counsellor)
        sync_household(household)
    with at("2026-12-03"):
        member = Person.objects.get(household=household)
        person_update(
            acting_user=counsellor,
            person=member,
            expected_version=member.version,
            changes={"employment_status": "employed"},
        )
        counts = sync_household(household)
    [zero] = items(Kind.ZERO_EMPLOYMENT)
    assert counts.done == 1 and zero.done_on == datetime.date(2026, 12, 3)


def test_a_household_no_longer_eligible_cancels_the_item(counsellor):
    with at("2026-11-25"):
        household = _zero_household(counsellor)
        sync_household(household)
    with at("2026-12-03"):
        member = Person.objects.get(household=household)
        # Not able or willing to work: no longer a zero-employment household, but nobody found work.
        person_update(
            acting_user=counsellor,
            person=member,
            expected_version=member.version,
            changes={"able_and_willing": False},
        )
        household.refresh_from_db()
        assert not household.zero_employment
        counts = sync_household(household)
    [zero] = items(Kind.ZERO_EMPLOYMENT)
    assert counts.cancelled == 1 and zero.cancelled_on == datetime.date(2026, 12, 3)


# --- the monthly update -------------------------------------------------------------------------


def _in_rural_labour(counsellor, started_on: datetime.date) -> Person:
    person = someone(counsellor)
    membership_add_manual(
        acting_user=counsellor,
        person=person,
        category=Category.objects.get(code="rural_labour"),
        started_on=started_on,
        evidence="村委会证明",
    )
    return Person.objects.get(pk=person.pk)


def _updated(counsellor, person, moment: str):
    with at(moment):
        contact_record(
            acting_user=counsellor,
            person=person,
            at=timezone.now(),
            channel="phone",
            outcome="reached",
            info_updated=True,
        )


def test_a_key_group_person_owes_the_update_of_the_month_they_joined(counsellor):
    with at("2026-11-10"):
        person = _in_rural_labour(counsellor, datetime.date(2026, 11, 10))
        counts = sync_person(person)
    [update] = items(Kind.MONTHLY_UPDATE, person)
    assert counts.opened == 1
    assert update.due_on == datetime.date(2026, 11, 30)
    assert update.unit == person.unit


def test_the_update_is_done_when_recorded_this_month_and_the_next_one_opens_next_month(counsellor):
    with at("2026-10-20"):
        person = _in_rural_labour(counsellor, datetime.date(2026, 10, 20))
        sync_person(person)
    # Not updated in October: in November the same item is still owed, overdue since 31 October.
    with at("2026-11-05"):
        assert nothing_changed(sync_person(person).as_dict())
        [update] = items(Kind.MONTHLY_UPDATE, person)
        assert update.due_on == datetime.date(2026, 10, 31)
    _updated(counsellor, person, "2026-11-12")
    with at("2026-11-12"):
        counts = sync_person(person)
    update.refresh_from_db()
    assert counts.done == 1 and update.done_on == datetime.date(2026, 11, 12)
    # December: updated in November, so December's update is due at the end of December.
    with at("2026-12-01"):
        counts = sync_all(today=datetime.date(2026, 12, 1))
    assert counts["monthly_update"]["opened"] == 1
    december = items(Kind.MONTHLY_UPDATE, person).last()
    assert december.is_open and december.due_on == datetime.date(2026, 12, 31)


def test_leaving_the_key_groups_cancels_the_update(counsellor):
    from keygroups.services import membership_end

    with at("2026-11-10"):
        person = _in_rural_labour(counsellor, datetime.date(2026, 11, 10))
        sync_person(person)
    with at("2026-11-20"):
        membership = person.key_group_memberships.get(ended_on__isnull=True)
        membership_end(
            acting_user=counsellor,
            membership=membership,
            ended_on=datetime.date(2026, 11, 20),
            reason="外出务工",
        )
        counts = sync_person(person)
    [update] = items(Kind.MONTHLY_UPDATE, person)
    assert counts.cancelled == 1 and update.cancelled_on == datetime.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("updated", "joined", "due"),
    [
        (None, "2026-11-10", "2026-11-30"),
        (None, "2026-02-03", "2026-02-28"),
        ("2026-11-12", "2026-01-01", "2026-12-31"),
        ("2026-12-05", "2026-01-01", "2027-01-31"),
        ("2027-01-31", "2026-01-01", "2027-02-28"),
    ],
)
def test_monthly_update_due_matches_the_update_worklist(updated, joined, due):
    from people.worklist_views import update_due_on

    info_updated_on = datetime.date.fromisoformat(updated) if updated else None
    member_since = datetime.date.fromisoformat(joined)
    person = Person(info_updated_on=info_updated_on)
    person.member_since = member_since
    expected = datetime.date.fromisoformat(due)
    assert monthly_update_due(info_updated_on=info_updated_on, member_since=member_since) == expected
    assert update_due_on(person) == expected


# --- moving with the person, the command ---------------------------------------------------------


def test_items_follow_a_person_whose_file_moved_by_an_edit(today, counsellor):
    from tests.worklist.conftest import item

    person = someone(counsellor)
    work = item(counsellor, today, person=person, assignee=counsellor)
    # Refiled by a path that does not move work items (an import, an edit of the unit field).
    Person.objects.filter(pk=person.pk).update(unit=unit("540102003"))
    assert sync_all(today=today)["followed_person"] == {"moved": 1}
    work.refresh_from_db()
    assert (work.unit.code, work.assignee, work.version) == ("540102003", None, 2)
    assert sync_all(today=today)["followed_person"] == {"moved": 0}


def test_the_nightly_command_reports_each_domain(today, counsellor, head):
    import io

    recommendation(State.SHOWN, counsellor=counsellor, head=head)
    out = io.StringIO()
    call_command("sync_worklist", "--today", "2026-11-25", stdout=out)
    assert "recommendations: opened 1, redated 0, done 0, cancelled 0, moved 0" in out.getvalue()
    assert items(Kind.RECOMMENDATION_STEP).count() == 1
