"""GB/T 4754-2017: 20 sections and 97 divisions, bilingual, loaded idempotently."""

import re

import pytest
from django.utils import translation

from config.paths import INDUSTRIES_CSV
from industries.models import Industry, IndustryLevel
from industries.selectors import division_get, industry_choices
from industries.services import industries_load

HAN = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
TIBETAN_ONLY = re.compile(r"^[\u0f00-\u0fff ]+$")


@pytest.mark.django_db
def test_twenty_sections_and_ninety_seven_divisions():
    sections = Industry.objects.filter(level=IndustryLevel.SECTION)
    divisions = Industry.objects.filter(level=IndustryLevel.DIVISION)
    assert sorted(sections.values_list("code", flat=True)) == [chr(c) for c in range(ord("A"), ord("T") + 1)]
    assert sorted(divisions.values_list("code", flat=True)) == [f"{n:02d}" for n in range(1, 98)]
    assert all(s.parent_id is None for s in sections)
    assert all(d.parent.level == IndustryLevel.SECTION for d in divisions.select_related("parent"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "name_zh", "parent"),
    [
        ("A", "农、林、牧、渔业", None),
        ("01", "农业", "A"),
        ("05", "农、林、牧、渔专业及辅助性活动", "A"),
        ("13", "农副食品加工业", "C"),
        ("47", "房屋建筑业", "E"),
        ("50", "建筑装饰、装修和其他建筑业", "E"),
        ("52", "零售业", "F"),
        ("54", "道路运输业", "G"),
        ("61", "住宿业", "H"),
        ("62", "餐饮业", "H"),
        ("96", "基层群众自治组织及其他组织", "S"),
        ("97", "国际组织", "T"),
    ],
)
def test_official_chinese_names_and_parents(code, name_zh, parent):
    industry = Industry.objects.select_related("parent").get(code=code)
    assert industry.name_zh == name_zh
    assert (industry.parent.code if industry.parent else None) == parent


@pytest.mark.django_db
def test_tibetan_names_are_tibetan_script_only_and_english_present():
    for industry in Industry.objects.all():
        assert industry.name_bo, industry.code
        assert not HAN.search(industry.name_bo), industry.code
        assert TIBETAN_ONLY.match(industry.name_bo), industry.code
        assert industry.name_en and not HAN.search(industry.name_en), industry.code


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    before = Industry.objects.count()
    result = industries_load(INDUSTRIES_CSV)
    assert result == {"created": 0, "updated": 0, "total": 117}
    assert Industry.objects.count() == before == 117


@pytest.mark.django_db
def test_loading_repairs_an_edited_name():
    Industry.objects.filter(code="62").update(name_zh="饭馆")
    result = industries_load(INDUSTRIES_CSV)
    assert result["updated"] == 1
    assert Industry.objects.get(code="62").name_zh == "餐饮业"


@pytest.mark.django_db
def test_choices_group_divisions_under_sections_in_the_active_language():
    with translation.override("zh-hans"):
        groups = industry_choices()
    assert len(groups) == 20
    assert sum(len(options) for _, options in groups) == 97
    label, options = groups[7]
    assert label == "H 住宿和餐饮业"
    assert options == [("61", "61 住宿业"), ("62", "62 餐饮业")]
    with translation.override("bo"):
        label, options = industry_choices()[7]
    assert options[0] == ("61", "61 བབས་སྡོད་ལས་རིགས།")
    with translation.override("en"):
        assert industry_choices()[4][1][0] == ("47", "47 Building construction")


@pytest.mark.django_db
def test_division_get_accepts_only_a_division_code():
    assert division_get("47").name_zh == "房屋建筑业"
    assert division_get("E") is None
    assert division_get("99") is None
    assert division_get("4") is None
