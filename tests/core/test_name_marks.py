"""Names refuse combining marks with nothing to sit on, and invisible joiners."""

import pytest
from django.core.exceptions import ValidationError

from core.text import STRAY_MARK, stray_marks, validate_name_text
from tests.factories import valid_id_number
from tests.people.person_forms import person_form_data


@pytest.mark.parametrize("name", ["ཚེ་རིང་དབང་འདུས།", "བཀྲ་ཤིས", "སྒྲོལ་མ", "ཀཿཿ", "次仁旺堆", "Tashi", "Zoë", "ཨོཾ"])
def test_well_formed_names_pass(name):
    assert not stray_marks(name)
    validate_name_text(name)


@pytest.mark.parametrize(
    "name", ["\u0f7a\u0f74", "ཚེ \u0f72", "བཀྲ\u200dཤིས", "ཚེ\u200cརིང", "\u0f71ཀ", "་\u0f74"]
)
def test_stray_marks_are_refused(name):
    assert stray_marks(name)
    with pytest.raises(ValidationError) as refused:
        validate_name_text(name)
    assert refused.value.code == "stray_mark"


def test_the_person_form_refuses_them(personas, page_client):
    from people.models import Person

    form = person_form_data(name_bo="\u0f7a\u0f74", id_number=valid_id_number(birth="19950612", sequence=97))
    client = page_client(personas["counsellor_chengguan"])
    assert client.post("/people/new/", {**form, "name_bo": "ཚེ་རིང་།"}).status_code == 302  # the control
    Person.objects.all().delete()
    response = client.post("/people/new/", form)
    assert response.status_code == 200
    assert str(STRAY_MARK) in response.content.decode()
    assert not Person.objects.exists()
