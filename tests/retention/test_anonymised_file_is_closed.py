"""An anonymised file cannot be edited back into an identity."""

import pytest

from core.errors import ValidationFailed
from people.services import person_update
from retention.services import anonymise_person
from tests.factories import person as make_person


def test_an_anonymised_person_cannot_be_edited(personas, page_client):
    counsellor = personas["counsellor_chengguan"]
    person = make_person(user=counsellor, name_zh="次仁旺堆")
    anonymise_person(person, actor=counsellor, reason="test")
    person.refresh_from_db()
    with pytest.raises(ValidationFailed) as refused:
        person_update(
            acting_user=counsellor,
            person=person,
            expected_version=person.version,
            changes={"name_zh": "次仁旺堆"},
        )
    assert refused.value.code == "anonymised"
    person.refresh_from_db()
    assert person.name_zh != "次仁旺堆"
