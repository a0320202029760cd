"""Renaming an employer keeps its vacancies findable under the new name."""

from employers.services import employer_update
from industries.models import Industry
from tests.vacancies.vacancy_builders import make_employer, vacancy_values
from vacancies import services as vacancy_services


def test_rename_refreshes_the_vacancies_search_text(personas):
    counsellor = personas["counsellor_chengguan"]
    employer = make_employer(industry=Industry.objects.get(code="62"))  # 餐饮业, a division
    vacancy = vacancy_services.vacancy_create(acting_user=counsellor, values=vacancy_values(employer))
    assert "雪域" in vacancy.search_text.split() or "雪域餐饮" in vacancy.search_text
    employer_update(
        acting_user=counsellor,
        employer=employer,
        expected_version=employer.version,
        changes={"name_zh": "拉萨布达拉宫酒店有限公司"},
    )
    vacancy.refresh_from_db()
    assert "布达拉宫" in vacancy.search_text.split()
    assert "雪域" not in vacancy.search_text.split()
