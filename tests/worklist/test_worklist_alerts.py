"""Reminders (due soon, the 24-hour guard, unassigned items to every counsellor of the unit)
and escalation to the station head (after the setting's delay, not before, once only)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from notifications.models import Notice
from tests.conftest import make_user
from tests.worklist.conftest import at, days, item, someone
from worklist.models import Kind, WorkItem
from worklist.services import escalate_overdue_items, send_work_reminders

pytestmark = pytest.mark.django_db


def notices(user, kind: str) -> list[Notice]:
    return list(Notice.objects.filter(user=user, kind=kind).order_by("pk"))


def now_at(moment: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{moment}+08:00")


# --- reminders ----------------------------------------------------------------------------------


def test_a_reminder_goes_to_the_assignee_for_what_falls_due(today, counsellor, colleague, settings):
    settings.CASE_MANAGEMENT = {**settings.CASE_MANAGEMENT, "REMINDER_DAYS_BEFORE": 1}
    tomorrow = item(counsellor, days(1), assignee=counsellor)
    due_today = item(counsellor, days(0), assignee=counsellor)
    yesterday = item(counsellor, days(-1), assignee=counsellor)
    long_overdue = item(counsellor, days(-2), assignee=counsellor)  # overdue by more than a day
    later = item(counsellor, days(2), assignee=counsellor)  # not yet within the reminder window
    result = send_work_reminders(now=timezone.now())
    assert result == {"items": 3, "notices": 1}
    [notice] = notices(counsellor, "work_reminder")
    assert notices(colleague, "work_reminder") == []
    reminded = {i.pk for i in WorkItem.objects.filter(reminded_at__isnull=False)}
    assert reminded == {tomorrow.pk, due_today.pk, yesterday.pk}
    assert long_overdue.pk not in reminded and later.pk not in reminded
    # The notice names each item, in the account's language.
    assert notice.language == "zh-hans"
    with translation.override("zh-hans"):
        label = str(Kind.FIRST_ASSISTANCE.label)
    assert notice.body.count(label) == 3
    assert tomorrow.person.id_number_masked in notice.body
    assert "/worklist/" in notice.body


def test_not_reminded_twice_within_24_hours(counsellor):
    with at("2026-11-25T07:00:00"):
        due = item(counsellor, datetime.date(2026, 11, 26), assignee=counsellor)
        assert send_work_reminders()["items"] == 1
    with at("2026-11-26T06:59:00"):
        assert send_work_reminders() == {"items": 0, "notices": 0}
    with at("2026-11-26T07:00:00"):
        assert send_work_reminders() == {"items": 1, "notices": 1}
    due.refresh_from_db()
    assert due.reminded_at == now_at("2026-11-26T07:00:00")
    assert len(notices(counsellor, "work_reminder")) == 2


def test_an_unassigned_item_reminds_every_counsellor_of_the_unit(
    today, counsellor, colleague, head, personas
):
    pool = item(counsellor, days(0))
    assert send_work_reminders(now=timezone.now()) == {"items": 1, "notices": 2}
    assert len(notices(counsellor, "work_reminder")) == 1
    assert len(notices(colleague, "work_reminder")) == 1
    # Not the station head, nor a counsellor of another street.
    assert notices(head, "work_reminder") == []
    assert notices(personas["counsellor_jiri"], "work_reminder") == []
    with translation.override("zh-hans"):
        nobody = translation.gettext("nobody has taken it yet")
    assert pool.person.id_number_masked in notices(colleague, "work_reminder")[0].body
    assert nobody in notices(colleague, "work_reminder")[0].body


def test_a_reminder_in_tibetan_for_a_tibetan_speaking_counsellor(today):
    reader = make_user("counsellor_bo", "counsellor", "540102002", language="bo")
    item(reader, days(0), assignee=reader)
    send_work_reminders(now=timezone.now())
    [notice] = notices(reader, "work_reminder")
    assert notice.language == "bo"


def test_a_new_due_date_starts_a_new_reminder_cycle(today, counsellor):
    from worklist.services import item_open

    work = item(counsellor, days(0), assignee=counsellor)
    send_work_reminders(now=timezone.now())
    work = item_open(kind=work.kind, source=work.person, due_on=days(1), person=work.person)
    assert work.reminded_at is None
    assert send_work_reminders(now=timezone.now())["items"] == 1


# --- escalation ---------------------------------------------------------------------------------


def test_escalation_after_the_delay_not_before_and_once(counsellor, head, colleague, settings):
    settings.CASE_MANAGEMENT = {**settings.CASE_MANAGEMENT, "ESCALATE_AFTER_DAYS": 3}
    with at("2026-11-25"):
        late = item(counsellor, datetime.date(2026, 11, 20), assignee=counsellor)
    with at("2026-11-22T09:00:00"):
        assert escalate_overdue_items() == {"items": 0, "notices": 0}  # overdue by 2 days
    with at("2026-11-23T09:00:00"):
        assert escalate_overdue_items() == {"items": 1, "notices": 1}  # overdue by 3 days
    with at("2026-11-24T09:00:00"):
        assert escalate_overdue_items() == {"items": 0, "notices": 0}  # once only
    late.refresh_from_db()
    assert late.escalated_at == now_at("2026-11-23T09:00:00")
    [notice] = notices(head, "work_escalated")
    assert late.person.id_number_masked in notice.body
    assert counsellor.display_name in notice.body  # whom it is assigned to
    assert notices(counsellor, "work_escalated") == [] and notices(colleague, "work_escalated") == []


def test_escalation_goes_up_the_chain_when_no_station_head_covers_the_unit(today, personas):
    jiri = personas["counsellor_jiri"]  # 吉日街道 has no station head among the personas
    item(jiri, days(-10), person=someone(jiri, unit_code="540102003"))
    assert escalate_overdue_items(now=timezone.now()) == {"items": 1, "notices": 1}
    assert len(notices(personas["district_chengguan"], "work_escalated")) == 1
    assert notices(personas["head_chengguan"], "work_escalated") == []


def test_done_items_are_neither_reminded_nor_escalated(today, counsellor, head):
    done = item(counsellor, days(-10), assignee=counsellor)
    WorkItem.objects.filter(pk=done.pk).update(done_on=today)
    soon = item(counsellor, days(0), assignee=counsellor)
    WorkItem.objects.filter(pk=soon.pk).update(cancelled_on=today)
    assert send_work_reminders(now=timezone.now())["items"] == 0
    assert escalate_overdue_items(now=timezone.now())["items"] == 0


def test_the_head_sees_the_escalated_marker(today, counsellor, head, page_client):
    late = item(counsellor, days(-10))
    escalate_overdue_items(now=timezone.now())
    html = page_client(head).get("/worklist/unit/?escalated=on").content.decode()
    assert f'data-item="{late.pk}"' in html
    assert 'class="tag bad escalated"' in html


def test_the_commands(today, counsellor):
    item(counsellor, days(0), assignee=counsellor)
    item(counsellor, days(-30), assignee=counsellor)
    out = io.StringIO()
    call_command("send_work_reminders", stdout=out)
    call_command("escalate_overdue_items", stdout=out)
    assert out.getvalue().splitlines() == [
        "reminded 1 work items in 1 notices",
        "escalated 1 work items in 1 notices",
    ]
