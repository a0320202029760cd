"""Vetting before publication: employer, minimum wage per pay period, ages, discriminatory wording."""

import pytest
from django.core import checks

from tests.vacancies.vacancy_builders import make_employer, vacancy_values
from vacancies import vetting
from vacancies.models import Vacancy


def build(employer, **values) -> Vacancy:
    # Vetting reads an unsaved vacancy just as well: no database write needed per case.
    return Vacancy(**vacancy_values(employer, **values))


def problems_of(vacancy) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in vetting.vet(vacancy):
        found.setdefault(problem.field, []).append(problem.code)
    return found


def test_a_clean_vacancy_passes(employer):
    assert vetting.vet(build(employer)) == []


@pytest.mark.parametrize(
    ("period", "salary", "ok"),
    [
        ("month", 2099, False),
        ("month", 2000, False),
        ("month", 2100, True),
        ("day", 80, False),  # 2100 / 21.75 ≈ 96.55
        ("day", 96, False),
        ("day", 97, True),
        ("hour", 19, False),
        ("hour", 20, True),
        ("piece", 1, True),  # piece rates: no minimum applies
    ],
)
def test_minimum_wage_per_pay_period(employer, period, salary, ok):
    vacancy = build(employer, pay_period=period, salary_min=salary, salary_max=max(salary, 6000))
    found = problems_of(vacancy)
    assert ("salary_min" not in found) is ok
    if not ok:
        assert found["salary_min"] == [f"below_minimum_wage_{period}"]


def test_the_daily_message_names_the_daily_minimum(employer):
    [problem] = vetting.vet(build(employer, pay_period="day", salary_min=80, salary_max=120))
    assert "96.56" in problem.message
    assert "21.75" in problem.message
    assert problem.blocking


def test_the_minimum_is_a_setting(employer, settings):
    settings.STANDARD = {**settings.STANDARD, "MINIMUM_WAGE_MONTHLY": 2500}
    assert "salary_min" in problems_of(build(employer, salary_min=2400, salary_max=3000))


def test_highest_pay_below_lowest(employer):
    assert problems_of(build(employer, salary_min=5000, salary_max=4000)) == {"salary_max": ["salary_range"]}


def test_inactive_employer_and_bad_credit_code(db):
    bad = make_employer(credit_code="91540100586445010A", is_active=False)  # check digit should be P
    assert sorted(problems_of(build(bad))["employer"]) == ["employer_credit_code", "employer_inactive"]


@pytest.mark.parametrize(
    ("age_min", "age_max", "reason", "expected"),
    [
        (15, None, "", {"age_min": ["under_working_age"]}),
        (15, 40, "井下作业法定要求", {"age_min": ["under_working_age"]}),  # below 16: always refused
        (16, None, "", {}),
        (18, None, "", {}),  # minors are protected workers: 18+ needs no reason
        (18, 35, "", {"age_max": ["age_max_without_reason"]}),
        (25, None, "", {"age_min": ["age_min_without_reason"]}),
        (18, 35, "高空作业体能要求，依据行业安全规程", {}),
        (18, 55, "", {}),
    ],
)
def test_age_limits(employer, age_min, age_max, reason, expected):
    vacancy = build(employer, age_min=age_min, age_max=age_max, age_reason=reason)
    assert problems_of(vacancy) == expected


@pytest.mark.parametrize(
    ("field", "text", "code"),
    [
        ("other_requirements", "限男性，能吃苦耐劳", "gender"),
        ("description", "女士优先", "gender"),
        ("other_requirements", "性别：男", "gender"),
        ("title_bo", "ཟ་མ་བྱེད་པ། ཕོ་ཁོ་ན།", "gender"),
        ("other_requirements", "མོ་ཁོ་ན་དགོས།", "gender"),
        ("other_requirements", "限汉族", "ethnicity"),
        ("description", "藏族优先", "ethnicity"),
        ("other_requirements", "民族：汉族", "ethnicity"),
        ("other_requirements", "限本地户籍", "household_registration"),
        ("other_requirements", "户口要求：拉萨市", "household_registration"),
        ("description", "外地人勿扰", "household_registration"),
        ("other_requirements", "已婚已育", "marital_status"),
        ("other_requirements", "未婚", "marital_status"),
        ("other_requirements", "入职两年内不得怀孕", "marital_status"),
        ("physical_requirements", "乙肝携带者勿扰", "hepatitis_b"),
        ("physical_requirements", "需查HBsAg", "hepatitis_b"),
        ("other_requirements", "无宗教信仰", "religion"),
        ("other_requirements", "ཆོས་ལུགས་མེད་པ།", "religion"),
        ("other_requirements", "残疾人勿扰", "disability"),
    ],
)
def test_each_discriminatory_rule_family_is_refused_with_the_field(employer, field, text, code):
    [problem] = vetting.vet(build(employer, **{field: text}))
    assert (problem.field, problem.code, problem.blocking) == (field, code, True)
    assert problem.message


@pytest.mark.parametrize(
    "text",
    [
        "男女不限",
        "性别不限，民族不限",
        "不限户籍，欢迎外地务工人员",
        "五险一金（含生育保险）",
        "性别：男女均可",
    ],
)
def test_neutral_wording_is_not_flagged(employer, text):
    assert vetting.vet(build(employer, other_requirements=text)) == []


def test_height_without_a_safety_reason_is_a_warning(employer):
    [problem] = vetting.vet(build(employer, physical_requirements="身高165cm以上"))
    assert (problem.field, problem.code, problem.blocking) == ("physical_requirements", "height", False)
    assert vetting.blocking_errors([problem]) == {}


def test_height_with_a_safety_reason_is_accepted(employer):
    vacancy = build(employer, title_zh="保安员", physical_requirements="身高170cm以上（安保巡逻安全要求）")
    assert vetting.vet(vacancy) == []


def test_errors_come_before_warnings_and_group_by_field(employer):
    vacancy = build(employer, physical_requirements="身高165cm以上", other_requirements="限女性；未婚")
    found = vetting.vet(vacancy)
    assert [p.blocking for p in found] == [True, True, False]
    errors = vetting.blocking_errors(found)
    assert list(errors) == ["other_requirements"] and len(errors["other_requirements"]) == 2


def test_the_rules_file_loads_and_covers_every_family():
    rules = vetting.screening_rules()
    keys = {rule.message_key for rule in rules}
    families = {"gender", "ethnicity", "household_registration", "marital_status", "hepatitis_b", "religion"}
    assert families <= keys
    assert all(rule.message_key in vetting.MESSAGES for rule in rules)


def test_a_bad_workdays_setting_fails_the_start_up_check(settings):
    assert not [e for e in checks.run_checks() if e.id == "vacancies.E001"]
    settings.STANDARD = {**settings.STANDARD, "WORKDAYS_PER_MONTH": "twenty"}
    errors = [e for e in checks.run_checks() if e.id == "vacancies.E001"]
    assert errors and "WORKDAYS_PER_MONTH" in errors[0].msg
