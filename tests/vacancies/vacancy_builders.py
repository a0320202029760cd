"""Builders for the vacancy tests (a module of its own so that tests and conftest share one copy)."""

import itertools

from stdnum.cn import uscc

from employers.models import Employer
from industries.models import Industry
from network.models import OrgUnit
from occupations.models import Occupation
from vacancies import services
from vacancies.models import Vacancy

_serial = itertools.count(1)
COOK = "4-03-02-01"  # 中式烹调师


def credit_code(serial: int) -> str:
    body = f"9154010058644{serial:04d}"
    return body + uscc.calc_check_digit(body)


def make_employer(*, unit_code: str = "540102002", **values) -> Employer:
    industry, _ = Industry.objects.get_or_create(
        code="H", defaults={"name_zh": "住宿和餐饮业", "name_bo": "མགྲོན་ཁང་དང་ཟ་ཁང་།", "level": "section"}
    )
    data = {
        "name_zh": "拉萨雪域餐饮有限公司",
        "name_bo": "ལྷ་སའི་གངས་ལྗོངས་ཟ་ཁང་།",
        "credit_code": credit_code(next(_serial)),
        "industry": industry,
        "ownership": "private",
        "unit": OrgUnit.objects.get(code=unit_code),
        "channel": "walk_in",
    }
    data.update(values)
    return Employer.objects.create(**data)


def vacancy_values(employer: Employer, **values) -> dict:
    unit = employer.unit
    data = {
        "employer": employer,
        "title_zh": "中式厨师",
        "title_bo": "རྒྱ་ཟས་མ་བྱེད་པ།",
        "occupation": Occupation.objects.get(code=COOK),
        "description": "负责后厨热菜制作，五险一金。",
        "headcount": 2,
        "salary_min": 4000,
        "salary_max": 6000,
        "pay_period": "month",
        "unit": unit,
        "work_unit": unit,
        "work_type": "full_time",
        "channel": "walk_in",
        "meals": True,
    }
    data.update(values)
    return data


def move(vacancy: Vacancy, user, action: str, note: str = "", **kwargs) -> Vacancy:
    vacancy.refresh_from_db()
    version = vacancy.version
    return services.vacancy_transition(
        acting_user=user, vacancy=vacancy, action=action, expected_version=version, note=note, **kwargs
    )


def vacancy_form_data(employer, /, **values) -> dict:
    """What the vacancy form posts for a valid vacancy of `employer`."""
    data = {
        "employer": employer.pk,
        "title_zh": "藏餐厨师",
        "title_bo": "བོད་ཟས་མ་བྱེད་པ།",
        "occupation": Occupation.objects.get(code=COOK).pk,
        "description": "制作藏式餐点",
        "headcount": 1,
        "salary_min": 4500,
        "salary_max": 6000,
        "pay_period": "month",
        "work_type": "full_time",
        "unit": employer.unit.pk,
        "work_unit": employer.unit.pk,
        "education_min": "junior",
        "tibetan_required": "good",
        "chinese_required": "basic",
        "meals": "on",
        "source": "staff",
        "channel": "walk_in",
    }
    data.update(values)
    return data
