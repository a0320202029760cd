"""The person form's data, shared by the page tests, the bad-input suite and the name checks."""

from network.models import OrgUnit
from tests.factories import valid_id_number


def person_form_data(**overrides) -> dict:
    """What the person form posts for a valid registration in 八廓街道."""
    unit = OrgUnit.objects.get(code="540102002").pk
    data = {
        "name_zh": "次仁",
        "name_bo": "ཚེ་རིང་།",
        "id_number": valid_id_number(birth="19950612", sequence=7),
        "phone": "13987654321",
        "unit": unit,
        "household_unit": unit,
        "residence_unit": unit,
        "address": "八廓街1号",
        "education": "senior",
        "tibetan_level": "fluent",
        "chinese_level": "good",
        "disability": "none",
        "work_mode": "any",
        "employment_status": "unemployed",
        "able_and_willing": "on",
        "preferred_language": "bo",
        "contact_channel": "phone",
    }
    data.update(overrides)
    return data
