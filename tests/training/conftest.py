"""Helpers for the training tests: valid credit codes, providers and courses made through the services."""

import datetime

import pytest
from django.utils import timezone
from stdnum.cn import uscc

from network.models import OrgUnit
from occupations.models import Occupation

COOK = "4-03-02-01"  # 中式烹调师, a level-4 occupation


def credit_code(serial: int) -> str:
    """A GB 32100 code with the right check character (9 = enterprise, 1 = company, 540102 = 城关区)."""
    body = f"91540102{serial:09d}"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def make_provider(personas):
    from training.services import provider_create

    counter = {"n": 0}

    def make(*, user=None, unit_code="540102002", expires=None, active=True, **values):
        counter["n"] += 1
        data = {
            "name_zh": f"拉萨职业技能培训学校{counter['n']}",
            "name_bo": "ལྷ་ས་ལས་རིགས་སློབ་གྲྭ།",
            "credit_code": credit_code(counter["n"]),
            "licence_number": f"教民154010270{counter['n']:04d}号",
            "qualification": "training_institution",
            "licence_expires_on": expires or timezone.localdate() + datetime.timedelta(days=365),
            "unit": OrgUnit.objects.get(code=unit_code),
        }
        data.update(values)
        provider = provider_create(acting_user=user or personas["head_chengguan"], values=data)
        if not active:
            provider.is_active = False
            provider.save(update_fields=["is_active"])
        return provider

    return make


@pytest.fixture
def make_course(personas):
    from training.services import course_create, course_publish

    def make(provider, *, user=None, unit_code="540102002", starts=None, ends=None, publish=False, **values):
        starts = starts or timezone.localdate() + datetime.timedelta(days=10)
        data = {
            "provider": provider,
            "title_zh": "中式烹调师培训班",
            "title_bo": "རྒྱ་ནག་གི་ཟ་མ་བཟོ་སྟངས་སློབ་སྦྱོང་།",
            "occupation": Occupation.objects.get(code=COOK),
            "starts_on": starts,
            "ends_on": ends or starts + datetime.timedelta(days=20),
            "place": "城关区就业服务中心三楼",
            "unit": OrgUnit.objects.get(code=unit_code),
            "subsidy": 1500,
            "language": "both",
            "capacity": 30,
            "channel": "walk_in",
        }
        data.update(values)
        user = user or personas["counsellor_chengguan"]
        course = course_create(acting_user=user, values=data)
        if publish:
            course = course_publish(acting_user=user, course=course, expected_version=course.version)
        return course

    return make
