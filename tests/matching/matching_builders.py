"""Published vacancies and job seekers for the matching tests, in one line each."""

from django.utils import timezone

from network.models import OrgUnit
from occupations.models import Occupation
from tests.factories import person
from tests.vacancies.vacancy_builders import COOK, make_employer, vacancy_values
from vacancies.models import Status, Vacancy

PASTRY = "4-03-02-02"  # 中式面点师: same small group as the cook
FLIGHT_ATTENDANT = "4-02-04-01"  # 民航乘务员: another medium group (4-02)


def published_vacancy(*, head, employer=None, occupation: str = COOK, work_unit: str = "540102002", **values):
    employer = employer or make_employer()
    data = vacancy_values(employer, **values)
    data["occupation"] = Occupation.objects.get(code=occupation)
    data["work_unit"] = OrgUnit.objects.get(code=work_unit)
    now = timezone.now()
    return Vacancy.objects.create(
        **data, status=Status.PUBLISHED, published_at=now, reviewed_by=head, created_by=head
    )


def seeker(*, user, sequence: int = 1, occupations=(COOK,), unit_code: str = "540102002", **values):
    values.setdefault("employment_status", "unemployed")
    values.setdefault("salary_expectation", 4000)
    values.setdefault("chinese_level", "good")
    values.setdefault("tibetan_level", "fluent")
    seeker = person(user=user, sequence=sequence, unit_code=unit_code, **values)
    seeker.desired_occupations.set(Occupation.objects.filter(code__in=occupations))
    return seeker
