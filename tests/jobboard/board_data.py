"""Employers, vacancies and courses for the job-board tests, written straight through the ORM.

A published vacancy carries what vetting leaves behind (reviewer, publication time) and
its search text from vacancies.services.vacancy_refresh_search_text. One test in
test_jobboard_search.py takes a vacancy through the real services instead.
"""

import datetime
import itertools

from django.utils import timezone
from stdnum.cn import uscc

from employers.models import Employer
from industries.models import Industry
from network.models import OrgUnit
from occupations.models import Occupation
from training.models import Course, Provider
from vacancies.models import Vacancy
from vacancies.services import vacancy_refresh_search_text

_serial = itertools.count(1)


def _credit_code(body: str) -> str:
    """A GB 32100 code with the right check character (vetting checks it)."""
    return body + uscc.calc_check_digit(body)


def employer(
    *, name_zh="拉萨雪域餐饮有限公司", name_bo="", phone="0891-6830517", publish_phone=False, **extra
):
    n = next(_serial)
    return Employer.objects.create(
        name_zh=name_zh,
        name_bo=name_bo,
        credit_code=_credit_code(f"91540100MA6T{n:05d}"),
        industry=Industry.objects.get(code="62"),
        ownership="private",
        unit=OrgUnit.objects.get(code="540102002"),
        contact_name="张经理",
        contact_phone=phone,
        publish_contact_phone=publish_phone,
        channel="walk_in",
        **extra,
    )


def vacancy(
    *,
    reviewer,
    employer,
    title_zh,
    title_bo="",
    occupation="4-03-02-01",
    work_unit="540102002",
    status="published",
    salary=(3000, 5000),
    work_type="full_time",
    age: int = 0,
    **extra,
):
    """`age`: days since publication (the board lists the newest first)."""
    published = status in {"published", "suspended", "filled", "closed"}
    when = timezone.now() - datetime.timedelta(days=age)
    v = Vacancy(
        employer=employer,
        title_zh=title_zh,
        title_bo=title_bo,
        occupation=Occupation.objects.get(code=occupation),
        salary_min=salary[0],
        salary_max=salary[1],
        unit=OrgUnit.objects.get(code="540102002"),
        work_unit=OrgUnit.objects.get(code=work_unit),
        work_type=work_type,
        channel="walk_in",
        status=status,
        reviewed_by=reviewer if published else None,
        published_at=when if published else None,
        reconfirmed_at=when if published else None,
        created_by=reviewer,
        **extra,
    )
    v.save()
    vacancy_refresh_search_text(v)  # what the vacancy services do after every write
    return v


def provider(*, expires_in_days=365, is_active=True, name_zh="拉萨市职业技能培训中心"):
    n = next(_serial)
    return Provider.objects.create(
        name_zh=name_zh,
        name_bo="ལྷ་ས་གྲོང་ཁྱེར་ལས་རིགས་ལག་རྩལ་སྦྱོང་བརྡར་ལྟེ་གནས།",
        credit_code=_credit_code(f"12540100MB0P{n:05d}"),
        licence_number=f"藏人社民{n:04d}",
        qualification="public_centre",
        licence_expires_on=timezone.localdate() + datetime.timedelta(days=expires_in_days),
        unit=OrgUnit.objects.get(code="540102"),
        contact_phone="0891-6000000",
        is_active=is_active,
    )


def course(*, provider, title_zh="中式烹调师培训班", title_bo="རྒྱ་ཟས་གཡོས་སྦྱོང་།", is_published=True, **extra):
    today = timezone.localdate()
    values = {
        "starts_on": today + datetime.timedelta(days=10),
        "ends_on": today + datetime.timedelta(days=40),
        "place": "城关区就业服务中心三楼",
        "subsidy": 1200,
        "language": "both",
        "channel": "walk_in",
    }
    values.update(extra)
    return Course.objects.create(
        provider=provider,
        title_zh=title_zh,
        title_bo=title_bo,
        occupation=Occupation.objects.get(code="4-03-02-01"),
        unit=OrgUnit.objects.get(code="540102"),
        is_published=is_published,
        **values,
    )
