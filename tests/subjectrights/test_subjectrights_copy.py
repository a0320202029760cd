"""The copy of one's data: the person's own values in full, labels in Chinese and Tibetan,
one sheet per section, and a row in the personal-data access log for every download."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from audit.models import Action, AuditEntry
from privacy.models import AccessKind, PersonalDataAccess
from subjectrights.copy import copy_workbook
from tests.subjectrights.conftest import act, in_both, receive


def _person_sheet(workbook) -> dict:
    """Chinese label → (Tibetan label, value)."""
    sheet = workbook.worksheets[0]
    return {row[0]: (row[1], row[2]) for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}


def test_the_copy_holds_the_persons_own_values_under_both_languages(personas, seeker):
    content = copy_workbook(person=seeker, user=personas["counsellor_chengguan"])
    workbook = load_workbook(io.BytesIO(content))
    rows = _person_sheet(workbook)
    zh, bo = in_both("Chinese name")
    assert zh != bo, "the Tibetan catalogue translates this label"
    assert rows[zh] == (bo, "次仁卓玛")
    assert rows[in_both("Tibetan name")[0]] == (in_both("Tibetan name")[1], "ཚེ་རིང་སྒྲོལ་མ།")
    # Their own data, so in full: not the masked forms lists show.
    assert rows[in_both("resident ID number")[0]][1] == seeker.id_number
    assert rows[in_both("phone")[0]][1] == "13987654321"
    assert rows[in_both("address")[0]][1] == "八廓街12号"
    assert "540102********" not in str(rows)

    titles = workbook.sheetnames
    assert len(titles) == 10 and len(set(titles)) == 10
    consents = workbook[in_both("Consents")[0]]
    header_zh, header_bo, *data = list(consents.iter_rows(values_only=True))
    assert header_zh[0] == in_both("purpose")[0] and header_bo[0] == in_both("purpose")[1]
    purpose_zh, purpose_bo = in_both("Sharing my profile with employers")
    assert [row[0] for row in data] == [f"{purpose_zh} / {purpose_bo}"]
    assert header_zh[1] == in_both("channel")[0]
    all_zh, all_bo = in_both("All channels")
    assert [row[1] for row in data] == [f"{all_zh} / {all_bo}"]


def test_the_copy_reads_only_this_persons_rows(personas, seeker):
    from people.services import consent_give
    from tests.factories import person as make_person

    other = make_person(user=personas["counsellor_chengguan"], name_zh="格桑", name_bo="སྐལ་བཟང་།", sequence=7)
    consent_give(acting_user=personas["counsellor_chengguan"], person=other, purpose="regional_platform")
    workbook = load_workbook(io.BytesIO(copy_workbook(person=seeker, user=personas["counsellor_chengguan"])))
    consents = list(workbook[in_both("Consents")[0]].iter_rows(min_row=3, values_only=True))
    assert len(consents) == 1
    assert "格桑" not in str([list(s.iter_rows(values_only=True)) for s in workbook.worksheets])


def test_the_download_is_logged(personas, page_client, seeker):
    counsellor = personas["counsellor_chengguan"]
    subject_request = receive(counsellor, seeker, kind="copy")
    client = page_client(counsellor)
    url = reverse("subjectrights:copy", args=[subject_request.pk])
    refused = client.get(url)  # identity not verified yet
    assert refused.status_code == 302 and not PersonalDataAccess.objects.exists()
    act(counsellor, subject_request, "verify", method="id_card_seen")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert seeker.id_number in str(list(workbook.worksheets[0].iter_rows(values_only=True)))
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.kind, log.subject_type, log.subject_id, log.reason) == (
        counsellor,
        AccessKind.EXPORT,
        "person",
        str(seeker.pk),
        f"data-subject request #{subject_request.pk}",
    )
    assert AuditEntry.objects.filter(action=Action.EXPORT, actor=counsellor).count() == 1
    outsider = page_client(personas["counsellor_jiri"]).get(url)
    assert outsider.status_code == 404 and PersonalDataAccess.objects.count() == 1
