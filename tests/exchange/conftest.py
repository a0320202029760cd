"""Fixtures of the exchange tests; the records themselves are in exchange_records.py."""

import pytest

from industries.models import Industry, IndustryLevel


@pytest.fixture
def industry(db):
    section, _ = Industry.objects.get_or_create(
        code="H", defaults={"name_zh": "住宿和餐饮业", "name_bo": "གནས་ཚང་།", "level": IndustryLevel.SECTION}
    )
    division, _ = Industry.objects.get_or_create(
        code="62",
        defaults={
            "name_zh": "餐饮业",
            "name_bo": "ཟ་ཁང་།",
            "level": IndustryLevel.DIVISION,
            "parent": section,
        },
    )
    return division
