"""Employers for the employer tests, registered through the real service."""

import pytest
from stdnum.cn import uscc

from industries.models import Industry
from network.models import OrgUnit


def credit_code(n: int, region: str = "540102") -> str:
    """A GB 32100 code with the right check digit: 91 (enterprise) + region + 9-digit body."""
    body = f"91{region}{n:09d}"
    return body + uscc.calc_check_digit(body)


def employer_values(n: int = 1, unit_code: str = "540102002", **values) -> dict:
    data = {
        "name_zh": f"拉萨八廓餐饮有限公司{n}",
        "name_bo": "ལྷ་ས་བར་སྐོར་ཟ་ཁང་།",
        "credit_code": credit_code(n),
        "industry": Industry.objects.get(code="62"),
        "size": "small",
        "ownership": "private",
        "unit": OrgUnit.objects.get(code=unit_code),
        "address": "八廓街1号",
        "contact_name": "卓玛",
        "contact_phone": "0891-6321234",
        "channel": "walk_in",
    }
    data.update(values)
    return data


@pytest.fixture
def make_employer(personas):
    from employers.services import employer_create

    def make(n: int = 1, unit_code: str = "540102002", user=None, **values):
        if user is None:
            user = personas[
                "counsellor_linzhou" if unit_code.startswith("540121") else "counsellor_chengguan"
            ]
            if unit_code == "540102003":
                user = personas["counsellor_jiri"]
        return employer_create(acting_user=user, values=employer_values(n, unit_code, **values))

    return make


@pytest.fixture
def barkhor(make_employer):
    """An employer in 八廓街道 (540102002), the unit of counsellor_chengguan and head_chengguan."""
    return make_employer(1, name_zh="八廓街藏餐馆")


@pytest.fixture
def linzhou(make_employer):
    """An employer in 甘丹曲果镇 (540121100), 林周县."""
    return make_employer(
        2, unit_code="540121100", name_zh="林周县青稞加工厂", industry=Industry.objects.get(code="13")
    )
