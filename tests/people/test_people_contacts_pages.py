"""Contact attempts recorded on the file page; repeated failures flag the person unreachable."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from people.models import ContactAttempt
from tests.factories import person as make_person

NOW = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def tashi(personas):
    return make_person(user=personas["counsellor_chengguan"])


def _attempt(client, person, hours_ago: int, outcome: str, **extra):
    at = timezone.localtime(NOW - datetime.timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M")
    return client.post(
        f"/people/{person.pk}/contacts/add/",
        {"at": at, "channel": "phone", "outcome": outcome, "note": "", **extra},
    )


@time_machine.travel(NOW, tick=False)
def test_three_failures_flag_unreachable_and_a_reached_call_clears_it(personas, page_client, tashi):
    client = page_client(personas["counsellor_chengguan"])
    for hours in (5, 4, 3):
        response = _attempt(client, tashi, hours, "no_answer")
        assert response.status_code == 302
        assert response["Location"].endswith("#contacts")
    tashi.refresh_from_db()
    assert tashi.failed_contacts == 3
    assert tashi.unreachable_since is not None
    html = client.get(f"/people/{tashi.pk}/").content.decode()
    assert "unreachable-banner" in html
    assert 'class="tag bad"' in client.get("/people/").content.decode()

    assert _attempt(client, tashi, 1, "reached", info_updated="on").status_code == 302
    tashi.refresh_from_db()
    assert tashi.unreachable_since is None
    assert tashi.failed_contacts == 0
    assert tashi.info_updated_on == datetime.date(2026, 3, 10)
    html = client.get(f"/people/{tashi.pk}/").content.decode()
    assert "unreachable-banner" not in html


@time_machine.travel(NOW, tick=False)
def test_two_failures_are_not_enough(personas, page_client, tashi):
    client = page_client(personas["counsellor_chengguan"])
    _attempt(client, tashi, 3, "no_answer")
    _attempt(client, tashi, 2, "switched_off")
    tashi.refresh_from_db()
    assert tashi.failed_contacts == 2 and tashi.unreachable_since is None


@time_machine.travel(NOW, tick=False)
def test_bad_input_is_shown_on_the_form(personas, page_client, tashi):
    client = page_client(personas["counsellor_chengguan"])
    response = _attempt(client, tashi, -48, "no_answer", info_updated="on")  # in the future
    assert response.status_code == 200
    form = response.context["contact_form"]
    assert form.errors["at"] and form.errors["info_updated"]
    response = client.post(f"/people/{tashi.pk}/contacts/add/", {"at": "not a time", "outcome": "x"})
    assert response.status_code == 200
    assert set(response.context["contact_form"].errors) >= {"at", "channel", "outcome"}
    assert not ContactAttempt.objects.exists()


def test_contacts_are_scoped_and_need_front_line_staff(personas, page_client, tashi):
    data = {"at": "2026-01-01T10:00", "channel": "phone", "outcome": "no_answer"}
    assert (
        page_client(personas["counsellor_jiri"]).post(f"/people/{tashi.pk}/contacts/add/", data).status_code
        == 404
    )
    url = f"/people/{tashi.pk}/contacts/add/"
    assert page_client(personas["district_chengguan"]).post(url, data).status_code == 403
    assert not ContactAttempt.objects.exists()


def test_consent_given_and_withdrawn_from_the_file(personas, page_client, tashi):
    client = page_client(personas["counsellor_chengguan"])
    response = client.post(f"/people/{tashi.pk}/consents/add/", {"purpose": "employment_service"})
    assert response.status_code == 302
    consent = tashi.consents.get()
    again = client.post(f"/people/{tashi.pk}/consents/add/", {"purpose": "employment_service"})
    assert again.status_code == 200 and again.context["consent_form"].errors["purpose"]
    assert client.post(f"/people/{tashi.pk}/consents/{consent.pk}/withdraw/").status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    other = page_client(personas["counsellor_jiri"])
    assert other.post(f"/people/{tashi.pk}/consents/{consent.pk}/withdraw/").status_code == 404
