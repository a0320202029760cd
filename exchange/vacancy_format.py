"""Vacancy records of the exchange format (§4.4.1): checking what comes in, writing what goes out.

    {"external_id": "XZ-2026-0001", "title_zh": "厨师", "title_bo": "…", "occupation": "4-03-02-01",
     "employer": {"credit_code": "…", "name_zh": "…", "name_bo": "…", "industry": "62", "unit": "540102002"},
     "unit": "540102002", "work_unit": "540102002", "salary_min": 4000, "salary_max": 6000,
     "pay_period": "month", "headcount": 2, "work_type": "full_time", "education_min": "junior", …,
     "status": "published"}

Optional keys left out keep the current value (or the model default for a new vacancy).
The platform's `status` only matters when it says the vacancy is filled or closed: a
vacancy is published here only after our own review (§5.3.2).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from employers.models import Ownership, Size
from exchange.fields import MISSING, RecordReader, choice_spellings
from people.choices import Education, Proficiency
from vacancies.models import PayPeriod, Status, Vacancy, WorkType

SALARY_RANGE = _("The highest pay must not be below the lowest.")
AGE_RANGE = _("The maximum age must not be below the minimum age.")

MAX_PAY = 1_000_000
MAX_HEADCOUNT = 100_000
TEXTS = {
    "title_bo": 200,
    "description": 5000,
    "skills": 2000,
    "certificates": 2000,
    "physical_requirements": 300,
    "other_requirements": 2000,
    "age_reason": 300,
}
CHOICES = {
    "pay_period": PayPeriod,
    "work_type": WorkType,
    "education_min": Education,
    "tibetan_required": Proficiency,
    "chinese_required": Proficiency,
}
BOOLEANS = ("accommodation", "meals", "social_insurance")
# Statuses the platform can impose; the others follow our own review.
FINAL = frozenset({Status.FILLED, Status.CLOSED})
_SPELLINGS = {key: choice_spellings(choices) for key, choices in {**CHOICES, "status": Status}.items()}
_EMPLOYER_CHOICES = {"ownership": Ownership, "size": Size}
_EMPLOYER_SPELLINGS = {key: choice_spellings(choices) for key, choices in _EMPLOYER_CHOICES.items()}


@dataclass
class EmployerRef:
    credit_code: str
    # Used only when no employer has this credit code yet.
    values: dict = field(default_factory=dict)
    # Keys a new employer would need but the record left out.
    missing: list[str] = field(default_factory=list)


@dataclass
class CheckedVacancy:
    index: int
    external_id: str
    values: dict  # vacancy field names → values (occupation and units as records)
    employer: EmployerRef
    status: str | None


def _ownership_from_code(code: str) -> str:
    # GB 32100: the first character names the registering authority, the second the kind.
    if code[0] == "1":
        return Ownership.PUBLIC_INSTITUTION  # 机构编制
    if code[0] == "5":
        return Ownership.SOCIAL_ORGANISATION  # 民政
    if code[0] == "N":
        return Ownership.COOPERATIVE  # 农业
    if code[:2] == "92":
        return Ownership.INDIVIDUAL  # 个体工商户
    return Ownership.PRIVATE


def _employer(reader: RecordReader, catalogue) -> EmployerRef | None:
    nested = reader.nested("employer", required=True)
    if nested is None:
        return None
    code = catalogue.credit_code(nested, "credit_code", nested.text("credit_code", 30, required=True))
    values: dict = {}
    missing: list[str] = []
    name_zh = nested.text("name_zh", 100)
    name_bo = nested.text("name_bo", 200)
    industry = catalogue.industry(nested, "industry", nested.code("industry"))
    # Scope is checked only if the employer has to be created (services).
    unit = catalogue.unit(nested, "unit", nested.code("unit"))
    for key, value in (("name_zh", name_zh), ("industry", industry), ("unit", unit)):
        if value in (MISSING, None, ""):
            missing.append(key)
    values.update(name_zh=name_zh, name_bo=name_bo if isinstance(name_bo, str) else "")
    values.update(industry=industry, unit=unit)
    for key, spellings in _EMPLOYER_SPELLINGS.items():
        choice = nested.choice(key, spellings, _EMPLOYER_CHOICES[key].values)
        if isinstance(choice, str):
            values[key] = choice
    if code:
        values.setdefault("ownership", _ownership_from_code(code))
    reader.errors.extend(nested.errors)
    if nested.errors or not code:
        return None
    return EmployerRef(credit_code=code, values=values, missing=missing)


def check_vacancy(index: int, data, catalogue) -> tuple[CheckedVacancy | None, list[tuple[str, str]]]:
    if not isinstance(data, dict):
        return None, [("", str(_("Each record must be a JSON object.")))]
    reader = RecordReader(data)
    values: dict = {}
    external_id = reader.text("external_id", 64, required=True)
    title = reader.text("title_zh", 100, required=True)
    values["title_zh"] = title
    for key, limit in TEXTS.items():
        values[key] = reader.text(key, limit)
    values["occupation"] = catalogue.occupation(
        reader, "occupation", reader.code("occupation", required=True)
    )
    values["unit"] = catalogue.unit(reader, "unit", reader.code("unit", required=True), scoped=True)
    work_code = reader.code("work_unit")
    values["work_unit"] = (
        catalogue.unit(reader, "work_unit", work_code) if work_code is not MISSING else MISSING
    )
    values["salary_min"] = reader.integer("salary_min", 0, MAX_PAY, required=True)
    values["salary_max"] = reader.integer("salary_max", 0, MAX_PAY, required=True)
    values["headcount"] = reader.integer("headcount", 1, MAX_HEADCOUNT)
    values["age_min"] = reader.integer("age_min", 0, 100, nullable=True)
    values["age_max"] = reader.integer("age_max", 0, 100, nullable=True)
    for key, choices in CHOICES.items():
        values[key] = reader.choice(key, _SPELLINGS[key], choices.values)
    for key in BOOLEANS:
        values[key] = reader.boolean(key)
    status = reader.choice("status", _SPELLINGS["status"], Status.values)
    employer = _employer(reader, catalogue)
    if isinstance(values["salary_min"], int) and isinstance(values["salary_max"], int):
        if values["salary_max"] < values["salary_min"]:
            reader.error("salary_max", SALARY_RANGE)
    if isinstance(values["age_min"], int) and isinstance(values["age_max"], int):
        if values["age_max"] < values["age_min"]:
            reader.error("age_max", AGE_RANGE)
    if reader.errors or employer is None:
        return None, reader.errors
    checked = CheckedVacancy(
        index=index,
        external_id=external_id,
        values={key: value for key, value in values.items() if value is not MISSING},
        employer=employer,
        status=status if isinstance(status, str) else None,
    )
    return checked, []


# The columns of a spreadsheet export: vacancy_record's keys, the employer's dotted.
COLUMNS = (
    "id",
    "external_id",
    "title_zh",
    "title_bo",
    "occupation",
    *(
        f"employer.{key}"
        for key in ("credit_code", "name_zh", "name_bo", "industry", "unit", "ownership", "size")
    ),
    "unit",
    "work_unit",
    "salary_min",
    "salary_max",
    "pay_period",
    "headcount",
    "work_type",
    "education_min",
    "age_min",
    "age_max",
    "age_reason",
    "tibetan_required",
    "chinese_required",
    "skills",
    "certificates",
    "physical_requirements",
    "other_requirements",
    "description",
    "accommodation",
    "meals",
    "social_insurance",
    "status",
    "source",
    "channel",
    "reconfirmed_at",
    "published_at",
    "updated_at",
    "version",
)


def vacancy_record(vacancy: Vacancy) -> dict:
    """One vacancy in the exchange format; the employer's contact details are left out."""
    employer = vacancy.employer
    return {
        "id": vacancy.pk,
        "external_id": vacancy.external_id,
        "title_zh": vacancy.title_zh,
        "title_bo": vacancy.title_bo,
        "occupation": vacancy.occupation.code,
        "employer": {
            "credit_code": employer.credit_code,
            "name_zh": employer.name_zh,
            "name_bo": employer.name_bo,
            "industry": employer.industry.code,
            "unit": employer.unit.code,
            "ownership": employer.ownership,
            "size": employer.size,
        },
        "unit": vacancy.unit.code,
        "work_unit": vacancy.work_unit.code,
        "salary_min": vacancy.salary_min,
        "salary_max": vacancy.salary_max,
        "pay_period": vacancy.pay_period,
        "headcount": vacancy.headcount,
        "work_type": vacancy.work_type,
        "education_min": vacancy.education_min,
        "age_min": vacancy.age_min,
        "age_max": vacancy.age_max,
        "age_reason": vacancy.age_reason,
        "tibetan_required": vacancy.tibetan_required,
        "chinese_required": vacancy.chinese_required,
        "skills": vacancy.skills,
        "certificates": vacancy.certificates,
        "physical_requirements": vacancy.physical_requirements,
        "other_requirements": vacancy.other_requirements,
        "description": vacancy.description,
        "accommodation": vacancy.accommodation,
        "meals": vacancy.meals,
        "social_insurance": vacancy.social_insurance,
        "status": vacancy.status,
        "source": vacancy.source,
        "channel": vacancy.channel,
        "reconfirmed_at": vacancy.reconfirmed_at.isoformat() if vacancy.reconfirmed_at else None,
        "published_at": vacancy.published_at.isoformat() if vacancy.published_at else None,
        "updated_at": vacancy.updated_at.isoformat(),
        "version": vacancy.version,
    }
