"""The 1:4 ratio: distinct items sent to each key-group person in the calendar month."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from keygroups.models import Category
from keygroups.services import membership_add_manual
from notifications.models import Push, PushStatus, dedupe_key
from notifications.selectors import push_ratio_by_unit, push_ratio_summary, pushes_this_month
from tests.factories import person, valid_id_number

LHASA = ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 11, 20)


def at(day: str, time: str = "10:00"):
    return datetime.datetime.fromisoformat(f"{day}T{time}:00").replace(tzinfo=LHASA)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(at("2026-11-20"), tick=False):
        yield


def veteran(user, unit_code, sequence, started_on=datetime.date(2026, 9, 1)):
    p = person(user=user, unit_code=unit_code, id_number=valid_id_number(sequence=sequence))
    membership_add_manual(
        acting_user=user,
        person=p,
        category=Category.objects.get(code="veteran"),
        started_on=started_on,
        evidence="退役证 2019-001",
    )
    return p


def sent(who, item_id, when, *, item_type="vacancy", channel="database", status=PushStatus.SENT):
    return Push.objects.create(
        person=who,
        item_type=item_type,
        item_id=item_id,
        channel=channel,
        language="zh-hans",
        subject="s",
        body="b",
        status=status,
        attempts=1,
        sent_at=when if status == PushStatus.SENT else None,
        dedupe_key=dedupe_key(person_id=who.pk, item_type=item_type, item_id=item_id, channel=channel),
    )


@pytest.fixture
def people_and_pushes(personas):
    chengguan, linzhou = personas["counsellor_chengguan"], personas["counsellor_linzhou"]
    full = veteran(chengguan, "540102002", 1)
    short = veteran(chengguan, "540102002", 2)
    outsider = person(user=chengguan, id_number=valid_id_number(sequence=3))  # in no key group
    far = veteran(linzhou, "540121100", 4)
    # `full`: four distinct items; the same vacancy on two channels counts once.
    sent(full, 1, at("2026-11-01", "00:30"))  # just after local midnight: November
    sent(full, 1, at("2026-11-02"), channel="sms")
    sent(full, 2, at("2026-11-03"))
    sent(full, 3, at("2026-11-04"))
    sent(full, 1, at("2026-11-05"), item_type="course")  # course 1 is not vacancy 1
    # `short`: three this month; a failed one and last month's do not count.
    sent(short, 1, at("2026-11-06"))
    sent(short, 2, at("2026-11-07"))
    sent(short, 3, at("2026-11-08"))
    sent(short, 4, None, status=PushStatus.FAILED)
    sent(short, 5, None, status=PushStatus.PENDING)
    sent(short, 6, at("2026-10-31", "23:30"))
    sent(short, 7, at("2026-11-09"), item_type="policy")  # a policy is not a job or training item
    sent(outsider, 1, at("2026-11-09"))
    return {"full": full, "short": short, "outsider": outsider, "far": far}


def test_pushes_this_month_counts_distinct_sent_items(people_and_pushes):
    assert pushes_this_month(person=people_and_pushes["full"], today=TODAY) == 4
    assert pushes_this_month(person=people_and_pushes["short"], today=TODAY) == 3
    assert pushes_this_month(person=people_and_pushes["far"], today=TODAY) == 0
    # October saw one item for `short` (sent 23:30 on the 31st, Lhasa time).
    assert pushes_this_month(person=people_and_pushes["short"], today=datetime.date(2026, 10, 5)) == 1


def test_ratio_rows_for_key_group_persons_in_scope(personas, people_and_pushes):
    rows = {
        p.pk: (p.pushed_items, p.compliant) for p in push_ratio_by_unit(user=personas["city"], today=TODAY)
    }
    assert rows == {
        people_and_pushes["full"].pk: (4, True),
        people_and_pushes["short"].pk: (3, False),
        people_and_pushes["far"].pk: (0, False),
    }
    district = push_ratio_by_unit(user=personas["district_chengguan"], today=TODAY, below_only=True)
    assert [p.pk for p in district] == [people_and_pushes["short"].pk]
    assert not push_ratio_by_unit(user=personas["counsellor_jiri"], today=TODAY).exists()


def test_the_target_is_a_setting(personas, people_and_pushes, settings):
    settings.STANDARD = {**settings.STANDARD, "PUSHED_ITEMS_PER_MONTH": 3}
    rows = {p.pk: p.compliant for p in push_ratio_by_unit(user=personas["district_chengguan"], today=TODAY)}
    assert rows == {people_and_pushes["full"].pk: True, people_and_pushes["short"].pk: True}


def test_membership_that_ended_before_the_month_drops_out(personas, people_and_pushes):
    from keygroups.services import membership_end

    membership = people_and_pushes["short"].key_group_memberships.get()
    membership_end(
        acting_user=personas["counsellor_chengguan"],
        membership=membership,
        ended_on=datetime.date(2026, 10, 15),
        reason="就业",
    )
    pks = {p.pk for p in push_ratio_by_unit(user=personas["district_chengguan"], today=TODAY)}
    assert pks == {people_and_pushes["full"].pk}


def test_summary_per_unit(personas, people_and_pushes):
    summary = {row["unit__code"]: row for row in push_ratio_summary(user=personas["city"], today=TODAY)}
    assert summary["540102002"]["persons"] == 2 and summary["540102002"]["compliant_persons"] == 1
    assert summary["540102002"]["share"] == 50 and summary["540102002"]["unit_name"] == "八廓街道"
    assert summary["540121100"]["persons"] == 1 and summary["540121100"]["compliant_persons"] == 0


def test_people_without_the_power_cannot_read_it(personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        push_ratio_by_unit(user=personas["sysadmin"], today=TODAY)
