"""The employment plan to sign: Chinese and Tibetan side by side, rendered to PNG and read back
with poppler, each print in the personal-data access log, printable by front-line staff only."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageStat

from core.errors import NotAllowed
from guidance.models import CaseState
from guidance.pdf import plan_pdf
from privacy.models import PersonalDataAccess
from tests.guidance.guidance_builders import agree, case_at, draft_plan, seeker, service_type
from tests.screenshot_dir import screenshot_dir

SAMPLE = screenshot_dir() / "employment-plan-bo.png"
NAME_ZH = "次仁卓玛"
NAME_BO = "ཚེ་རིང་སྒྲོལ་མ།"
STATION_BO = "བར་སྐོར་ལམ་ཁག"


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        # Only a developer machine without poppler-utils may skip; CI must have it.
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} (poppler-utils) is missing")
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def pdf_text(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "plan.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(  # noqa: S603 - a fixed local tool on our own file
        [poppler("pdftotext"), "-enc", "UTF-8", str(source), "-"], capture_output=True, check=True, text=True
    )
    # pdftotext sets a vowel sign above its letter apart with a space or line break; compare without them.
    return re.sub(r"\s+", "", result.stdout)


def pdf_png(pdf: bytes, tmp_path, resolution: int = 60) -> Path:
    source = tmp_path / "plan.pdf"
    source.write_bytes(pdf)
    subprocess.run(  # noqa: S603 - a fixed local tool on our own file
        [
            poppler("pdftoppm"),
            "-png",
            "-r",
            str(resolution),
            "-f",
            "1",
            "-l",
            "1",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
        capture_output=True,
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages, "pdftoppm wrote no page"
    return pages[0]


@pytest.fixture
def plan(counsellor, today):
    person = seeker(counsellor, name_zh=NAME_ZH, name_bo=NAME_BO, preferred_language="bo")
    case = case_at(counsellor, CaseState.PLANNING, person=person)
    return draft_plan(counsellor, case)


def test_the_plan_renders_with_both_scripts_and_a_tibetan_label(counsellor, plan, tmp_path):
    service_type()  # the first action carries the job-recommendation service
    agreed = agree(counsellor, plan)
    pdf = plan_pdf(plan=agreed, acting_user=counsellor)
    assert pdf.startswith(b"%PDF")

    png = pdf_png(pdf, tmp_path)
    with Image.open(png) as image:
        assert image.width > 400 and image.height > 600  # A4 at 60 dpi is 496 × 702
        grey = image.convert("L")
        # Not blank: plenty of dark pixels (text) on a white page.
        dark = sum(grey.histogram()[:128])
        assert dark > 0.005 * image.width * image.height, dark
        assert ImageStat.Stat(grey).stddev[0] > 10

    text = pdf_text(pdf, tmp_path)
    assert re.sub(r"\s+", "", NAME_BO) in text
    assert NAME_ZH in text
    with translation.override("bo"):
        counsellor_bo = str(translation.gettext("Counsellor"))
    assert re.search(r"[\u0f00-\u0fff]", counsellor_bo), "the catalogue has a Tibetan label"
    assert re.sub(r"\s+", "", counsellor_bo) in text
    assert agreed.case.person.id_number_masked in text
    assert agreed.case.person.id_number not in text
    assert "参加招聘会1" in text and "岗位推荐" in text
    assert re.sub(r"\s+", "", "ལས་གནས་འོས་སྦྱོར།") in text
    assert "2026-12-25" in text  # the first review


def test_the_sample_in_the_docs(counsellor, today, tmp_path):
    """docs/screenshots/employment-plan-bo.png (with `make screenshots`): an agreed plan,
    written by this test (the same bytes on every run: fixed clock, fixed ID number)."""
    person = seeker(counsellor, name_zh=NAME_ZH, name_bo=NAME_BO, sequence=7)
    plan = draft_plan(counsellor, case_at(counsellor, CaseState.PLANNING, person=person))
    service_type()
    pdf = plan_pdf(plan=agree(counsellor, plan), acting_user=counsellor)
    png = pdf_png(pdf, tmp_path, resolution=90)
    SAMPLE.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(png, SAMPLE)
    with Image.open(SAMPLE) as image:
        assert image.width > 700


def test_a_draft_is_marked_as_such(counsellor, plan, tmp_path):
    with translation.override("zh-hans"):
        draft_zh = str(translation.gettext("Draft, not yet agreed"))
    text = pdf_text(plan_pdf(plan=plan, acting_user=counsellor), tmp_path)
    assert re.sub(r"\s+", "", draft_zh) in text


def test_each_print_is_in_the_access_log(counsellor, plan):
    plan_pdf(plan=plan, acting_user=counsellor)
    entry = PersonalDataAccess.objects.get()
    assert (entry.user, entry.kind, entry.subject_type, entry.subject_id) == (
        counsellor,
        "print",
        "person",
        str(plan.case.person_id),
    )
    assert f"employment plan {plan.pk}" in entry.reason


@pytest.mark.parametrize("persona", ["counsellor_jiri", "district_chengguan", "auditadmin"])
def test_only_front_line_staff_of_the_area_print(personas, plan, persona):
    with pytest.raises(NotAllowed):
        plan_pdf(plan=plan, acting_user=personas[persona])
    assert not PersonalDataAccess.objects.exists()


def test_the_page_returns_the_pdf(page_client, counsellor, personas, plan):
    url = reverse("guidance:plan_pdf", args=[plan.pk])
    response = page_client(counsellor).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    assert page_client(personas["counsellor_jiri"]).get(url).status_code == 404
    assert page_client(personas["district_chengguan"]).get(url).status_code == 403
    assert PersonalDataAccess.objects.filter(kind="print").count() == 1
