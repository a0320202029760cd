"""Receiving and answering data-subject requests: the stored deadline, the work item, the
state machine (no completion before verification), refusals, withdrawals, stale versions,
corrections and deletions."""

import datetime

import pytest

from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from privacy.models import AccessKind, PersonalDataAccess
from subjectrights.models import State, Step, SubjectRequest
from subjectrights.services import NOT_VERIFIED, copy_produce
from tests.subjectrights.conftest import TODAY, act, receive
from worklist.models import Kind, WorkItem


def _item(subject_request) -> WorkItem:
    return WorkItem.objects.get(kind=Kind.SUBJECT_REQUEST, source_id=subject_request.pk)


def test_receipt_stores_the_deadline_and_opens_a_work_item(personas, seeker):
    received_on = TODAY - datetime.timedelta(days=3)
    subject_request = receive(personas["counsellor_chengguan"], seeker, received_on=received_on)
    subject_request.refresh_from_db()
    assert subject_request.due_on == datetime.date(2026, 12, 13)  # 30 calendar days after 11-13
    assert subject_request.unit == seeker.unit and subject_request.state == State.RECEIVED
    item = _item(subject_request)
    assert (item.due_on, item.person_id, item.unit_id) == (subject_request.due_on, seeker.pk, seeker.unit_id)
    assert item.source_type == "subjectrights.subjectrequest" and item.done_on is None
    assert list(Step.objects.filter(request=subject_request).values_list("action", "to_state")) == [
        ("receive", "received")
    ]


def test_the_deadline_is_a_setting(personas, seeker, settings):
    settings.STANDARD = {**settings.STANDARD, "DATA_SUBJECT_REQUEST_DAYS": 15}
    subject_request = receive(personas["counsellor_chengguan"], seeker)
    assert subject_request.due_on == TODAY + datetime.timedelta(days=15)


def test_bad_receipts_are_refused(personas, seeker):
    counsellor = personas["counsellor_chengguan"]
    with pytest.raises(ValidationFailed) as future:
        receive(counsellor, seeker, received_on=TODAY + datetime.timedelta(days=1))
    assert "received_on" in future.value.errors
    with pytest.raises(ValidationFailed) as kind:
        receive(counsellor, seeker, kind="erase_everything")
    assert "kind" in kind.value.errors
    with pytest.raises(ValidationFailed) as details:
        receive(counsellor, seeker, details="  ")
    assert "details" in details.value.errors
    with pytest.raises(NotAllowed):
        receive(personas["counsellor_jiri"], seeker)  # a sibling unit's counsellor
    with pytest.raises(NotAllowed):
        receive(personas["secadmin"], seeker)  # oversees, does not record
    assert (
        not SubjectRequest.objects.exists()
        and not WorkItem.objects.filter(kind=Kind.SUBJECT_REQUEST).exists()
    )


def test_no_completion_before_the_identity_is_verified(personas, seeker):
    counsellor = personas["counsellor_chengguan"]
    subject_request = receive(counsellor, seeker, kind="correction")
    with pytest.raises(ValidationFailed) as refused:
        act(counsellor, subject_request, "complete", outcome="改好了")
    assert refused.value.code == "invalid_transition"
    assert refused.value.errors["action"] == [str(NOT_VERIFIED)]
    subject_request.refresh_from_db()
    assert subject_request.state == State.RECEIVED and subject_request.version == 1
    with pytest.raises(ValidationFailed) as no_method:
        act(counsellor, subject_request, "verify")
    assert "method" in no_method.value.errors
    act(counsellor, subject_request, "verify", method="id_card_seen")
    subject_request.refresh_from_db()
    assert subject_request.state == State.VERIFIED
    assert subject_request.verified_by == counsellor and subject_request.verified_at is not None
    assert _item(subject_request).done_on is None  # verified is not answered


def test_access_is_completed_only_after_the_copy_is_produced(personas, seeker):
    counsellor = personas["counsellor_chengguan"]
    subject_request = receive(counsellor, seeker, kind="access")
    with pytest.raises(ValidationFailed):
        copy_produce(acting_user=counsellor, subject_request=subject_request)  # not verified yet
    act(counsellor, subject_request, "verify", method="face_to_face")
    with pytest.raises(ValidationFailed) as no_copy:
        act(counsellor, subject_request, "complete", outcome="当面交付")
    assert no_copy.value.code == "copy_not_produced"
    subject_request.refresh_from_db()
    copy_produce(acting_user=counsellor, subject_request=subject_request)
    log = PersonalDataAccess.objects.get(reason=f"data-subject request #{subject_request.pk}")
    assert (log.kind, log.subject_type, log.subject_id, log.user) == (
        AccessKind.EXPORT,
        "person",
        str(seeker.pk),
        counsellor,
    )
    act(counsellor, subject_request, "complete", outcome="当面交付")
    subject_request.refresh_from_db()
    assert subject_request.state == State.COMPLETED and subject_request.completed_on == TODAY
    assert subject_request.handled_by == counsellor and subject_request.outcome == "当面交付"
    assert _item(subject_request).done_on == TODAY
    assert [s.action for s in subject_request.steps.all()] == ["receive", "verify", "complete"]
    with pytest.raises(ValidationFailed):
        act(counsellor, subject_request, "refuse", reason="other", note="x")  # answered is final


def test_a_refusal_needs_a_reason_and_a_note(personas, seeker):
    counsellor = personas["counsellor_chengguan"]
    subject_request = receive(counsellor, seeker, kind="deletion")
    with pytest.raises(ValidationFailed) as missing:
        act(counsellor, subject_request, "refuse")
    assert set(missing.value.errors) == {"reason", "note"}
    act(counsellor, subject_request, "refuse", reason="legal_obligation", note="失业登记须依法保存")
    subject_request.refresh_from_db()
    assert (subject_request.state, subject_request.refusal_reason) == (State.REFUSED, "legal_obligation")
    assert _item(subject_request).done_on == TODAY  # a refusal is an answer in time


def test_a_withdrawal_cancels_the_work_item(personas, seeker):
    counsellor = personas["counsellor_chengguan"]
    subject_request = receive(counsellor, seeker, kind="copy")
    act(counsellor, subject_request, "withdraw", note="本人撤回")
    item = _item(subject_request)
    assert item.cancelled_on == TODAY and item.done_on is None
    subject_request.refresh_from_db()
    assert subject_request.state == State.WITHDRAWN


def test_a_stale_version_is_refused(personas, seeker):
    counsellor, head = personas["counsellor_chengguan"], personas["head_chengguan"]
    subject_request = receive(counsellor, seeker)
    stale = subject_request.version
    act(head, subject_request, "verify", method="id_card_seen")
    with pytest.raises(ConcurrentEdit) as conflict:
        act(counsellor, subject_request, "withdraw", version=stale)
    assert conflict.value.status == 409 and conflict.value.code == "concurrent_edit"
    subject_request.refresh_from_db()
    assert subject_request.state == State.VERIFIED


def test_a_correction_records_the_fields_changed(personas, seeker):
    from people.services import person_update

    counsellor = personas["counsellor_chengguan"]
    subject_request = receive(counsellor, seeker, kind="correction", details="地址写错了")
    act(counsellor, subject_request, "verify", method="id_card_seen")
    seeker.refresh_from_db()
    person_update(
        acting_user=counsellor,
        person=seeker,
        expected_version=seeker.version,
        changes={"address": "八廓街15号", "major": "旅游管理"},
    )
    act(counsellor, subject_request, "complete", outcome="已更正地址和专业")
    subject_request.refresh_from_db()
    assert subject_request.changed_fields == ["address", "major"]


def test_only_a_station_head_or_above_completes_a_deletion(personas, seeker, monkeypatch):
    import retention.services

    calls = []
    monkeypatch.setattr(
        retention.services,
        "anonymise_person",
        lambda person, *, actor, reason, request=None: calls.append((person.pk, actor, reason)),
        raising=False,
    )
    counsellor, head = personas["counsellor_chengguan"], personas["head_chengguan"]
    subject_request = receive(counsellor, seeker, kind="account_cancellation")
    act(counsellor, subject_request, "verify", method="id_card_seen")
    with pytest.raises(NotAllowed):
        act(counsellor, subject_request, "complete", outcome="注销")
    assert calls == []
    act(head, subject_request, "complete", outcome="已注销并匿名化")
    assert calls == [(seeker.pk, head, f"data-subject request #{subject_request.pk}")]
    assert _item(subject_request).done_on == TODAY


def test_a_deletion_anonymises_and_the_request_remains(personas, seeker):
    counsellor, head = personas["counsellor_chengguan"], personas["head_chengguan"]
    subject_request = receive(counsellor, seeker, kind="deletion", details="请删除我的个人信息")
    act(counsellor, subject_request, "verify", method="id_card_seen")
    act(head, subject_request, "complete", outcome="已匿名化")
    seeker.refresh_from_db()
    assert "次仁卓玛" not in (seeker.name_zh or "") and "ཚེ་རིང" not in (seeker.name_bo or "")
    assert seeker.anonymised_at is not None and not seeker.phone and "八廓街12号" not in seeker.address
    subject_request.refresh_from_db()
    assert subject_request.state == State.COMPLETED and subject_request.person_id == seeker.pk
    assert subject_request.details == "" and subject_request.outcome == "已匿名化"
    assert _item(subject_request).done_on == TODAY  # done before the anonymisation cancels open work
    assert [s.action for s in subject_request.steps.all()] == ["receive", "verify", "complete"]


def test_a_deletion_waits_for_the_persons_other_open_requests(personas, seeker):
    """Anonymising cancels the person's work items: an open copy request would be lost."""
    counsellor, head = personas["counsellor_chengguan"], personas["head_chengguan"]
    copy_request = receive(counsellor, seeker, kind="copy")
    deletion = receive(counsellor, seeker, kind="deletion", details="请删除我的个人信息")
    act(counsellor, deletion, "verify", method="id_card_seen")
    with pytest.raises(ValidationFailed) as refused:
        act(head, deletion, "complete", outcome="已匿名化")
    assert refused.value.code == "others_open"
    assert f"#{copy_request.pk} " in refused.value.errors["action"][0]
    seeker.refresh_from_db()
    deletion.refresh_from_db()
    assert seeker.anonymised_at is None and seeker.name_zh == "次仁卓玛"
    assert deletion.state == State.VERIFIED and _item(copy_request).done_on is None

    act(counsellor, copy_request, "verify", method="id_card_seen")
    copy_produce(acting_user=counsellor, subject_request=SubjectRequest.objects.get(pk=copy_request.pk))
    act(counsellor, copy_request, "complete", outcome="已交付副本")
    act(head, deletion, "complete", outcome="已匿名化")
    seeker.refresh_from_db()
    assert seeker.anonymised_at is not None
    assert _item(copy_request).done_on == TODAY and _item(deletion).done_on == TODAY
