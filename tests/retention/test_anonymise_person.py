import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from guidance.models import GuidanceCase, IntakeRecord, PersonalPolicyPlan
from keygroups.models import Membership
from notifications.models import Notice, Push, PushStatus
from people.models import Consent, ContactAttempt, Person, Transfer
from people.selectors import person_list
from recommendations.models import Recommendation
from retention.anonymise import ANONYMISED_NAME
from retention.services import anonymise_person
from servicerecords.models import ServiceRecord, ServiceType
from tests.factories import person as make_person
from tests.factories import valid_id_number
from worklist.models import WorkItem

SECRET_NOTE = "住在八廓街12号，母亲卓玛"
ID_NUMBER = valid_id_number(sequence=7)


@pytest.fixture
def subject(personas):
    counsellor = personas["counsellor_chengguan"]
    person = make_person(
        user=counsellor,
        id_number=ID_NUMBER,
        name_zh="次仁旺堆",
        name_bo="ཚེ་རིང་དབང་འདུས།",
        address="八廓街12号",
        skills="唐卡绘画",
        work_history="拉萨饭店厨师",
        disability_details="左腿残疾",
        external_id="REG-0007",
    )
    unit = person.unit
    ContactAttempt.objects.create(
        person=person, at=timezone.now(), channel="phone", outcome="reached", note=SECRET_NOTE, by=counsellor
    )
    Transfer.objects.create(person=person, from_unit=unit, to_unit=unit, reason=SECRET_NOTE, by=counsellor)
    ServiceRecord.objects.create(
        person=person,
        service_type=ServiceType.objects.first(),
        on=timezone.localdate(),
        staff=counsellor,
        unit=unit,
        channel="in_person",
        language="zh-hans",
        notes=SECRET_NOTE,
        outcome=SECRET_NOTE,
    )
    Consent.objects.create(
        person=person, purpose="notifications", given_at=timezone.now(), recorded_by=counsellor
    )
    Push.objects.create(
        person=person,
        item_type="policy",
        item_id=1,
        channel="sms",
        language="zh-hans",
        subject="次仁旺堆您好",
        body=SECRET_NOTE,
        dedupe_key=f"{person.pk}:x",
    )
    case = GuidanceCase.objects.create(
        person=person, opened_on=timezone.localdate(), outcome_note=SECRET_NOTE
    )
    IntakeRecord.objects.create(case=case, on=timezone.localdate(), by=counsellor, notes=SECRET_NOTE)
    PersonalPolicyPlan.objects.create(
        person=person,
        number=1,
        created_on=timezone.localdate(),
        created_by=counsellor,
        situation=SECRET_NOTE,
        measures=SECRET_NOTE,
        review_on=timezone.localdate(),
    )
    Notice.objects.create(
        user=counsellor, kind="x", language="zh-hans", subject="次仁旺堆的档案", body="请联系次仁旺堆"
    )
    WorkItem.objects.create(
        kind="monthly_update",
        person=person,
        unit=unit,
        source_type="people.person",
        source_id=person.pk,
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    return person


def statistics_counts(person) -> dict:
    return {
        "services": ServiceRecord.objects.filter(person=person).count(),
        "contacts": ContactAttempt.objects.filter(person=person).count(),
        "memberships": Membership.objects.filter(person=person).count(),
        "recommendations": Recommendation.objects.filter(person=person).count(),
        "work_items": WorkItem.objects.filter(person=person).count(),
        "persons": Person.objects.count(),
    }


def all_text_of(person) -> str:
    """Every related free-text value, to search for the removed strings."""
    values = []
    values += ContactAttempt.objects.filter(person=person).values_list("note", flat=True)
    values += Transfer.objects.filter(person=person).values_list("reason", flat=True)
    for notes, outcome in ServiceRecord.objects.filter(person=person).values_list("notes", "outcome"):
        values += [notes, outcome]
    for subject, body in Push.objects.filter(person=person).values_list("subject", "body"):
        values += [subject, body]
    values += GuidanceCase.objects.filter(person=person).values_list("outcome_note", flat=True)
    values += IntakeRecord.objects.filter(case__person=person).values_list("notes", flat=True)
    for situation, measures in PersonalPolicyPlan.objects.filter(person=person).values_list(
        "situation", "measures"
    ):
        values += [situation, measures]
    for subject, body in Notice.objects.values_list("subject", "body"):
        values += [subject, body]
    return "\n".join(values)


def raw_person_row(pk) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [pk])
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_identity_is_removed_and_statistics_stay(subject, personas):
    before_counts = statistics_counts(subject)
    old_index = subject.id_number_index
    anonymise_person(subject, actor=personas["secadmin"], reason="subject request 12")

    row = raw_person_row(subject.pk)
    for column in (
        "name_bo",
        "name_pinyin",
        "name_wylie",
        "id_number",
        "id_number_masked",
        "phone",
        "phone_index",
        "phone_masked",
        "address",
        "skills",
        "work_history",
        "disability_details",
    ):
        assert row[column] in ("", None), column
    assert row["name_zh"] == ANONYMISED_NAME
    assert row["external_id"] is None
    assert row["id_number_index"] != old_index
    person = Person.objects.get(pk=subject.pk)
    assert person.birth_date == datetime.date(1990, 1, 1)
    assert person.sex == subject.sex and person.unit_id == subject.unit_id
    assert person.anonymised_at is not None

    text = all_text_of(subject)
    for removed in ("次仁旺堆", SECRET_NOTE, "ཚེ་རིང"):
        assert removed not in text
    assert statistics_counts(subject) == before_counts
    assert not WorkItem.objects.filter(
        person=subject, done_on__isnull=True, cancelled_on__isnull=True
    ).exists()
    assert not Consent.objects.filter(person=subject, withdrawn_at__isnull=True).exists()
    assert Push.objects.get(person=subject).status == PushStatus.CANCELLED


def test_audit_entry_holds_no_removed_value(subject, personas):
    anonymise_person(subject, actor=personas["secadmin"], reason="retention")
    entry = AuditEntry.objects.filter(object_type="people.person", object_id=str(subject.pk)).latest("id")
    assert entry.note == "anonymised: retention"
    dumped = f"{entry.changes} {entry.object_repr} {entry.note}"
    for removed in (
        "次仁旺堆",
        "ཚེ་རིང",
        ID_NUMBER,
        ID_NUMBER[-4:] + "'",
        "13812345678",
        "八廓街12号",
        "1990-03-07",
    ):
        assert removed not in dumped
    assert entry.changes["address"]["before"] == "******"


def test_twice_is_harmless(subject, personas):
    anonymise_person(subject, actor=None, reason="retention")
    first = raw_person_row(subject.pk)
    entries = AuditEntry.objects.count()
    anonymise_person(subject, actor=None, reason="retention")
    assert raw_person_row(subject.pk) == first
    assert AuditEntry.objects.count() == entries


def test_search_no_longer_finds_the_person(subject, personas):
    user = personas["counsellor_chengguan"]
    for query in ("次仁旺堆", "ciren", "ཚེ་རིང", ID_NUMBER, "13812345678"):
        assert subject in person_list(user=user, q=query), query
    anonymise_person(subject, actor=None, reason="retention")
    for query in ("次仁旺堆", "ciren", "ཚེ་རིང", ID_NUMBER, "13812345678"):
        assert subject not in person_list(user=user, q=query), query


def test_pages_still_render(subject, personas, page_client):
    anonymise_person(subject, actor=None, reason="retention")
    client = page_client(personas["counsellor_chengguan"])
    listing = client.get(reverse("people:person_list"))
    assert listing.status_code == 200
    assert ANONYMISED_NAME in listing.content.decode()
    detail = client.get(reverse("people:person_detail", args=[subject.pk]))
    assert detail.status_code == 200
    assert "次仁旺堆" not in detail.content.decode()


def test_api_detail_and_list_still_answer(subject, personas, api):
    anonymise_person(subject, actor=None, reason="retention")
    client = api(personas["counsellor_chengguan"])
    detail = client.get(f"/api/v1/persons/{subject.pk}/")
    assert detail.status_code == 200
    assert detail.json()["name_zh"] == ANONYMISED_NAME and detail.json()["id_number_masked"] == ""
    assert client.get("/api/v1/persons/").status_code == 200
