"""Job-seeker records of the exchange format (§4.4.1).

    {"external_id": "XZ-P-0001", "name_zh": "扎西", "name_bo": "བཀྲ་ཤིས།", "id_number": "…",
     "phone": "13812345678", "unit": "540102002", "household_unit": "540102002",
     "residence_unit": "540102002", "education": "senior", "employment_status": "unemployed",
     "desired_occupations": ["4-03-02-01"], …}

An import carries the full ID number (it is how a person already on file is found); an
export carries `id_number_masked` and `phone_masked`, and the full values only for a
caller allowed to export them. Optional keys left out keep the current value.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from exchange.fields import MISSING, RecordReader, choice_spellings
from people import derived
from people.choices import Education, EmploymentStatus, Proficiency, WorkMode
from people.models import Person

NAME_REQUIRED = _("Enter a Chinese or a Tibetan name.")

MAX_SALARY = 1_000_000
TEXTS = {"name_zh": 50, "name_bo": 100, "address": 200, "major": 100, "skills": 2000, "certificates": 2000}
CHOICES = {
    "education": Education,
    "employment_status": EmploymentStatus,
    "tibetan_level": Proficiency,
    "chinese_level": Proficiency,
    "work_mode": WorkMode,
}
LANGUAGES = ("zh-hans", "bo")
_SPELLINGS = {key: choice_spellings(choices) for key, choices in CHOICES.items()}
_LANGUAGE_SPELLINGS = {code: code for code in LANGUAGES} | {"zh": "zh-hans", "zh-hans": "zh-hans"}
UNIT_KEYS = ("unit", "household_unit", "residence_unit")


@dataclass
class CheckedPerson:
    index: int
    external_id: str
    # people.services field names → values (units as OrgUnit); only what the record gave.
    values: dict
    identity: dict  # derived.id_number_values: the number, its blind index, birth date, sex
    phone: dict | None  # derived.phone_values, or None when the record left the phone out
    occupations: list[int] | None  # desired occupation ids, or None when left out


def _identity(reader: RecordReader, today: datetime.date) -> dict | None:
    raw = reader.text("id_number", 30, required=True)
    if not isinstance(raw, str) or not raw:
        return None
    try:
        return derived.id_number_values(raw, today=today)
    except ValidationError as exc:
        for message in exc.messages:
            reader.error("id_number", message)
        return None


def _phone(reader: RecordReader) -> dict | None:
    raw = reader.text("phone", 30)
    if raw is MISSING or raw is None:
        return None
    try:
        return derived.phone_values(raw)
    except ValidationError as exc:
        for message in exc.messages:
            reader.error("phone", message)
        return None


def check_job_seeker(
    index: int, data, catalogue, *, today: datetime.date
) -> tuple[CheckedPerson | None, list[tuple[str, str]]]:
    if not isinstance(data, dict):
        return None, [("", str(_("Each record must be a JSON object.")))]
    reader = RecordReader(data)
    external_id = reader.text("external_id", 64, required=True)
    values: dict = {key: reader.text(key, limit) for key, limit in TEXTS.items()}
    if not (isinstance(values["name_zh"], str) and values["name_zh"]) and not (
        isinstance(values["name_bo"], str) and values["name_bo"]
    ):
        reader.error("name_zh", NAME_REQUIRED)
    identity = _identity(reader, today)
    phone = _phone(reader)
    unit = catalogue.unit(reader, "unit", reader.code("unit", required=True), scoped=True)
    values["unit"] = unit
    for key in UNIT_KEYS[1:]:
        code = reader.code(key)
        values[key] = catalogue.unit(reader, key, code) if code is not MISSING else MISSING
    for key, choices in CHOICES.items():
        values[key] = reader.choice(key, _SPELLINGS[key], choices.values)
    values["preferred_language"] = reader.choice("preferred_language", _LANGUAGE_SPELLINGS, LANGUAGES)
    values["graduation_date"] = reader.date("graduation_date")
    values["salary_expectation"] = reader.integer("salary_expectation", 0, MAX_SALARY, nullable=True)
    values["willing_outside_county"] = reader.boolean("willing_outside_county")
    codes = reader.code_list("desired_occupations")
    occupations = catalogue.occupation_list(reader, "desired_occupations", codes)
    if reader.errors or identity is None or unit is None:
        return None, reader.errors
    return (
        CheckedPerson(
            index=index,
            external_id=external_id,
            values={key: value for key, value in values.items() if value is not MISSING},
            identity=identity,
            phone=phone,
            occupations=None if codes is MISSING else occupations,
        ),
        [],
    )


# The columns of a spreadsheet export, in job_seeker_record's order; FULL_COLUMNS adds the clear values.
COLUMNS = (
    "id",
    "external_id",
    "name_zh",
    "name_bo",
    "id_number_masked",
    "phone_masked",
    "sex",
    "birth_date",
    "unit",
    "household_unit",
    "residence_unit",
    "education",
    "major",
    "graduation_date",
    "skills",
    "tibetan_level",
    "chinese_level",
    "employment_status",
    "salary_expectation",
    "work_mode",
    "willing_outside_county",
    "preferred_language",
    "desired_occupations",
    "key_groups",
    "channel",
    "updated_at",
    "version",
)
FULL_COLUMNS = (*COLUMNS, "id_number", "phone")


def job_seeker_record(person: Person, *, full: bool, key_groups: list[str], occupations: list[str]) -> dict:
    """One person in the exchange format. `full` adds the clear ID number and phone."""
    record = {
        "id": person.pk,
        "external_id": person.external_id,
        "name_zh": person.name_zh,
        "name_bo": person.name_bo,
        "id_number_masked": person.id_number_masked,
        "phone_masked": person.phone_masked,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "unit": person.unit.code,
        "household_unit": person.household_unit.code,
        "residence_unit": person.residence_unit.code,
        "education": person.education,
        "major": person.major,
        "graduation_date": person.graduation_date.isoformat() if person.graduation_date else None,
        "skills": person.skills,
        "tibetan_level": person.tibetan_level,
        "chinese_level": person.chinese_level,
        "employment_status": person.employment_status,
        "salary_expectation": person.salary_expectation,
        "work_mode": person.work_mode,
        "willing_outside_county": person.willing_outside_county,
        "preferred_language": person.preferred_language,
        "desired_occupations": occupations,
        "key_groups": key_groups,
        "channel": person.channel,
        "updated_at": person.updated_at.isoformat(),
        "version": person.version,
    }
    if full:
        record["id_number"] = person.id_number
        record["phone"] = person.phone
    return record
