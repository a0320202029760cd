"""Transfer of a person's file to another unit: history kept, open items moved and
unassigned, notices to the receiving unit, and scope following the file."""

import pytest
from django.http import Http404

from audit.models import AuditEntry
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from notifications.models import Notice
from people.models import Person, Transfer
from people.selectors import person_get, person_list
from people.services import person_transfer
from tests.conftest import make_user
from tests.worklist.conftest import days, item, someone, unit
from worklist.models import WorkItem
from worklist.selectors import my_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiving(personas):
    """吉日街道: a counsellor (persona) and a station head."""
    return {
        "counsellor": personas["counsellor_jiri"],
        "head": make_user("head_jiri", "station_head", "540102003"),
    }


@pytest.fixture
def moving(today, counsellor, colleague):
    """A person of 八廓街道 with two open items (one assigned) and one done."""
    person = someone(counsellor, name_zh="平措")
    open_items = [
        item(counsellor, days(-1), person=person, assignee=counsellor),
        item(counsellor, days(3), kind="monthly_update", person=person),
    ]
    done = item(counsellor, days(-5), kind="follow_up", person=person, assignee=colleague)
    WorkItem.objects.filter(pk=done.pk).update(done_on=today)
    return person, open_items, done


def transfer(user, person, code="540102003", **values):
    person = Person.objects.get(pk=person.pk)
    values.setdefault("reason", "搬到吉日街道居住")
    values.setdefault("version", person.version)
    return person_transfer(acting_user=user, person=person, unit=unit(code), **values)


def test_transfer_keeps_history_moves_items_and_notifies(
    today, counsellor, colleague, receiving, moving, personas
):
    person, open_items, done = moving
    result = transfer(counsellor, person)

    person.refresh_from_db()
    assert person.unit.code == "540102003"
    assert person.residence_unit.code == "540102002"  # not asked to move the residence
    row = Transfer.objects.get(person=person)
    assert (row.from_unit.code, row.to_unit.code, row.by, row.reason, row.items_moved) == (
        "540102002",
        "540102003",
        counsellor,
        "搬到吉日街道居住",
        2,
    )
    assert row == result
    for work in open_items:
        work.refresh_from_db()
        assert (work.unit.code, work.assignee, work.is_open) == ("540102003", None, True)
    done.refresh_from_db()
    assert (done.unit.code, done.assignee) == ("540102002", colleague)  # history stays where it was done
    assert AuditEntry.objects.filter(
        object_type="people.person", object_id=str(person.pk), note="transfer"
    ).exists()
    assert AuditEntry.objects.filter(object_type="people.transfer", action="create").exists()

    for user in receiving.values():
        [notice] = Notice.objects.filter(user=user, kind="person_transferred")
        assert person.id_number_masked in notice.body and "搬到吉日街道居住" in notice.body
    # The sending side is not told of its own act; units elsewhere hear nothing.
    assert not Notice.objects.filter(kind="person_transferred", user__unit__code="540102002").exists()
    assert not Notice.objects.filter(kind="person_transferred", user=personas["counsellor_linzhou"]).exists()


def test_the_sending_unit_no_longer_sees_the_person_and_the_receiving_one_does(
    today, counsellor, receiving, moving
):
    person, open_items, _done = moving
    transfer(counsellor, person)
    with pytest.raises(Http404):
        person_get(user=counsellor, pk=person.pk)
    assert person.pk not in set(person_list(user=counsellor).values_list("pk", flat=True))
    assert person_get(user=receiving["counsellor"], pk=person.pk) == person
    # The items are in the receiving counsellors' work now, waiting to be taken.
    theirs = {i.pk for group in my_work(user=receiving["counsellor"], today=today).values() for i in group}
    assert theirs == {w.pk for w in open_items}
    assert not any(my_work(user=counsellor, today=today).values())
    # The history row is the receiving unit's to read now.
    assert Transfer.objects.filter(person__unit__code="540102003").count() == 1


def test_residence_moves_when_asked(today, counsellor, moving):
    person, _items, _done = moving
    transfer(counsellor, person, move_residence=True)
    person.refresh_from_db()
    assert (person.unit.code, person.residence_unit.code) == ("540102003", "540102003")
    assert Transfer.objects.get(person=person).residence_moved


def test_a_transfer_to_anywhere_in_lhasa(today, counsellor, moving):
    person, _items, _done = moving
    transfer(counsellor, person, code="540121100")  # 林周县甘丹曲果镇
    person.refresh_from_db()
    assert person.unit.code == "540121100"


@pytest.mark.parametrize(
    ("code", "reason", "field"),
    [
        ("540102002", "搬家", "unit"),  # the same unit
        ("540102", "搬家", "unit"),  # a district holds no files
        ("540100", "搬家", "unit"),  # nor the city
        ("540102003", "   ", "reason"),
    ],
)
def test_invalid_transfers_are_refused(today, counsellor, moving, code, reason, field):
    person, _items, _done = moving
    with pytest.raises(ValidationFailed) as refused:
        transfer(counsellor, person, code=code, reason=reason)
    assert field in refused.value.errors
    assert not Transfer.objects.exists()


def test_a_stale_version_is_refused(today, counsellor, moving):
    person, _items, _done = moving
    with pytest.raises(ConcurrentEdit):
        transfer(counsellor, person, version=person.version + 5)
    assert not Transfer.objects.exists()
    assert not WorkItem.objects.filter(unit__code="540102003").exists()


def test_only_front_line_staff_of_the_sending_area_transfer(today, personas, moving):
    person, _items, _done = moving
    for name in ("counsellor_jiri", "district_chengguan", "sysadmin"):
        with pytest.raises(NotAllowed):
            transfer(personas[name], person)


# --- the page and the panel on the file ----------------------------------------------------------


def test_the_person_file_shows_items_and_the_transfer_form(today, counsellor, moving, page_client):
    person, open_items, _done = moving
    html = page_client(counsellor).get(f"/people/{person.pk}/").content.decode()
    assert 'id="work-items"' in html
    assert all(f'data-item="{w.pk}"' in html for w in open_items)
    assert f'action="/worklist/transfer/{person.pk}/"' in html


def test_supervisors_see_the_panel_without_the_form(today, moving, personas, page_client):
    person, _items, _done = moving
    html = page_client(personas["district_chengguan"]).get(f"/people/{person.pk}/").content.decode()
    assert 'id="work-items"' in html
    assert "/worklist/transfer/" not in html


def test_transfer_through_the_page(today, counsellor, receiving, moving, page_client):
    person, _items, _done = moving
    client = page_client(counsellor)
    response = client.post(
        f"/worklist/transfer/{person.pk}/",
        {"unit": "540102003", "reason": "搬家", "version": person.version},
    )
    # Outside the sender's area now: back to the register.
    assert response.status_code == 302 and response.url == "/people/"
    assert Person.objects.get(pk=person.pk).unit.code == "540102003"
    # The receiving side reads the history on the file.
    html = page_client(receiving["counsellor"]).get(f"/people/{person.pk}/").content.decode()
    assert 'class="transfers"' in html and "搬家" in html


def test_the_page_keeps_the_input_on_a_refusal(today, counsellor, moving, page_client):
    person, _items, _done = moving
    client = page_client(counsellor)
    response = client.post(
        f"/worklist/transfer/{person.pk}/", {"unit": "540102003", "reason": "", "version": 1}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    stale = client.post(
        f"/worklist/transfer/{person.pk}/",
        {"unit": "540102003", "reason": "搬家", "version": person.version + 3},
    )
    assert stale.status_code == 409
    # The form is ready for a second try with the version as stored now.
    assert stale.context["form"]["version"].value() == Person.objects.get(pk=person.pk).version
    assert not Transfer.objects.exists()
