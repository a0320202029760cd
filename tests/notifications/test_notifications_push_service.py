"""push_to_person: what may be pushed, to whom, on which channel, and only once (§5.4.1)."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from core.errors import NotAllowed, ValidationFailed
from notifications import services
from notifications.models import Push, PushStatus
from people.services import consent_give, consent_withdraw
from tests.factories import person
from tests.notifications.push_data import FAKE, TITLE_BO, TITLE_ZH, Gateway, course, vacancy


@pytest.fixture
def enqueued(monkeypatch):
    """Push ids handed to the queue (after commit)."""
    ids = []
    monkeypatch.setattr(services, "_enqueue", ids.append)
    return ids


@pytest.fixture
def seeker(counsellor):
    return person(user=counsellor, name_bo="བཀྲ་ཤིས།", preferred_language="bo")


@pytest.fixture
def job(personas):
    return vacancy(reviewer=personas["head_chengguan"])


def push(counsellor, who, item, commit, **kwargs):
    with commit(execute=True):
        return services.push_to_person(person=who, item=item, acting_user=counsellor, **kwargs)


def test_push_is_recorded_rendered_in_the_persons_language_and_sent_after_commit(
    counsellor, seeker, job, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        result = services.push_to_person(person=seeker, item=job, acting_user=counsellor)
        assert enqueued == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert enqueued == [result.pk]
    assert result.is_new
    stored = Push.objects.get(pk=result.pk)
    assert stored.status == PushStatus.PENDING and stored.attempts == 0
    assert (stored.item_type, stored.item_id, stored.person_id) == ("vacancy", job.pk, seeker.pk)
    assert stored.language == "bo" and TITLE_BO in stored.body and TITLE_ZH not in stored.body
    assert stored.created_by == counsellor
    assert stored.dedupe_key == f"{seeker.pk}:vacancy:{job.pk}:database"
    entry = AuditEntry.objects.get(object_type="notifications.push", object_id=str(stored.pk))
    assert entry.actor == counsellor and entry.action == "create"


def test_the_same_item_twice_returns_the_first_push_and_sends_nothing_more(
    counsellor, seeker, job, enqueued, django_capture_on_commit_callbacks
):
    first = push(counsellor, seeker, job, django_capture_on_commit_callbacks)
    second = push(counsellor, seeker, job, django_capture_on_commit_callbacks)
    assert second.pk == first.pk and second.is_new is False
    assert Push.objects.filter(person=seeker).count() == 1
    assert enqueued == [first.pk]


def test_without_consent_only_the_in_app_record_is_allowed(
    counsellor, seeker, job, enqueued, django_capture_on_commit_callbacks
):
    # Preferred contact is the phone and SMS is set up, but no consent is on file.
    assert seeker.contact_channel == "phone"
    result = push(counsellor, seeker, job, django_capture_on_commit_callbacks)
    assert result.channel == "database"
    with pytest.raises(ValidationFailed) as refused:
        services.push_to_person(person=seeker, item=job, channel="sms", acting_user=counsellor)
    assert "channel" in refused.value.errors


def test_with_consent_the_preferred_channel_is_used(
    counsellor, seeker, job, enqueued, django_capture_on_commit_callbacks
):
    consent_give(acting_user=counsellor, person=seeker, purpose="notifications")
    result = push(counsellor, seeker, job, django_capture_on_commit_callbacks)
    assert result.channel == "sms"
    # Another channel is another push (and another key), not a duplicate.
    again = push(counsellor, seeker, job, django_capture_on_commit_callbacks, channel="database")
    assert again.pk != result.pk and again.channel == "database"


def test_preferred_channel_that_cannot_reach_the_person_falls_back(
    counsellor, seeker, job, enqueued, settings, django_capture_on_commit_callbacks
):
    consent_give(acting_user=counsellor, person=seeker, purpose="notifications")
    settings.NOTIFY_BACKENDS = {**settings.NOTIFY_BACKENDS, "sms": FAKE + "UnreachableBackend"}
    assert push(counsellor, seeker, job, django_capture_on_commit_callbacks).channel == "database"
    with pytest.raises(ValidationFailed):
        services.push_to_person(person=seeker, item=job, channel="sms", acting_user=counsellor)


def test_a_channel_that_is_not_set_up_is_refused(counsellor, seeker, job):
    consent_give(acting_user=counsellor, person=seeker, purpose="notifications")
    with pytest.raises(ValidationFailed) as refused:
        services.push_to_person(person=seeker, item=job, channel="wechat", acting_user=counsellor)
    assert "channel" in refused.value.errors
    with pytest.raises(ValidationFailed):
        services.push_to_person(person=seeker, item=job, channel="carrier-pigeon", acting_user=counsellor)


def test_withdrawn_consent_refuses_every_channel(counsellor, seeker, job):
    consent = consent_give(acting_user=counsellor, person=seeker, purpose="notifications")
    consent_withdraw(acting_user=counsellor, consent=consent)
    for channel in (None, "database"):
        with pytest.raises(ValidationFailed) as refused:
            services.push_to_person(person=seeker, item=job, channel=channel, acting_user=counsellor)
        assert refused.value.code == "consent_withdrawn"
    assert not Push.objects.exists()


@pytest.mark.parametrize("status", ["draft", "under_review", "suspended", "closed"])
def test_only_a_published_vacancy_can_be_pushed(counsellor, seeker, personas, status):
    item = vacancy(reviewer=personas["head_chengguan"], status=status)
    with pytest.raises(ValidationFailed) as refused:
        services.push_to_person(person=seeker, item=item, acting_user=counsellor)
    assert "item" in refused.value.errors
    assert not Push.objects.exists()


def test_a_course_of_a_provider_whose_licence_expired_is_refused(counsellor, seeker):
    expired = course(licence_expires_on=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationFailed) as refused:
        services.push_to_person(person=seeker, item=expired, acting_user=counsellor)
    assert "item" in refused.value.errors


def test_an_unpublished_course_is_refused_and_a_good_one_is_pushed(
    counsellor, seeker, enqueued, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationFailed):
        services.push_to_person(person=seeker, item=course(is_published=False), acting_user=counsellor)
    good = course()
    result = push(counsellor, seeker, good, django_capture_on_commit_callbacks)
    assert result.item_type == "course" and good.title_bo in result.body


def test_something_else_cannot_be_pushed(counsellor, seeker):
    with pytest.raises(ValidationFailed):
        services.push_to_person(person=seeker, item=counsellor, acting_user=counsellor)


def test_a_sibling_units_counsellor_cannot_push_to_this_units_person(personas, seeker, job):
    with pytest.raises(NotAllowed):
        services.push_to_person(person=seeker, item=job, acting_user=personas["counsellor_jiri"])
    assert not Push.objects.exists()


@pytest.mark.parametrize("persona", ["district_chengguan", "city", "sysadmin"])
def test_roles_that_do_not_serve_people_directly_cannot_push(personas, seeker, job, persona):
    with pytest.raises(NotAllowed):
        services.push_to_person(person=seeker, item=job, acting_user=personas[persona])


def test_the_system_may_push_without_a_user(seeker, job, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.push_to_person(person=seeker, item=job)
    assert result.created_by is None and enqueued == [result.pk]
    assert Gateway.sent == []  # the fake queue did not deliver anything
