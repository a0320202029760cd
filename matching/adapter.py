"""Database rows -> the engine's arrays (matching.engine.types), and nothing else.

The engine sees numbers only; this module decides how a person's file and a vacancy
become those numbers: education and language ranks, monthly pay, the district index,
the place on the map, and one shared vocabulary of skills and certificates.
"""

import datetime
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.utils import timezone

from matching.engine.types import MatchConfig, Seekers, Vacancies, occupation_code
from network.models import Level, OrgUnit
from people.choices import Education, Proficiency, WorkMode
from people.models import Person
from vacancies.models import PayPeriod, Vacancy, WorkType

EDUCATION_RANK = {value: rank for rank, value in enumerate(Education.values)}
PROFICIENCY_RANK = {value: rank for rank, value in enumerate(Proficiency.values)}
WORK_MODE_CODE = {WorkMode.ANY: 0, WorkMode.FULL_TIME: 1, WorkMode.PART_TIME: 2, WorkMode.FLEXIBLE: 3}
WORK_TYPE_CODE = {WorkType.FULL_TIME: 1, WorkType.PART_TIME: 2, WorkType.FLEXIBLE: 3}
# The engine takes at most this many desired occupations per seeker (the first ones chosen).
MAX_DESIRED = 3
NO_AGE_LIMIT = 200
# Skills and certificates are free text: lists written with 、 ， ； / , the Tibetan shad
# or spaces. A multi-word English skill splits into words; the forms ask for short items.
SKILL_SEPARATORS = re.compile(r"[、,，;；/|།\s]+")


def config_from_settings() -> MatchConfig:
    matching = settings.MATCHING
    return MatchConfig(
        occupation_depth=matching["OCCUPATION_DEPTH"],
        salary_tolerance=matching["SALARY_TOLERANCE_PERCENT"] / 100,
        weights=dict(matching["WEIGHTS"]),
        distance_scale_km=float(matching["DISTANCE_SCALE_KM"]),
        freshness_scale_days=float(matching["FRESHNESS_SCALE_DAYS"]),
        capacity_multiple=float(matching["CAPACITY_MULTIPLE"]),
        workers=matching["WORKERS"],
    )


def skill_items(text: str) -> list[str]:
    """ "电工证、焊工 ; Driving" -> ["电工证", "焊工", "driving"] (case-folded, de-duplicated)."""
    items = []
    for item in SKILL_SEPARATORS.split(text or ""):
        item = item.strip("་").casefold()
        if item and item not in items:
            items.append(item)
    return items


@dataclass
class Vocabulary:
    """One id per distinct skill or certificate, shared by seekers and vacancies of a run."""

    ids: dict[str, int] = field(default_factory=dict)

    def encode(self, *texts: str) -> list[int]:
        result = []
        for text in texts:
            for item in skill_items(text):
                result.append(self.ids.setdefault(item, len(self.ids)))
        return sorted(set(result))


def _csr(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(rows) + 1, dtype=np.int64)
    if rows:
        ptr[1:] = np.cumsum([len(r) for r in rows])
    ids = np.fromiter((i for r in rows for i in r), dtype=np.int32, count=int(ptr[-1]))
    return ptr, ids


def _float(value: Decimal | None) -> float:
    return float(value) if value is not None else math.nan


class Geography:
    """District index and coordinates of every unit, read once per run.

    A unit without coordinates takes those of its nearest ancestor that has them, so a
    village falls back to its township and a township to its district seat.
    """

    def __init__(self) -> None:
        units = list(
            OrgUnit.objects.only("id", "code", "path", "level", "parent_id", "latitude", "longitude")
        )
        districts = sorted((u for u in units if u.level == Level.DISTRICT), key=lambda u: u.path)
        if len(districts) > 32:
            raise ValueError("The engine's district bitmask holds at most 32 districts.")
        self.district_codes = [d.code for d in districts]
        self._district_by_code = {code: index for index, code in enumerate(self.district_codes)}
        self._district_by_id = {d.pk: self._district_by_code[d.code] for d in districts}
        by_id = {u.pk: u for u in units}
        self._unit_district: dict[int, int] = {}
        self._coords: dict[int, tuple[float, float]] = {}
        for unit in units:
            parts = unit.path.strip("/").split("/")
            self._unit_district[unit.pk] = self._district_by_code.get(parts[1], -1) if len(parts) > 1 else -1
            here = unit
            while here is not None and here.latitude is None:
                here = by_id.get(here.parent_id)
            self._coords[unit.pk] = (
                (_float(here.latitude), _float(here.longitude)) if here is not None else (math.nan, math.nan)
            )

    def district_of(self, unit_id: int) -> int:
        return self._unit_district.get(unit_id, -1)

    def district_index(self, district_unit_id: int) -> int | None:
        return self._district_by_id.get(district_unit_id)

    def coords(self, unit_id: int) -> tuple[float, float]:
        return self._coords.get(unit_id, (math.nan, math.nan))


def monthly_pay(amount: int, period: str) -> float:
    days = float(Decimal(settings.STANDARD["WORKDAYS_PER_MONTH"]))
    if period == PayPeriod.DAY:
        return amount * days
    if period == PayPeriod.HOUR:
        return amount * days * 8
    return float(amount)


def _age(birth: datetime.date, today: datetime.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@dataclass
class SeekerRows:
    seekers: Seekers
    persons: list[Person]


def load_seekers(
    persons: Iterable[Person], *, today: datetime.date, geography: Geography, vocabulary: Vocabulary
) -> SeekerRows:
    """Persons (with `desired_occupations` and `desired_districts` prefetched) as engine rows."""
    persons = list(persons)
    n = len(persons)
    occupations = np.full((n, MAX_DESIRED), -1, dtype=np.int32)
    desired = np.zeros(n, dtype=np.uint32)
    skills = []
    coords = np.full((n, 2), np.nan, dtype=np.float32)
    for i, person in enumerate(persons):
        codes = [o.code for o in person.desired_occupations.all()][:MAX_DESIRED]
        occupations[i, : len(codes)] = [occupation_code(c) for c in codes]
        for district in person.desired_districts.all():
            index = geography.district_index(district.pk)
            if index is not None:
                desired[i] |= np.uint32(1 << index)
        skills.append(vocabulary.encode(person.skills, person.certificates))
        coords[i] = geography.coords(person.residence_unit_id)
    skill_ptr, skill_ids = _csr(skills)
    seekers = Seekers(
        ids=np.array([p.pk for p in persons], dtype=np.int64),
        occupations=occupations,
        district=np.array([geography.district_of(p.residence_unit_id) for p in persons], dtype=np.int16),
        desired_districts=desired,
        travels=np.array([p.willing_outside_county for p in persons], dtype=bool),
        age=np.array([_age(p.birth_date, today) for p in persons], dtype=np.int16),
        education=np.array([EDUCATION_RANK[p.education] for p in persons], dtype=np.int8),
        tibetan=np.array([PROFICIENCY_RANK[p.tibetan_level] for p in persons], dtype=np.int8),
        chinese=np.array([PROFICIENCY_RANK[p.chinese_level] for p in persons], dtype=np.int8),
        work_mode=np.array([WORK_MODE_CODE[p.work_mode] for p in persons], dtype=np.int8),
        salary_min=np.array([p.salary_expectation or 0 for p in persons], dtype=np.float32),
        experience=np.array([p.experience_years for p in persons], dtype=np.float32),
        lat=coords[:, 0].copy(),
        lon=coords[:, 1].copy(),
        skill_ptr=skill_ptr,
        skill_ids=skill_ids,
    )
    return SeekerRows(seekers=seekers, persons=persons)


@dataclass
class VacancyRows:
    vacancies: Vacancies
    rows: list[Vacancy]


def responsiveness(employer_ids: set[int]) -> dict[int, float]:
    """Share of referrals the employer answered, with a prior of one answered in two."""
    from recommendations.services import employer_responsiveness

    counts = employer_responsiveness(employer_ids)
    return {pk: (answered + 1) / (referred + 2) for pk, (answered, referred) in counts.items()}


def load_vacancies(
    vacancies: Iterable[Vacancy], *, now: datetime.datetime, geography: Geography, vocabulary: Vocabulary
) -> VacancyRows:
    rows = list(vacancies)
    m = len(rows)
    answered = responsiveness({v.employer_id for v in rows})
    coords = np.array([geography.coords(v.work_unit_id) for v in rows], dtype=np.float32).reshape(m, 2)
    skill_ptr, skill_ids = _csr([vocabulary.encode(v.skills, v.certificates) for v in rows])

    def days_since(v: Vacancy) -> float:
        since = v.reconfirmed_at or v.published_at or v.created_at or now
        return max(0.0, (now - since).total_seconds() / 86400)

    table = Vacancies(
        ids=np.array([v.pk for v in rows], dtype=np.int64),
        occupation=np.array([occupation_code(v.occupation.code) for v in rows], dtype=np.int32),
        district=np.array([geography.district_of(v.work_unit_id) for v in rows], dtype=np.int16),
        age_min=np.array([v.age_min or 0 for v in rows], dtype=np.int16),
        age_max=np.array([NO_AGE_LIMIT if v.age_max is None else v.age_max for v in rows], dtype=np.int16),
        education_min=np.array([EDUCATION_RANK[v.education_min] for v in rows], dtype=np.int8),
        tibetan_required=np.array([PROFICIENCY_RANK[v.tibetan_required] for v in rows], dtype=np.int8),
        chinese_required=np.array([PROFICIENCY_RANK[v.chinese_required] for v in rows], dtype=np.int8),
        work_type=np.array([WORK_TYPE_CODE[v.work_type] for v in rows], dtype=np.int8),
        salary_max=np.array([monthly_pay(v.salary_max, v.pay_period) for v in rows], dtype=np.float32),
        experience_min=np.array([v.experience_years_min for v in rows], dtype=np.float32),
        age_days=np.array([days_since(v) for v in rows], dtype=np.float32),
        responsiveness=np.array([answered.get(v.employer_id, 0.5) for v in rows], dtype=np.float32),
        headcount=np.array([v.headcount for v in rows], dtype=np.int32),
        open=np.array([v.status == "published" for v in rows], dtype=bool),
        lat=coords[:, 0].copy(),
        lon=coords[:, 1].copy(),
        skill_ptr=skill_ptr,
        skill_ids=skill_ids,
    )
    return VacancyRows(vacancies=table, rows=rows)


def person_queryset():
    return Person.objects.select_related("unit").prefetch_related("desired_occupations", "desired_districts")


def vacancy_queryset():
    from vacancies.selectors import published_vacancies

    return published_vacancies().select_related("employer", "occupation", "work_unit", "unit")


def now() -> datetime.datetime:
    return timezone.now()
