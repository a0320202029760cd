"""The pages: the list with masked names, filters, badges and a logged Excel export; a new
request from the person's file; the request with its actions; scope; three languages."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from privacy.models import AccessKind, PersonalDataAccess
from subjectrights.models import State, SubjectRequest
from tests.core.test_translations import ALLOWED, _Text
from tests.subjectrights.conftest import act, receive


def _body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_request_is_recorded_from_the_persons_file(personas, page_client, seeker):
    client = page_client(personas["counsellor_chengguan"])
    file_page = _body(client.get(reverse("people:person_detail", args=[seeker.pk])))
    new_url = reverse("subjectrights:new", args=[seeker.pk])
    assert 'id="subject-requests"' in file_page and new_url in file_page
    assert client.get(new_url).status_code == 200
    bad = client.post(
        new_url, {"kind": "deletion", "channel": "phone", "received_on": "2099-01-01", "details": "删"}
    )
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    assert not SubjectRequest.objects.exists()
    response = client.post(
        new_url,
        {"kind": "deletion", "channel": "phone", "received_on": "2026-11-16", "details": "请删除我的资料"},
    )
    subject_request = SubjectRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "subjectrights:detail", args=[subject_request.pk]
    )
    assert subject_request.due_on.isoformat() == "2026-12-16"
    file_page = _body(client.get(reverse("people:person_detail", args=[seeker.pk])))
    assert reverse("subjectrights:detail", args=[subject_request.pk]) in file_page
    assert page_client(personas["counsellor_jiri"]).get(new_url).status_code == 404


def test_actions_on_the_detail_page(personas, page_client, seeker):
    counsellor = personas["counsellor_chengguan"]
    subject_request = receive(counsellor, seeker, kind="deletion")
    client = page_client(counsellor)
    detail = reverse("subjectrights:detail", args=[subject_request.pk])
    body = _body(client.get(detail))
    assert reverse("subjectrights:verify", args=[subject_request.pk]) in body
    # Completing a deletion is a station head's action; the counsellor is not offered it.
    assert reverse("subjectrights:complete", args=[subject_request.pk]) not in body
    missing = client.post(reverse("subjectrights:verify", args=[subject_request.pk]), {"version": 1})
    assert missing.status_code == 400 and "errorlist" in missing.content.decode()
    ok = client.post(
        reverse("subjectrights:verify", args=[subject_request.pk]), {"version": 1, "method": "phone_callback"}
    )
    assert ok.status_code == 302
    stale = client.post(
        reverse("subjectrights:withdraw", args=[subject_request.pk]), {"version": 1, "note": "撤回"}
    )
    assert stale.status_code == 400 and "errorlist" in stale.content.decode()
    subject_request.refresh_from_db()
    assert subject_request.state == State.VERIFIED
    head_page = _body(page_client(personas["head_chengguan"]).get(detail))
    assert reverse("subjectrights:complete", args=[subject_request.pk]) in head_page
    assert client.get(reverse("subjectrights:verify", args=[subject_request.pk])).status_code == 405


def test_the_detail_is_scoped(personas, page_client, seeker):
    subject_request = receive(personas["counsellor_chengguan"], seeker)
    detail = reverse("subjectrights:detail", args=[subject_request.pk])
    assert page_client(personas["counsellor_jiri"]).get(detail).status_code == 404
    assert page_client(personas["counsellor_linzhou"]).get(detail).status_code == 404
    assert page_client(personas["city"]).get(detail).status_code == 200
    assert page_client(personas["secadmin"]).get(detail).status_code == 403
    assert page_client(personas["auditadmin"]).get(detail).status_code == 403
    withdraw = reverse("subjectrights:withdraw", args=[subject_request.pk])
    assert page_client(personas["secadmin"]).post(withdraw, {"version": 1}).status_code == 403


def test_the_list_masks_names_shows_deadlines_and_exports(personas, page_client, seeker):
    counsellor = personas["counsellor_chengguan"]
    late = receive(counsellor, seeker, kind="correction", received_on=datetime.date(2026, 10, 16))
    assert late.due_on == datetime.date(2026, 11, 15)
    done = receive(counsellor, seeker, kind="copy")
    act(counsellor, done, "withdraw")
    client = page_client(personas["district_chengguan"])
    body = _body(client.get(reverse("subjectrights:list")))
    assert "次***" in body and "次仁卓玛" not in body and seeker.id_number not in body
    rows = dict(re.findall(r'data-request="(\d+)">(.*?)</tr>', body, re.S))
    assert "tag bad" in rows[str(late.pk)] and "tag bad" not in rows[str(done.pk)]
    filtered = _body(client.get(reverse("subjectrights:list") + "?overdue=on"))
    assert f'data-request="{late.pk}"' in filtered and f'data-request="{done.pk}"' not in filtered
    export = client.get(reverse("subjectrights:list") + "?state=withdrawn&format=xlsx")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in rows] == [(done.pk, "次*** / ཚེ་***")]
    log = PersonalDataAccess.objects.get()
    assert (log.kind, log.subject_type, log.record_count, log.query) == (
        AccessKind.EXPORT,
        "subject_request",
        1,
        "state=withdrawn",
    )


@pytest.mark.parametrize(("language", "html_lang"), [("zh-hans", "zh-Hans"), ("en", "en"), ("bo", "bo")])
def test_pages_render_in_every_language(personas, page_client, seeker, language, html_lang):
    user = personas["head_chengguan"]
    user.language = language
    user.save(update_fields=["language"])
    subject_request = receive(user, seeker, kind="access")
    client = page_client(user)
    for path in _paths(seeker, subject_request):
        assert f'<html lang="{html_lang}">' in _body(client.get(path)), path


def _paths(seeker, subject_request):
    return [
        reverse("subjectrights:list"),
        reverse("subjectrights:new", args=[seeker.pk]),
        reverse("subjectrights:detail", args=[subject_request.pk]),
    ]


def test_tibetan_pages_show_no_english(personas, page_client, seeker, pending_msgids_as_tibetan):
    from network.models import OrgUnit

    user = personas["head_chengguan"]
    user.language = "bo"
    user.save(update_fields=["language"])
    subject_request = receive(user, seeker, kind="access")
    act(user, subject_request, "verify", method="id_card_seen")
    client = page_client(user)
    allowed = set(ALLOWED) | {"head", "chengguan", "Excel", "PDF"}
    allowed |= {word for name in OrgUnit.objects.values_list("name_en", flat=True) for word in name.split()}
    for path in _paths(seeker, subject_request):
        parser = _Text()
        parser.feed(_body(client.get(path)))
        words = set(re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", " ".join(parser.chunks)))
        assert words - allowed == set(), (path, words - allowed)


def test_pages_still_render_after_a_deletion(personas, page_client, seeker):
    counsellor, head = personas["counsellor_chengguan"], personas["head_chengguan"]
    subject_request = receive(counsellor, seeker, kind="deletion")
    act(counsellor, subject_request, "verify", method="id_card_seen")
    client = page_client(head)
    response = client.post(
        reverse("subjectrights:complete", args=[subject_request.pk]),
        {"version": subject_request.version, "outcome": "已匿名化"},
    )
    assert response.status_code == 302
    seeker.refresh_from_db()
    assert seeker.anonymised_at is not None
    detail = _body(client.get(reverse("subjectrights:detail", args=[subject_request.pk])))
    assert "次仁卓玛" not in detail and "已匿名化" in detail
    assert "次仁卓玛" not in _body(client.get(reverse("subjectrights:list")))
