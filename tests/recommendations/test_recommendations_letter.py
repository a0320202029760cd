"""The referral letter: Chinese and Tibetan side by side, the Tibetan font embedded, each
print in the personal-data access log, printable from the referral on, scoped."""

import os
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from core.errors import NotAllowed, ValidationFailed
from privacy.models import PersonalDataAccess
from recommendations.letter import referral_letter_pdf
from recommendations.models import State
from tests.recommendations.recommendation_builders import published_vacancy, recommendation, seeker

NAME_ZH = "次仁卓玛"
NAME_BO = "ཚེ་རིང་སྒྲོལ་མ།"
TITLE_ZH = "藏餐厨师"
TITLE_BO = "བོད་ཟས་མ་བྱེད་པ།"


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        # Only a developer machine without poppler-utils may skip; CI must have it.
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} (poppler-utils) is missing")
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def run(tool: str, pdf: bytes, tmp_path, *args: str) -> str:
    target = tmp_path / "letter.pdf"
    target.write_bytes(pdf)
    result = subprocess.run(  # noqa: S603 - a fixed local tool on our own file
        [poppler(tool), *args, str(target), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


@pytest.fixture
def referred(counsellor, head, today):
    person = seeker(counsellor, name_zh=NAME_ZH, name_bo=NAME_BO, preferred_language="zh-hans")
    vacancy = published_vacancy(counsellor, head, title_zh=TITLE_ZH, title_bo=TITLE_BO)
    return recommendation(State.REFERRED, counsellor=counsellor, person=person, vacancy=vacancy)


def test_the_letter_carries_both_scripts_and_embeds_a_tibetan_font(counsellor, referred, tmp_path):
    pdf = referral_letter_pdf(recommendation=referred, acting_user=counsellor)
    assert pdf.startswith(b"%PDF")
    text = run("pdftotext", pdf, tmp_path, "-enc", "UTF-8")
    # pdftotext sets a vowel sign above its letter apart with a space or line break; compare without them.
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", NAME_BO) in flat
    assert NAME_ZH in flat and TITLE_ZH in flat and re.sub(r"\s+", "", TITLE_BO) in flat
    assert referred.person.id_number_masked in flat
    assert referred.person.id_number not in flat
    assert referred.vacancy.employer.name_zh in flat
    fonts = run("pdffonts", pdf, tmp_path)
    # The vendored font (its @font-face family), not only a system fallback that CI may lack.
    tibetan = [line for line in fonts.splitlines() if "Vendored-Tibetan" in line]
    assert tibetan, fonts
    # Columns: name type… encoding emb sub uni object generation; "emb" must say yes.
    assert all(line.split()[-5] == "yes" for line in tibetan), fonts
    assert any("CJK" in line for line in fonts.splitlines()), fonts


def test_each_print_is_in_the_access_log(counsellor, referred):
    referral_letter_pdf(recommendation=referred, acting_user=counsellor)
    entry = PersonalDataAccess.objects.get()
    assert (entry.user, entry.kind, entry.subject_type, entry.subject_id) == (
        counsellor,
        "print",
        "person",
        str(referred.person_id),
    )
    assert str(referred.pk) in entry.reason


@pytest.mark.parametrize("state", [State.MATCHED, State.SHOWN, State.INTERESTED])
def test_no_letter_before_the_referral(counsellor, head, today, state):
    rec = recommendation(state, counsellor=counsellor, head=head)
    with pytest.raises(ValidationFailed) as refused:
        referral_letter_pdf(recommendation=rec, acting_user=counsellor)
    assert refused.value.code == "not_referred"
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("state", [State.INTERVIEW, State.HIRED, State.NO_RESPONSE])
def test_a_letter_can_be_reprinted_after_the_referral(counsellor, head, today, state):
    rec = recommendation(state, counsellor=counsellor, head=head)
    assert referral_letter_pdf(recommendation=rec, acting_user=counsellor).startswith(b"%PDF")


@pytest.mark.parametrize("persona", ["counsellor_jiri", "district_chengguan", "auditadmin"])
def test_only_front_line_staff_of_the_area_print(personas, referred, persona):
    with pytest.raises(NotAllowed):
        referral_letter_pdf(recommendation=referred, acting_user=personas[persona])


def test_the_page_returns_the_pdf(page_client, counsellor, referred):
    url = reverse("recommendations:letter", args=[referred.pk])
    assert url == f"/recommendations/{referred.pk}/letter.pdf"
    response = page_client(counsellor).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    assert PersonalDataAccess.objects.filter(user=counsellor, kind="print").count() == 1


def test_the_page_is_404_outside_the_area_and_403_for_supervisors(page_client, personas, referred):
    url = reverse("recommendations:letter", args=[referred.pk])
    assert page_client(personas["counsellor_jiri"]).get(url).status_code == 404
    assert page_client(personas["district_chengguan"]).get(url).status_code == 403
    assert page_client(personas["counsellor_chengguan"]).post(url).status_code == 405
    assert not PersonalDataAccess.objects.exists()


def test_the_page_explains_a_letter_asked_for_too_early(page_client, counsellor, head, today):
    rec = recommendation(State.SHOWN, counsellor=counsellor, head=head)
    response = page_client(counsellor).get(reverse("recommendations:letter", args=[rec.pk]), follow=False)
    assert response.status_code == 302
