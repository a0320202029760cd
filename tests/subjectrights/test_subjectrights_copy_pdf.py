"""The copy of one's data as a PDF: the person's own values in full, every section under its
Chinese and Tibetan title, Tibetan drawn with the vendored font, and each download logged."""

import re
import subprocess

from django.urls import reverse

from audit.models import Action, AuditEntry
from privacy.models import AccessKind, PersonalDataAccess
from subjectrights.copy_pdf import copy_pdf
from tests.guidance.test_guidance_pdf import pdf_text, poppler
from tests.subjectrights.conftest import act, in_both, receive

NAME_BO = "ཚེ་རིང་སྒྲོལ་མ།"


def _squeezed(text: str) -> str:
    """Without spaces and Tibetan vowel signs and marks: pdftotext sets a vowel sign apart
    from its letter, and at times before it."""
    return re.sub(r"[\s\u0f71-\u0f87]+", "", text)


def _fonts(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "fonts.pdf"
    source.write_bytes(pdf)
    return subprocess.run(  # noqa: S603 - a fixed local tool on our own file
        [poppler("pdffonts"), str(source)], capture_output=True, check=True, text=True
    ).stdout


def test_the_pdf_holds_the_persons_own_values_under_both_languages(personas, seeker, tmp_path):
    pdf = copy_pdf(person=seeker, user=personas["counsellor_chengguan"])
    assert pdf.startswith(b"%PDF")
    text = _squeezed(pdf_text(pdf, tmp_path))
    assert "次仁卓玛" in text and _squeezed(NAME_BO) in text
    # Their own data, so in full: not the masked form lists show.
    assert seeker.id_number in text and "13987654321" in text and "八廓街12号" in text
    assert "********" not in text
    for title in ("Personal details", "Consents", "Services", "Recommendations"):
        zh, bo = in_both(title)
        assert zh != bo, f"the Tibetan catalogue translates {title!r}"
        assert _squeezed(zh) in text and _squeezed(bo) in text, title
    purpose_zh, purpose_bo = in_both("Sharing my profile with employers")
    assert _squeezed(purpose_zh) in text and _squeezed(purpose_bo) in text
    # The vendored font (its @font-face family) is embedded, not only a system fallback.
    fonts = _fonts(pdf, tmp_path).splitlines()
    tibetan = [line for line in fonts if "Vendored-Tibetan" in line]
    assert tibetan and all(line.split()[-5] == "yes" for line in tibetan), fonts


def test_the_pdf_reads_only_this_persons_rows(personas, seeker, tmp_path):
    from people.services import consent_give
    from tests.factories import person as make_person

    other = make_person(user=personas["counsellor_chengguan"], name_zh="格桑", name_bo="སྐལ་བཟང་།", sequence=7)
    consent_give(acting_user=personas["counsellor_chengguan"], person=other, purpose="regional_platform")
    text = _squeezed(pdf_text(copy_pdf(person=seeker, user=personas["counsellor_chengguan"]), tmp_path))
    other_purpose = in_both("Exchange with the regional employment platform")[0]
    assert "格桑" not in text and _squeezed(other_purpose) not in text


def test_the_pdf_download_is_logged_and_counts_as_the_copy(personas, page_client, seeker):
    counsellor = personas["counsellor_chengguan"]
    subject_request = receive(counsellor, seeker, kind="copy")
    client = page_client(counsellor)
    url = reverse("subjectrights:copy_pdf", args=[subject_request.pk])
    refused = client.get(url)  # identity not verified yet
    assert refused.status_code == 302 and not PersonalDataAccess.objects.exists()
    act(counsellor, subject_request, "verify", method="id_card_seen")
    detail = client.get(reverse("subjectrights:detail", args=[subject_request.pk])).content.decode()
    assert url in detail
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith(f'my-data-request-{subject_request.pk}.pdf"')
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.kind, log.subject_id, log.reason) == (
        counsellor,
        AccessKind.EXPORT,
        str(seeker.pk),
        f"data-subject request #{subject_request.pk}",
    )
    audit = AuditEntry.objects.get(action=Action.EXPORT, actor=counsellor)
    assert audit.note.startswith("copy of own data (pdf)")
    # The printed copy answers the request as the workbook does.
    act(counsellor, subject_request, "complete", outcome="已交付打印件")
    subject_request.refresh_from_db()
    assert subject_request.state == "completed"
    outsider = page_client(personas["counsellor_jiri"]).get(url)
    assert outsider.status_code == 404 and PersonalDataAccess.objects.count() == 1
