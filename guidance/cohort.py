"""The cohort of a preventive guidance programme (§7.8), built from a saved filter.

The filter is stored on the programme as JSON and applied to the people the user may
see (people.selectors.person_list), within the subtree of the programme's unit.
"""

import datetime
from dataclasses import asdict, dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet

from people import selectors as people_selectors
from people.choices import Education, EmploymentStatus


@dataclass
class CohortFilter:
    key_group: str = ""
    education: list[str] = field(default_factory=list)
    employment_status: str = ""
    graduated_from: datetime.date | None = None
    graduated_until: datetime.date | None = None
    age_from: int | None = None
    age_to: int | None = None
    # A unit inside the programme's unit (its code); empty: the programme's whole unit.
    unit_code: str = ""

    @classmethod
    def from_json(cls, data: dict | None) -> "CohortFilter":
        data = data or {}

        def day(name):
            value = data.get(name)
            return datetime.date.fromisoformat(value) if value else None

        return cls(
            key_group=data.get("key_group", ""),
            education=[e for e in data.get("education", []) if e in Education.values],
            employment_status=data.get("employment_status", ""),
            graduated_from=day("graduated_from"),
            graduated_until=day("graduated_until"),
            age_from=data.get("age_from"),
            age_to=data.get("age_to"),
            unit_code=data.get("unit_code", ""),
        )

    def to_json(self) -> dict:
        values = asdict(self)
        for name in ("graduated_from", "graduated_until"):
            values[name] = values[name].isoformat() if values[name] else None
        return values

    @property
    def is_empty(self) -> bool:
        return self == CohortFilter()


def cohort(*, user, programme, on: datetime.date) -> QuerySet:
    """Persons matching the programme's filter, as the user may see them, ages taken on `on`."""
    chosen = CohortFilter.from_json(programme.cohort_filter)
    status = chosen.employment_status if chosen.employment_status in EmploymentStatus.values else ""
    persons = people_selectors.person_list(
        user=user, unit_code=programme.unit.code, key_group=chosen.key_group, status=status
    )
    if chosen.unit_code:
        persons = persons.filter(unit__path__contains=f"{chosen.unit_code}/")
    if chosen.education:
        persons = persons.filter(education__in=chosen.education)
    if chosen.graduated_from:
        persons = persons.filter(graduation_date__gte=chosen.graduated_from)
    if chosen.graduated_until:
        persons = persons.filter(graduation_date__lte=chosen.graduated_until)
    if chosen.age_from is not None:
        # Aged at least N on `on`: born on or before that day N years earlier.
        persons = persons.filter(birth_date__lte=on - relativedelta(years=chosen.age_from))
    if chosen.age_to is not None:
        # Not yet N+1 on `on`.
        persons = persons.filter(birth_date__gt=on - relativedelta(years=chosen.age_to + 1))
    return persons.order_by("unit__path", "name_zh", "pk")
