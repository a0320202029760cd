"""The classification's names: Tibetan and English from the project's names file, corrections
by the system administrator (audited, version-checked), and reloads that keep a correction."""

import csv
import re

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import Action, AuditEntry
from config.paths import OCCUPATION_NAMES_CSV, OCCUPATIONS_CSV
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from occupations.models import Occupation
from occupations.services import NOT_TIBETAN, occupation_names_correct, occupations_load

pytestmark = pytest.mark.django_db
TIBETAN_NAME = re.compile(r"^[\u0F00-\u0FFF ()0-9]+$")
COOK = "4-03-02-01"


def _names_file() -> dict[str, dict]:
    with OCCUPATION_NAMES_CSV.open(encoding="utf-8") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


def test_every_entry_has_a_tibetan_and_an_english_name():
    """The data README asks for at least the 8 major and 79 medium groups; all 2,176 have them."""
    groups = Occupation.objects.all()
    assert groups.count() == 2176
    for group in groups:
        assert TIBETAN_NAME.match(group.name_bo) and group.name_bo.endswith("།"), (group.code, group.name_bo)
        assert group.name_en and group.name_en.isascii(), (group.code, group.name_en)


def test_the_names_file_is_well_formed():
    names = _names_file()
    codes = {o.code for o in Occupation.objects.only("code")}
    assert set(names) == codes, set(names) ^ codes
    for code, row in names.items():
        assert TIBETAN_NAME.match(row["name_bo"]) and row["name_bo"].endswith("།"), (code, row["name_bo"])
        assert row["name_en"].isascii() and row["name_en"].strip() == row["name_en"] != "", code


def test_a_tibetan_reader_sees_the_tibetan_name(personas):
    major = Occupation.objects.get(code="4")
    with translation.override("bo"):
        assert major.name == major.name_bo
    with translation.override("zh-hans"):
        assert major.name == major.name_zh


def test_the_administrator_corrects_a_name_on_the_page(personas, page_client):
    admin = personas["sysadmin"]
    cook = Occupation.objects.get(code=COOK)
    client = page_client(admin)
    url = reverse("occupations:occupation_edit", args=[COOK])
    assert url in client.get(reverse("occupations:occupation_detail", args=[COOK])).content.decode()
    data = {"name_zh": "中式烹调师", "name_bo": "རྒྱ་ཟས་གཡོས་མཁན།", "name_en": "Chinese cook", "version": 1}
    response = client.post(url, data)
    assert response.status_code == 302
    cook.refresh_from_db()
    assert (cook.name_bo, cook.name_en, cook.version) == ("རྒྱ་ཟས་གཡོས་མཁན།", "Chinese cook", 2)
    assert cook.names_corrected_by == admin and cook.names_corrected_at is not None
    entry = AuditEntry.objects.filter(action=Action.UPDATE, actor=admin).latest("seq")
    assert entry.object_id == str(cook.pk)


def test_a_reload_keeps_a_correction_and_fills_the_rest(personas, tmp_path):
    cook = Occupation.objects.get(code=COOK)
    occupation_names_correct(
        acting_user=personas["sysadmin"],
        occupation=cook,
        expected_version=cook.version,
        changes={"name_zh": "中式烹饪师", "name_bo": "རྒྱ་ཟས་གཡོས་མཁན།"},
    )
    names = tmp_path / "names.csv"
    names.write_text(
        f"code,name_bo,name_en\n{COOK},ཟས་གཡོས་པ།,Cook\n4-03-02-02,མར་ཟས་གཡོས་མཁན།,Pastry cook\n",
        encoding="utf-8",
    )
    occupations_load(csv_path=OCCUPATIONS_CSV, names_path=names)
    cook.refresh_from_db()
    assert (cook.name_zh, cook.name_bo) == ("中式烹饪师", "རྒྱ་ཟས་གཡོས་མཁན།")  # the correction stands
    neighbour = Occupation.objects.get(code="4-03-02-02")
    assert (neighbour.name_bo, neighbour.name_en) == ("མར་ཟས་གཡོས་མཁན།", "Pastry cook")


def test_a_stale_form_is_refused_and_changes_nothing(personas, page_client):
    cook = Occupation.objects.get(code=COOK)
    occupation_names_correct(
        acting_user=personas["sysadmin"], occupation=cook, expected_version=1, changes={"name_en": "Cook"}
    )
    with pytest.raises(ConcurrentEdit):
        occupation_names_correct(
            acting_user=personas["sysadmin"],
            occupation=Occupation.objects.get(code=COOK),
            expected_version=1,
            changes={"name_en": "Chef"},
        )
    client = page_client(personas["sysadmin"])
    url = reverse("occupations:occupation_edit", args=[COOK])
    response = client.post(url, {"name_zh": "中式烹调师", "name_en": "Chef", "version": 1})
    assert response.status_code == 400
    cook.refresh_from_db()
    assert (cook.name_en, cook.version) == ("Cook", 2)


def test_bad_names_get_a_clear_error_in_the_users_language(personas, page_client):
    admin = personas["sysadmin"]
    admin.language = "bo"
    admin.save(update_fields=["language"])
    url = reverse("occupations:occupation_edit", args=[COOK])
    response = page_client(admin).post(
        url, {"name_zh": "中式烹调师", "name_bo": "Chinese cook", "version": 1}
    )
    assert response.status_code == 400
    with translation.override("bo"):
        assert str(NOT_TIBETAN) in response.content.decode()
    with pytest.raises(ValidationFailed):  # a stray vowel sign with no letter
        occupation_names_correct(
            acting_user=admin,
            occupation=Occupation.objects.get(code=COOK),
            expected_version=1,
            changes={"name_bo": "\u0f72རྒྱ།"},
        )
    assert Occupation.objects.get(code=COOK).version == 1


def test_only_the_system_administrator_corrects(personas, page_client):
    cook = Occupation.objects.get(code=COOK)
    with pytest.raises(NotAllowed):
        occupation_names_correct(
            acting_user=personas["head_chengguan"],
            occupation=cook,
            expected_version=1,
            changes={"name_en": "x"},
        )
    url = reverse("occupations:occupation_edit", args=[COOK])
    assert page_client(personas["counsellor_chengguan"]).get(url).status_code == 403
    detail = page_client(personas["counsellor_chengguan"]).get(
        reverse("occupations:occupation_detail", args=[COOK])
    )
    assert url not in detail.content.decode()


def test_vacancies_are_found_by_the_corrected_names(personas, tmp_path):
    """A vacancy's search text holds its occupation's names: a correction in the app and a
    reload of the names file both refresh it, as an employer's rename does."""
    from tests.vacancies.vacancy_builders import make_employer, vacancy_values
    from vacancies.services import vacancy_create

    cook = Occupation.objects.get(code=COOK)
    employer = make_employer()
    counsellor = personas["counsellor_chengguan"]
    vacancy = vacancy_create(
        acting_user=counsellor,
        values=vacancy_values(employer, occupation=cook, title_bo="མི་དགོས།", description=""),
    )
    occupation_names_correct(
        acting_user=personas["sysadmin"],
        occupation=cook,
        expected_version=cook.version,
        changes={"name_bo": "ཟས་གཡོས་མཁན་ཆེན།"},
    )
    vacancy.refresh_from_db()
    assert "ཆེན" in vacancy.search_text.split()

    names = tmp_path / "names.csv"
    names.write_text("code,name_bo,name_en\n4-03-02-02,མར་ཟས་བཟོ་མཁན།,Pastry cook\n", encoding="utf-8")
    pastry = Occupation.objects.get(code="4-03-02-02")
    other = vacancy_create(
        acting_user=counsellor, values=vacancy_values(employer, occupation=pastry, description="")
    )
    occupations_load(csv_path=OCCUPATIONS_CSV, names_path=names)
    other.refresh_from_db()
    assert "མར" in other.search_text.split()
