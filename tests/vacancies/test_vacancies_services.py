"""Entering and editing vacancies: search words, scope, classification level and ranges."""

import pytest

from audit.models import AuditEntry
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from network.models import OrgUnit
from occupations.models import Occupation
from tests.vacancies.vacancy_builders import make_employer, vacancy_values
from vacancies import services
from vacancies.models import Status

ACCOUNTANT = "2-06-03-00"  # 会计专业人员


def create(user, employer, **values):
    return services.vacancy_create(acting_user=user, values=vacancy_values(employer, **values))


def test_search_text_holds_chinese_words_and_tibetan_syllables(personas, employer):
    vacancy = create(
        personas["counsellor_chengguan"],
        employer,
        title_zh="招聘会计",
        title_bo="རྩིས་པ་དགོས།",
        occupation=Occupation.objects.get(code=ACCOUNTANT),
        description="",
    )
    vacancy.refresh_from_db()
    words = vacancy.search_text.split()
    assert "会计" in words
    assert "རྩིས" in words
    assert "雪域" in words or "餐饮" in words  # the employer's name is searchable too


def test_an_update_refreshes_the_search_text(personas, draft):
    services.vacancy_update(
        acting_user=personas["counsellor_chengguan"],
        vacancy=draft,
        expected_version=draft.version,
        changes={"title_zh": "面点厨师"},
    )
    draft.refresh_from_db()
    assert "面点" in draft.search_text.split()


def test_create_makes_a_draft_held_by_the_users_unit_with_an_audit_entry(personas, employer):
    values = vacancy_values(employer)
    del values["unit"]
    vacancy = services.vacancy_create(acting_user=personas["counsellor_chengguan"], values=values)
    assert vacancy.status == Status.DRAFT
    assert vacancy.unit.code == "540102002"
    assert vacancy.created_by == personas["counsellor_chengguan"]
    assert AuditEntry.objects.filter(object_type="vacancies.vacancy", object_id=str(vacancy.pk)).exists()


def test_supervisors_and_admins_do_not_enter_vacancies(personas, employer):
    for name in ("district_chengguan", "city", "sysadmin"):
        with pytest.raises(NotAllowed):
            create(personas[name], employer)


def test_an_employer_outside_the_area_is_refused(personas):
    linzhou = make_employer(unit_code="540121100", name_zh="林周县牧业合作社")
    with pytest.raises(ValidationFailed) as refused:
        create(personas["counsellor_chengguan"], linzhou, unit=OrgUnit.objects.get(code="540102002"))
    assert "employer" in refused.value.errors


def test_a_holding_unit_outside_the_area_is_refused(personas, employer):
    with pytest.raises(ValidationFailed) as refused:
        create(personas["counsellor_chengguan"], employer, unit=OrgUnit.objects.get(code="540102003"))
    assert "unit" in refused.value.errors


def test_the_place_of_work_may_be_anywhere(personas, employer):
    elsewhere = OrgUnit.objects.get(code="540121100")
    vacancy = create(personas["counsellor_chengguan"], employer, work_unit=elsewhere)
    assert vacancy.work_unit.code == "540121100"


def test_only_a_detailed_occupation_is_accepted(personas, employer):
    with pytest.raises(ValidationFailed) as refused:
        create(personas["counsellor_chengguan"], employer, occupation=Occupation.objects.get(code="4-03"))
    assert "occupation" in refused.value.errors


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"salary_min": 5000, "salary_max": 4000}, "salary_max"),
        ({"age_min": 40, "age_max": 30}, "age_max"),
        ({"headcount": 0}, "headcount"),
        ({"title_zh": ""}, "title_zh"),
    ],
)
def test_bad_values_name_the_field(personas, employer, values, field):
    with pytest.raises(ValidationFailed) as refused:
        create(personas["counsellor_chengguan"], employer, **values)
    assert field in refused.value.errors


def test_external_id_is_unique(personas, employer):
    create(personas["counsellor_chengguan"], employer, external_id="XZ-2026-1")
    with pytest.raises(ValidationFailed) as refused:
        create(personas["counsellor_chengguan"], employer, external_id="XZ-2026-1")
    assert "external_id" in refused.value.errors


def test_a_stale_edit_is_refused(personas, draft):
    version = draft.version
    services.vacancy_update(
        acting_user=personas["counsellor_chengguan"],
        vacancy=draft,
        expected_version=version,
        changes={"headcount": 3},
    )
    with pytest.raises(ConcurrentEdit):
        services.vacancy_update(
            acting_user=personas["head_chengguan"],
            vacancy=draft,
            expected_version=version,
            changes={"headcount": 4},
        )


def test_a_sibling_counsellor_cannot_edit(personas, draft):
    with pytest.raises(NotAllowed):
        services.vacancy_update(
            acting_user=personas["counsellor_jiri"],
            vacancy=draft,
            expected_version=draft.version,
            changes={"headcount": 3},
        )
