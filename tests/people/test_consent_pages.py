"""The consents on the person's file: purpose, channel, dates, who recorded them, and withdrawal."""

import pytest

from notifications.models import PushStatus
from people.models import Consent
from people.services import consent_give
from tests.factories import person


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]


@pytest.fixture
def seeker(counsellor):
    return person(user=counsellor)


def test_recording_a_consent_for_one_channel(page_client, counsellor, seeker):
    response = page_client(counsellor).post(
        f"/people/{seeker.pk}/consents/add/", {"purpose": "notifications", "channel": "sms"}
    )
    assert response.status_code == 302
    consent = Consent.objects.get(person=seeker)
    assert (consent.purpose, consent.channel, consent.recorded_by) == ("notifications", "sms", counsellor)
    page = page_client(counsellor).get(f"/people/{seeker.pk}/").content.decode()
    assert f'data-consent="{consent.pk}"' in page
    assert counsellor.display_name in page
    assert "data-confirm=" in page  # the withdraw button asks first


def test_a_channel_for_another_purpose_is_refused_on_the_form(page_client, counsellor, seeker):
    response = page_client(counsellor).post(
        f"/people/{seeker.pk}/consents/add/", {"purpose": "employment_service", "channel": "sms"}
    )
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not Consent.objects.exists()


def test_withdrawing_from_the_page_stops_waiting_pushes(
    page_client, counsellor, seeker, monkeypatch, settings
):
    from notifications import services
    from tests.notifications.push_data import FAKE, vacancy

    settings.NOTIFY_BACKENDS = {
        "database": "notifications.backends.database.DatabaseBackend",
        "sms": FAKE + "FlakyBackend",
    }
    monkeypatch.setattr(services, "_enqueue", lambda push_id: None)
    consent = consent_give(acting_user=counsellor, person=seeker, purpose="notifications", channel="sms")
    push = services.push_to_person(
        person=seeker, item=vacancy(reviewer=counsellor), acting_user=counsellor, channel="sms"
    )
    response = page_client(counsellor).post(f"/people/{seeker.pk}/consents/{consent.pk}/withdraw/")
    assert response.status_code == 302
    consent.refresh_from_db()
    push.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == counsellor
    assert push.status == PushStatus.CANCELLED
    page = page_client(counsellor).get(f"/people/{seeker.pk}/").content.decode()
    assert "cancel-reason" in page


def test_a_sibling_units_counsellor_cannot_withdraw(page_client, personas, counsellor, seeker):
    consent = consent_give(acting_user=counsellor, person=seeker, purpose="notifications")
    response = page_client(personas["counsellor_jiri"]).post(
        f"/people/{seeker.pk}/consents/{consent.pk}/withdraw/"
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_a_supervisor_reads_but_does_not_withdraw(page_client, personas, counsellor, seeker):
    consent = consent_give(acting_user=counsellor, person=seeker, purpose="notifications")
    district = page_client(personas["district_chengguan"])
    page = district.get(f"/people/{seeker.pk}/").content.decode()
    assert f'data-consent="{consent.pk}"' in page and "/withdraw/" not in page
    assert district.post(f"/people/{seeker.pk}/consents/{consent.pk}/withdraw/").status_code == 403
