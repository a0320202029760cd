"""The nightly jobs: key-group refresh, no-contact closure proposals, and their schedules."""

import ast
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.models import Schedule

from households.services import household_create
from keygroups.models import Membership
from network.models import OrgUnit
from people.models import Person
from people.services import contact_record, person_set_household
from registrations.models import Registration
from registrations.services import registration_open
from tests.factories import person, valid_id_number

LHASA = ZoneInfo("Asia/Shanghai")


def at(day: str):
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False)


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]


def open_codes(p) -> set[str]:
    return set(
        Membership.objects.filter(person=p, ended_on__isnull=True).values_list("category__code", flat=True)
    )


def refresh(day: str) -> str:
    out = io.StringIO()
    with at(day):
        call_command("refresh_key_groups", stdout=out)
    return out.getvalue()


def test_refresh_ends_graduate_membership_when_the_years_are_up(counsellor):
    with at("2026-11-28"):
        graduate = person(
            user=counsellor,
            id_number=valid_id_number(birth="20030501"),
            education="bachelor",
            graduation_date=datetime.date(2025, 7, 1),
        )
    assert "unemployed_graduate" in open_codes(graduate)
    refresh("2027-06-30")
    assert "unemployed_graduate" in open_codes(graduate)  # 23 months: still within GRADUATE_YEARS=2
    output = refresh("2027-07-01")
    assert "unemployed_graduate" not in open_codes(graduate)
    ended = Membership.objects.get(person=graduate, category__code="unemployed_graduate")
    assert ended.ended_on == datetime.date(2027, 7, 1)
    assert "closed 1" in output


def test_refresh_opens_long_term_unemployment_after_twelve_months(counsellor):
    with at("2026-11-28"):
        p = person(user=counsellor)
    assert Person.objects.get(pk=p.pk).unemployed_since == datetime.date(2026, 11, 28)
    assert "long_term_unemployed" not in open_codes(p)
    refresh("2027-11-27")
    assert "long_term_unemployed" not in open_codes(p)
    output = refresh("2027-11-28")
    assert {"long_term_unemployed", "hard_to_employ"} <= open_codes(p)
    started = Membership.objects.get(person=p, category__code="long_term_unemployed").started_on
    assert started == datetime.date(2027, 11, 28)
    assert "opened 2" in output


def test_refresh_recomputes_households_too(counsellor):
    with at("2026-11-28"):
        household = household_create(acting_user=counsellor, unit=OrgUnit.objects.get(code="540102002"))
        teen = person(user=counsellor, id_number=valid_id_number(birth="20101215"), education="junior")
        person_set_household(
            acting_user=counsellor,
            person=teen,
            household=household,
            relation="head",
            expected_version=teen.version,
        )
    output = refresh("2026-12-16")  # the only member turned 16 yesterday
    household.refresh_from_db()
    assert household.zero_employment and household.recognised_on == datetime.date(2026, 12, 16)
    assert "recognised 1" in output
    assert "zero_employment_member" in open_codes(teen)


def test_no_contact_closures_are_proposed_never_closed(counsellor):
    with at("2026-11-28"):
        silent = person(user=counsellor, sequence=1)
        reached = person(user=counsellor, sequence=2)
        recent = person(user=counsellor, sequence=3)
        old = datetime.date(2026, 5, 1)
        for p, day in ((silent, old), (reached, old), (recent, datetime.date(2026, 9, 1))):
            registration_open(acting_user=counsellor, person=p, kind="unemployment", registered_on=day)
    with at("2026-10-01"):
        contact_record(
            acting_user=counsellor,
            person=Person.objects.get(pk=reached.pk),
            at=timezone.now(),
            channel="phone",
            outcome="reached",
        )
    out = io.StringIO()
    with at("2026-11-28"):
        call_command("propose_no_contact_closures", stdout=out)
    assert "closure proposed for 1 registration" in out.getvalue()
    proposal = Registration.objects.get(person=silent)
    assert (proposal.status, proposal.close_reason, proposal.closed_on) == (
        "closure_proposed",
        "no_contact_6_months",
        None,
    )
    assert proposal.proposed_by is None and proposal.proposed_at is not None
    assert Registration.objects.get(person=reached).status == "open"
    assert Registration.objects.get(person=recent).status == "open"
    assert not Registration.objects.filter(status="closed").exists()
    assert Person.objects.get(pk=silent.pk).employment_status == "unemployed"
    assert "registered_unemployed" in open_codes(silent)  # still registered until a head decides
    with at("2026-11-29"):
        call_command("propose_no_contact_closures", stdout=io.StringIO())
    assert Registration.objects.get(person=silent).status == "closure_proposed"
    assert not Registration.objects.filter(status="closed").exists()


def test_install_schedules_is_idempotent(db):
    with at("2026-11-28"):
        call_command("install_schedules", stdout=io.StringIO())
        call_command("install_schedules", stdout=io.StringIO())
    schedules = {s.name: s for s in Schedule.objects.filter(schedule_type=Schedule.DAILY)}
    assert len(schedules) == 13
    frequent = Schedule.objects.get(schedule_type=Schedule.MINUTES)
    assert (ast.literal_eval(frequent.args), frequent.minutes) == ("requeue_pushes", 5)
    # 13 daily, the frequent requeue, the monthly retention wet run (tests/retention).
    assert Schedule.objects.count() == 15
    commands = {}
    for schedule in schedules.values():
        assert schedule.func == "django.core.management.call_command"
        assert schedule.schedule_type == Schedule.DAILY
        assert schedule.repeats == -1
        local = schedule.next_run.astimezone(LHASA)
        assert local.date() == datetime.date(2026, 11, 29)
        commands[ast.literal_eval(schedule.args)] = (local.hour, local.minute)
    assert commands == {
        "refresh_key_groups": (2, 0),
        "propose_no_contact_closures": (2, 0),
        "suspend_stale_vacancies": (2, 0),
        "expire_recommendations": (2, 0),
        "expire_plans": (2, 0),
        "personal_policy_tasks": (2, 0),
        "open_missing_assistance_files": (2, 0),
        # Matching follows the jobs that bring its inputs up to date.
        "match_key_groups": (3, 0),
        # The worklist reads the night's results; reminders follow escalation.
        "sync_worklist": (6, 0),
        "escalate_overdue_items": (6, 30),
        "send_work_reminders": (6, 45),
        # The retention dry run's report; the monthly wet run follows it (tests/retention).
        "anonymise_inactive": (4, 0),
        # The audit hash chain, after everything the night wrote.
        "verify_audit": (5, 0),
    }


def test_installed_schedule_runs_its_command(db):
    with at("2026-11-28"):
        call_command("install_schedules", stdout=io.StringIO())
        schedule = Schedule.objects.get(args=repr("propose_no_contact_closures"))
        # What the cluster does with a schedule: import func, call it with the literal args.
        import_string(schedule.func)(ast.literal_eval(schedule.args), stdout=io.StringIO())
    Schedule.objects.filter(pk=schedule.pk).update(next_run=None, args="'refresh_key_groups'")
    with at("2026-11-28"):
        call_command("install_schedules", stdout=io.StringIO())
    repaired = Schedule.objects.get(pk=schedule.pk)
    assert repaired.args == repr("propose_no_contact_closures") and repaired.next_run is not None
