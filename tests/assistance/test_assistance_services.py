"""Assistance files (§5.9): opened on entry into a key group or by hand, first assistance
and follow-ups met by services, measures, and closing with a station head's approval."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from assistance.models import AssistanceFile, CategoryAssistance, FileMeasure, FileStatus, Outcome
from assistance.services import (
    file_decide_closure,
    file_open,
    file_propose_closure,
    measure_add,
    measure_update,
    open_missing_files,
)
from audit.models import Action, AuditEntry
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from keygroups.models import Category, Membership
from keygroups.services import membership_end, memberships_refresh
from tests.assistance.assistance_builders import disabled, give, graduate, outsider, veteran
from worklist.models import Kind, WorkItem

TODAY = datetime.date(2026, 11, 16)  # a Monday


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 16, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]


def _file(p) -> AssistanceFile:
    return AssistanceFile.objects.get(person=p)


def _items(file, kind=None):
    items = WorkItem.objects.filter(source_type="assistance.assistancefile", source_id=file.pk)
    return items.filter(kind=kind) if kind else items


# --- opening ------------------------------------------------------------------------------


def test_entering_a_derived_group_opens_one_file_under_the_sub_category(counsellor):
    p = disabled(counsellor)  # disabled and hard-to-employ at once
    file = _file(p)
    assert file.category.code == "disabled"
    assert (file.status, file.opened_on, file.opened_by) == (FileStatus.OPEN, TODAY, None)
    assert file.first_assistance_due == datetime.date(2026, 11, 21)
    # The measures of both groups entered, each once.
    assert sorted(file.measures.values_list("kind", flat=True)) == [
        "counselling",
        "job_recommendation",
        "public_welfare_post",
        "subsidy",
        "training",
    ]
    assert set(file.measures.values_list("planned_on", flat=True)) == {TODAY}
    item = _items(file).get()
    assert (item.kind, item.due_on, item.assignee) == (Kind.FIRST_ASSISTANCE, file.first_assistance_due, None)
    entry = AuditEntry.objects.get(object_type="assistance.assistancefile", object_id=str(file.pk))
    assert entry.action == Action.CREATE and entry.actor is None and "entry" in entry.note


def test_the_measures_follow_the_category_table(counsellor):
    assert CategoryAssistance.objects.count() == 13
    p = graduate(counsellor)
    assert _file(p).category.code == "unemployed_graduate"
    assert sorted(_file(p).measures.values_list("kind", flat=True)) == [
        "counselling",
        "entrepreneurship",
        "job_recommendation",
        "training",
    ]


def test_a_manual_group_opens_the_file_too_and_a_second_group_adds_measures_not_a_file(counsellor):
    p = veteran(counsellor)
    file = _file(p)
    assert file.category.code == "veteran"
    assert sorted(file.measures.values_list("kind", flat=True)) == [
        "entrepreneurship",
        "job_recommendation",
        "training",
    ]
    from keygroups.services import membership_add_manual

    membership_add_manual(
        acting_user=counsellor,
        person=p,
        category=Category.objects.get(code="single_parent"),
        started_on=TODAY,
        evidence="户口簿",
    )
    assert AssistanceFile.objects.filter(person=p).count() == 1
    assert sorted(_file(p).measures.values_list("kind", flat=True)) == [
        "counselling",
        "entrepreneurship",
        "job_recommendation",
        "public_welfare_post",
        "subsidy",
        "training",
    ]
    assert _items(file, Kind.FIRST_ASSISTANCE).count() == 1


def test_a_manual_group_recorded_late_opens_the_file_today(counsellor):
    p = veteran(counsellor, started_on=datetime.date(2015, 3, 1))
    assert _file(p).opened_on == TODAY


def test_nobody_outside_the_groups_gets_a_file(counsellor):
    assert not AssistanceFile.objects.filter(person=outsider(counsellor)).exists()


def test_the_bulk_refresh_opens_files_as_the_register_does(counsellor):
    p = outsider(counsellor, employment_status="unemployed")
    type(p).objects.filter(pk=p.pk).update(disability="3")
    result = memberships_refresh(person_ids=[p.pk], today=TODAY)
    assert result["opened"] == 2
    assert _file(p).category.code == "disabled"
    memberships_refresh(person_ids=[p.pk], today=TODAY)  # nothing new: nothing more
    assert AssistanceFile.objects.filter(person=p).count() == 1


def test_opening_by_hand(counsellor, personas):
    p = veteran(counsellor)
    AssistanceFile.objects.filter(person=p).delete()
    WorkItem.objects.all().delete()
    veteran_group = Category.objects.get(code="veteran")
    with pytest.raises(ValidationFailed) as refused:
        file_open(
            person=p, category=Category.objects.get(code="disabled"), opened_on=TODAY, acting_user=counsellor
        )
    assert "category" in refused.value.errors
    with pytest.raises(ValidationFailed):
        file_open(
            person=p,
            category=veteran_group,
            opened_on=TODAY + datetime.timedelta(days=1),
            acting_user=counsellor,
        )
    with pytest.raises(NotAllowed):
        file_open(person=p, category=veteran_group, opened_on=TODAY, acting_user=personas["counsellor_jiri"])
    with pytest.raises(NotAllowed):
        file_open(
            person=p, category=veteran_group, opened_on=TODAY, acting_user=personas["district_chengguan"]
        )
    file = file_open(person=p, category=veteran_group, opened_on=TODAY, acting_user=counsellor)
    assert file.opened_by == counsellor
    assert _items(file, Kind.FIRST_ASSISTANCE).get().assignee == counsellor
    # A second open returns the open file.
    assert file_open(person=p, category=veteran_group, opened_on=TODAY, acting_user=counsellor) == file
    assert AssistanceFile.objects.filter(person=p).count() == 1


def test_the_nightly_catch_up_opens_what_entry_missed_and_never_reopens_a_closed_file(counsellor, personas):
    missed = veteran(counsellor, name_zh="甲")
    from keygroups.services import membership_add_manual

    membership_add_manual(  # three open memberships (with hard-to-employ): still one file
        acting_user=counsellor,
        person=missed,
        category=Category.objects.get(code="single_parent"),
        started_on=TODAY,
        evidence="户口簿",
    )
    closed = veteran(counsellor, name_zh="乙")
    AssistanceFile.objects.filter(person=missed).delete()
    file = _file(closed)
    file_propose_closure(acting_user=counsellor, file=file, outcome=Outcome.LOST_CONTACT, note="", version=1)
    file_decide_closure(acting_user=personas["head_chengguan"], file=file, approve=True, note="", version=2)
    out = outsider(counsellor)
    assert open_missing_files(today=TODAY) == 1
    assert _file(missed).status == FileStatus.OPEN and _file(missed).category.code == "single_parent"
    assert AssistanceFile.objects.filter(person=closed).count() == 1
    assert not AssistanceFile.objects.filter(person=out).exists()
    call_command("open_missing_assistance_files", stdout=open("/dev/null", "w"))
    assert AssistanceFile.objects.count() == 2


# --- assistance given ---------------------------------------------------------------------


def test_first_assistance_meets_the_item_and_schedules_the_follow_up(counsellor):
    p = disabled(counsellor)
    file = _file(p)
    record = give(counsellor, p, "2026-11-16")
    file.refresh_from_db()
    assert record.assistance_file == file
    assert file.first_assistance_on == TODAY
    assert file.next_follow_up_due == datetime.date(2026, 12, 16)  # disabled: every 30 days
    first = _items(file, Kind.FIRST_ASSISTANCE).get()
    assert first.done_on == TODAY and not first.is_open
    follow_up = _items(file, Kind.FOLLOW_UP).get()
    assert (follow_up.due_on, follow_up.assignee, follow_up.is_open) == (
        datetime.date(2026, 12, 16),
        counsellor,
        True,
    )


def _disabled_since_november(counsellor):
    """A file opened on 2026-11-01, so that services can be given on the days before today."""
    with time_machine.travel(datetime.datetime(2026, 11, 1, 10, tzinfo=datetime.UTC), tick=False):
        return disabled(counsellor)


def test_each_follow_up_meets_the_one_due_and_opens_the_next(counsellor):
    p = _disabled_since_november(counsellor)
    CategoryAssistance.objects.filter(category__code="disabled").update(follow_up_days=10)
    give(counsellor, p, "2026-11-02")
    give(counsellor, p, "2026-11-10")
    file = _file(p)
    assert (file.first_assistance_on, file.next_follow_up_due) == (
        datetime.date(2026, 11, 2),
        datetime.date(2026, 11, 20),
    )
    follow_ups = list(_items(file, Kind.FOLLOW_UP).order_by("id").values_list("due_on", "done_on"))
    assert follow_ups == [
        (datetime.date(2026, 11, 12), datetime.date(2026, 11, 10)),
        (datetime.date(2026, 11, 20), None),
    ]


def test_an_older_service_recorded_late_moves_first_assistance_only(counsellor):
    p = _disabled_since_november(counsellor)
    give(counsellor, p, "2026-11-10")
    give(counsellor, p, "2026-11-05")
    file = _file(p)
    assert (file.first_assistance_on, file.next_follow_up_due) == (
        datetime.date(2026, 11, 5),
        datetime.date(2026, 12, 10),
    )
    follow_up = _items(file, Kind.FOLLOW_UP).get()
    assert (follow_up.due_on, follow_up.is_open) == (datetime.date(2026, 12, 10), True)
    assert _items(file, Kind.FIRST_ASSISTANCE).get().done_on == datetime.date(2026, 11, 10)


def test_a_second_service_on_the_same_day_leaves_one_open_follow_up(counsellor):
    p = disabled(counsellor)
    give(counsellor, p, "2026-11-16")
    give(counsellor, p, "2026-11-16", code="follow_up_visit")
    assert _items(_file(p), Kind.FOLLOW_UP).filter(done_on__isnull=True).count() == 1


def test_the_category_rhythm_or_the_default(counsellor, settings):
    settings.CASE_MANAGEMENT = {**settings.CASE_MANAGEMENT, "FOLLOW_UP_DAYS_DEFAULT": 7}
    p = veteran(counsellor)
    CategoryAssistance.objects.filter(category__code="veteran").delete()
    give(counsellor, p, "2026-11-16")
    assert _file(p).next_follow_up_due == datetime.date(2026, 11, 23)
    q = graduate(counsellor)
    give(counsellor, q, "2026-11-16")
    assert _file(q).next_follow_up_due == datetime.date(2026, 12, 16)  # the graduates' 30


def test_a_service_that_is_not_assistance_is_not_filed(counsellor):
    p = disabled(counsellor)
    record = give(counsellor, p, "2026-11-16", code="information_update")
    assert record.assistance_file is None
    assert _file(p).first_assistance_on is None
    assert _items(_file(p), Kind.FIRST_ASSISTANCE).get().is_open


def test_a_service_before_the_file_opened_is_history(counsellor):
    p = disabled(counsellor)
    record = give(counsellor, p, "2026-11-01")
    assert record.assistance_file is None and _file(p).first_assistance_on is None


# --- measures -----------------------------------------------------------------------------


def test_a_measure_is_started_and_done_with_dates_and_a_note(counsellor, personas):
    p = disabled(counsellor)
    measure = _file(p).measures.get(kind="public_welfare_post")
    measure_update(
        acting_user=counsellor,
        measure=measure,
        expected_version=1,
        started_on=datetime.date(2026, 11, 10),
        done_on=None,
        note="报名社区保洁岗",
    )
    measure.refresh_from_db()
    assert (measure.started_on, measure.done_on, measure.version) == (datetime.date(2026, 11, 10), None, 2)
    with pytest.raises(ConcurrentEdit):
        measure_update(
            acting_user=counsellor, measure=measure, expected_version=1, started_on=None, done_on=TODAY
        )
    with pytest.raises(ValidationFailed) as refused:
        measure_update(
            acting_user=counsellor,
            measure=measure,
            expected_version=2,
            started_on=datetime.date(2026, 11, 10),
            done_on=datetime.date(2026, 11, 9),
        )
    assert "done_on" in refused.value.errors
    with pytest.raises(NotAllowed):
        measure_update(
            acting_user=personas["counsellor_jiri"],
            measure=measure,
            expected_version=2,
            started_on=None,
            done_on=TODAY,
        )
    measure_update(
        acting_user=counsellor, measure=measure, expected_version=2, started_on=None, done_on=TODAY
    )
    measure.refresh_from_db()
    assert (measure.started_on, measure.done_on) == (TODAY, TODAY)  # done means started by then


def test_a_measure_beyond_the_category(counsellor):
    p = disabled(counsellor)
    measure_add(acting_user=counsellor, file=_file(p), kind="entrepreneurship")
    with pytest.raises(ValidationFailed):
        measure_add(acting_user=counsellor, file=_file(p), kind="entrepreneurship")
    assert FileMeasure.objects.filter(file__person=p).count() == 6


# --- closing ------------------------------------------------------------------------------


def test_closure_needs_a_station_head_who_did_not_propose_it(counsellor, personas):
    head = personas["head_chengguan"]
    p = disabled(counsellor)
    give(counsellor, p, "2026-11-16")
    file = _file(p)
    file = file_propose_closure(
        acting_user=head, file=file, outcome=Outcome.EMPLOYED, note="保洁公司", version=2
    )
    assert file.status == FileStatus.CLOSING
    closure_item = _items(file, Kind.FILE_CLOSURE).get()
    assert closure_item.due_on == datetime.date(2026, 11, 19)  # three working days
    with pytest.raises(NotAllowed):  # their own proposal
        file_decide_closure(acting_user=head, file=file, approve=True, note="", version=3)
    with pytest.raises(NotAllowed):  # a counsellor
        file_decide_closure(acting_user=counsellor, file=file, approve=True, note="", version=3)
    assert _file(p).status == FileStatus.CLOSING


def test_refusal_sends_the_file_back_open_with_the_reason(counsellor, personas):
    head = personas["head_chengguan"]
    p = disabled(counsellor)
    file = file_propose_closure(
        acting_user=counsellor, file=_file(p), outcome=Outcome.EMPLOYED, note="", version=1
    )
    with pytest.raises(ValidationFailed):
        file_decide_closure(acting_user=head, file=file, approve=False, note=" ", version=2)
    file = file_decide_closure(acting_user=head, file=file, approve=False, note="还没签合同", version=2)
    assert (file.status, file.outcome, file.decision_note, file.closed_on) == (
        FileStatus.OPEN,
        "",
        "还没签合同",
        None,
    )
    assert _items(file, Kind.FILE_CLOSURE).get().done_on == TODAY
    assert _items(file, Kind.FIRST_ASSISTANCE).get().is_open
    with pytest.raises(ValidationFailed):  # nothing to decide any more
        file_decide_closure(acting_user=head, file=file, approve=True, note="", version=3)


def test_approval_closes_the_file_and_cancels_its_open_items(counsellor, personas):
    p = disabled(counsellor)
    give(counsellor, p, "2026-11-16")
    file = file_propose_closure(
        acting_user=counsellor, file=_file(p), outcome=Outcome.LEFT_GROUP, note="", version=2
    )
    with pytest.raises(ConcurrentEdit):
        file_decide_closure(
            acting_user=personas["head_chengguan"], file=file, approve=True, note="", version=2
        )
    file = file_decide_closure(
        acting_user=personas["head_chengguan"], file=file, approve=True, note="", version=3
    )
    assert (file.status, file.closed_on, file.closed_by) == (
        FileStatus.CLOSED,
        TODAY,
        personas["head_chengguan"],
    )
    assert not _items(file).filter(done_on__isnull=True, cancelled_on__isnull=True).exists()
    assert _items(file, Kind.FOLLOW_UP).get().cancelled_on == TODAY
    assert _items(file, Kind.FILE_CLOSURE).get().done_on == TODAY
    # A closed file takes no more assistance; the next entry opens a new file.
    record = give(counsellor, p, "2026-11-16")
    assert record.assistance_file is None
    membership = Membership.objects.get(person=p, category__code="disabled")
    membership_end_and_reenter(counsellor, p, membership)
    assert AssistanceFile.objects.filter(person=p).exclude(status=FileStatus.CLOSED).count() == 1


def membership_end_and_reenter(counsellor, p, membership):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC), tick=False):
        type(p).objects.filter(pk=p.pk).update(disability="none")
        memberships_refresh(person_ids=[p.pk], today=datetime.date(2026, 11, 20))
        assert not Membership.objects.filter(pk=membership.pk, ended_on__isnull=True).exists()
        type(p).objects.filter(pk=p.pk).update(disability="2")
        memberships_refresh(person_ids=[p.pk], today=datetime.date(2026, 11, 21))


def test_moving_out_of_lhasa_needs_the_destination(counsellor):
    p = disabled(counsellor)
    with pytest.raises(ValidationFailed) as refused:
        file_propose_closure(
            acting_user=counsellor, file=_file(p), outcome=Outcome.MOVED_AWAY, note="", version=1
        )
    assert "note" in refused.value.errors
    file = file_propose_closure(
        acting_user=counsellor, file=_file(p), outcome=Outcome.MOVED_AWAY, note="迁往成都市", version=1
    )
    assert file.outcome_note == "迁往成都市"


def test_only_an_open_file_can_be_proposed_and_only_by_front_line_staff(counsellor, personas):
    p = disabled(counsellor)
    with pytest.raises(NotAllowed):
        file_propose_closure(
            acting_user=personas["district_chengguan"],
            file=_file(p),
            outcome=Outcome.EMPLOYED,
            note="",
            version=1,
        )
    file_propose_closure(acting_user=counsellor, file=_file(p), outcome=Outcome.EMPLOYED, note="", version=1)
    with pytest.raises(ValidationFailed):
        file_propose_closure(
            acting_user=counsellor, file=_file(p), outcome=Outcome.EMPLOYED, note="", version=2
        )


def test_ending_a_membership_leaves_the_file_to_the_counsellor(counsellor):
    p = veteran(counsellor)
    membership_end(
        acting_user=counsellor,
        membership=Membership.objects.get(person=p, category__code="veteran"),
        ended_on=TODAY,
        reason="录入错误",
    )
    assert _file(p).status == FileStatus.OPEN  # closing is a decision with an outcome


def test_a_move_within_lhasa_is_a_transfer_and_the_file_follows(counsellor, personas):
    from network.models import OrgUnit
    from people.services import person_transfer
    from servicerecords.selectors import service_list

    p = disabled(counsellor)
    give(counsellor, p, "2026-11-16")
    p.refresh_from_db()
    person_transfer(
        acting_user=counsellor,
        person=p,
        unit=OrgUnit.objects.get(code="540102003"),
        reason="搬到吉日街道",
        version=p.version,
    )
    file = _file(p)
    assert file.status == FileStatus.OPEN and file.first_assistance_on == TODAY  # history kept
    assert _items(file, Kind.FOLLOW_UP).get().unit.code == "540102003"
    jiri = personas["counsellor_jiri"]
    assert service_list(user=jiri, person_id=p.pk).count() == 1  # the services moved into their view
    assert not service_list(user=counsellor, person_id=p.pk).exists()
    record = give(jiri, p, "2026-11-16", code="follow_up_visit")
    assert record.assistance_file == file and record.unit.code == "540102003"
    with pytest.raises(NotAllowed):
        file_propose_closure(acting_user=counsellor, file=file, outcome=Outcome.EMPLOYED, note="", version=3)
