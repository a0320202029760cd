"""person_register / person_update: identity, duplicates, versions, search keys."""

import pytest
from django.db import connection

from audit.models import AuditEntry
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from people.models import Person
from people.selectors import person_list
from people.services import person_register, person_update
from tests.factories import person, valid_id_number


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]


def test_register_stores_derived_identity_and_search_keys(counsellor):
    p = person(user=counsellor, name_zh="次仁", name_bo="ཚེ་རིང་།", id_number=valid_id_number(sequence=3))
    p.refresh_from_db()
    assert p.birth_date.isoformat() == "1990-03-07"
    assert p.sex == "male"
    assert p.id_number_masked == p.id_number[:6] + "********" + p.id_number[-4:]
    assert p.phone_masked == "138****5678"
    assert "ciren" in p.name_pinyin.split()
    assert p.name_wylie == "tshe ring"
    assert AuditEntry.objects.filter(object_type="people.person", object_id=str(p.pk)).exists()


def test_raw_row_holds_no_plaintext_identifiers(counsellor):
    number = valid_id_number(sequence=4)
    p = person(user=counsellor, id_number=number, phone="13987654321")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, id_number_index FROM people_person WHERE id = %s", [p.pk])
        raw_id, raw_phone, index = cursor.fetchone()
    assert number not in raw_id and "13987654321" not in raw_phone
    assert raw_id.startswith("e1:aes-gcm:") and raw_phone.startswith("e1:aes-gcm:")
    assert number not in index
    assert Person.objects.get(pk=p.pk).id_number == number


def test_duplicate_id_number_is_refused_city_wide(personas):
    number = valid_id_number(sequence=5)
    person(user=personas["counsellor_chengguan"], id_number=number)
    with pytest.raises(ValidationFailed) as exc:
        person(user=personas["counsellor_linzhou"], unit_code="540121100", id_number=number.lower())
    assert "id_number" in exc.value.errors
    assert Person.objects.count() == 1


def test_bad_id_number_names_the_field_and_creates_nothing(counsellor):
    with pytest.raises(ValidationFailed) as exc:
        person(user=counsellor, id_number="540102199003070019")
    assert list(exc.value.errors) == ["id_number"]
    assert not Person.objects.exists()


def test_same_name_and_birth_date_warns_until_confirmed(counsellor):
    person(user=counsellor, sequence=6)
    values = {
        "name_zh": "扎西",
        "name_bo": "བཀྲ་ཤིས།",
        "id_number": valid_id_number(sequence=8),
        "unit": counsellor.unit,
        "household_unit": counsellor.unit,
        "residence_unit": counsellor.unit,
    }
    with pytest.raises(ValidationFailed) as exc:
        person_register(acting_user=counsellor, values=values)
    assert exc.value.code == "possible_duplicate"
    assert Person.objects.count() == 1
    person_register(acting_user=counsellor, values=values, confirm_similar=True)
    assert Person.objects.count() == 2


def test_unit_outside_scope_is_refused(counsellor):
    with pytest.raises(ValidationFailed) as exc:
        person(user=counsellor, unit_code="540121100")
    assert "unit" in exc.value.errors


@pytest.mark.parametrize("name", ["district_chengguan", "city", "sysadmin", "auditadmin"])
def test_only_front_line_staff_register(personas, name):
    with pytest.raises(NotAllowed):
        person(user=personas[name])


def test_stale_version_is_refused_and_nothing_is_lost(counsellor):
    p = person(user=counsellor)
    person_update(acting_user=counsellor, person=p, expected_version=1, changes={"major": "会计"})
    stale = Person.objects.get(pk=p.pk)
    with pytest.raises(ConcurrentEdit):
        person_update(acting_user=counsellor, person=stale, expected_version=1, changes={"major": "护理"})
    assert Person.objects.get(pk=p.pk).major == "会计"


def test_update_of_identity_recomputes_index_mask_and_keys(counsellor):
    p = person(user=counsellor)
    new_number = valid_id_number(birth="19950101", sequence=9, male=False)
    person_update(
        acting_user=counsellor,
        person=p,
        expected_version=p.version,
        changes={"id_number": new_number, "name_zh": "卓玛", "phone": "13700001111"},
    )
    p.refresh_from_db()
    assert p.sex == "female" and p.birth_date.isoformat() == "1995-01-01"
    assert p.id_number_masked.endswith(new_number[-4:])
    assert "zhuoma" in p.name_pinyin
    assert list(person_list(user=counsellor, q=new_number)) == [p]
    assert list(person_list(user=counsellor, q="13700001111")) == [p]


@pytest.mark.parametrize(
    "query", ["zhaxi", "ZX", "bkra shis", "Bkra-shis", "扎西", "བཀྲ་ཤིས", "540102********0018", "13812345678"]
)
def test_one_box_search_finds_by_every_form(counsellor, query):
    p = person(user=counsellor, id_number="540102199003070018")
    person(user=counsellor, name_zh="次仁", name_bo="ཚེ་རིང་།", sequence=11, phone="13900000000")
    assert list(person_list(user=counsellor, q=query)) == [p]


def test_search_stays_inside_scope(personas):
    person(user=personas["counsellor_chengguan"], id_number="540102199003070018")
    assert not person_list(user=personas["counsellor_linzhou"], q="540102199003070018").exists()
    assert person_list(user=personas["city"], q="540102199003070018").count() == 1


def test_long_name_full_of_heteronyms_is_stored_and_found(counsellor):
    # 32 reading combinations of 50 characters exceed any fixed column width (PostgreSQL enforces it).
    name = "单重长行乐" * 10
    p = person(user=counsellor, name_zh=name, sequence=12)
    p.refresh_from_db()
    assert len(p.name_pinyin) > 300
    assert list(person_list(user=counsellor, q="danchongchang")) == [p]
