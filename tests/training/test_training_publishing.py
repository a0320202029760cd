"""Only qualified, unexpired providers' courses are published and recommended (§7.5)."""

import datetime

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone, translation

from audit.models import AuditEntry
from core.errors import ValidationFailed
from training import selectors
from training.models import Course, Provider
from training.services import course_publish, course_unpublish, course_update, provider_update

TODAY = datetime.date(2026, 6, 15)
NOON = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def frozen():
    # English, so that the assertions can read the refusal texts.
    with time_machine.travel(NOON, tick=False) as traveller, translation.override("en"):
        yield traveller


def _publish(user, course):
    return course_publish(acting_user=user, course=course, expected_version=course.version)


def test_recommendable_course_is_listed(personas, make_provider, make_course, frozen):
    course = make_course(make_provider(), publish=True)
    assert list(selectors.recommendable_courses(today=TODAY)) == [course]
    assert selectors.public_course_get(pk=course.pk, today=TODAY) == course


def test_expired_provider_course_is_not_recommendable_and_cannot_be_published(
    personas, make_provider, make_course, frozen
):
    provider = make_provider(expires=TODAY + datetime.timedelta(days=100))
    published = make_course(provider, publish=True)
    draft = make_course(provider)
    # The licence ran out yesterday (recorded late).
    Provider.objects.filter(pk=provider.pk).update(licence_expires_on=TODAY - datetime.timedelta(days=1))
    assert published not in selectors.recommendable_courses(today=TODAY)
    with pytest.raises(Http404):
        selectors.public_course_get(pk=published.pk, today=TODAY)
    assert provider not in selectors.recommendable_providers(today=TODAY)
    draft = Course.objects.select_related("provider").get(pk=draft.pk)
    with pytest.raises(ValidationFailed) as caught:
        _publish(personas["counsellor_chengguan"], draft)
    assert "expired" in caught.value.errors["provider"][0]
    assert Course.objects.get(pk=draft.pk).is_published is False


def test_inactive_provider_course_is_not_recommendable_and_cannot_be_published(
    personas, make_provider, make_course, frozen
):
    provider = make_provider()
    published = make_course(provider, publish=True)
    draft = make_course(provider)
    provider_update(
        acting_user=personas["head_chengguan"],
        provider=provider,
        expected_version=provider.version,
        changes={"is_active": False},
    )
    assert not selectors.recommendable_courses(today=TODAY).filter(pk=published.pk).exists()
    assert provider not in selectors.recommendable_providers(today=TODAY)
    with pytest.raises(ValidationFailed) as caught:
        _publish(personas["counsellor_chengguan"], Course.objects.get(pk=draft.pk))
    assert list(caught.value.errors) == ["provider"]


def test_licence_expiring_tomorrow_is_still_fine_today(personas, make_provider, make_course, frozen):
    tomorrow = TODAY + datetime.timedelta(days=1)
    provider = make_provider(expires=tomorrow)
    course = make_course(provider, starts=TODAY - datetime.timedelta(days=5), ends=tomorrow, publish=True)
    assert course.is_published
    assert list(selectors.recommendable_courses(today=timezone.localdate())) == [course]
    assert list(selectors.recommendable_providers(today=timezone.localdate())) == [provider]
    frozen.move_to(NOON + datetime.timedelta(days=1))
    assert timezone.localdate() == tomorrow
    assert list(selectors.recommendable_courses(today=timezone.localdate())) == [course]  # the last valid day
    frozen.move_to(NOON + datetime.timedelta(days=2))
    assert list(selectors.recommendable_courses(today=timezone.localdate())) == []
    assert list(selectors.recommendable_providers(today=timezone.localdate())) == []


def test_a_licence_ending_before_the_course_ends_is_refused(personas, make_provider, make_course, frozen):
    provider = make_provider(expires=TODAY + datetime.timedelta(days=15))
    course = make_course(
        provider, starts=TODAY + datetime.timedelta(days=10), ends=TODAY + datetime.timedelta(days=20)
    )
    with pytest.raises(ValidationFailed) as caught:
        _publish(personas["counsellor_chengguan"], course)
    assert list(caught.value.errors) == ["ends_on"]
    # Shortening the course to end on the licence's last day makes it publishable.
    course = course_update(
        acting_user=personas["counsellor_chengguan"],
        course=course,
        expected_version=course.version,
        changes={"ends_on": TODAY + datetime.timedelta(days=15)},
    )
    assert _publish(personas["counsellor_chengguan"], course).is_published


def test_moving_a_published_course_past_the_licence_is_refused(personas, make_provider, make_course, frozen):
    provider = make_provider(expires=TODAY + datetime.timedelta(days=40))
    course = make_course(provider, publish=True)
    with pytest.raises(ValidationFailed) as caught:
        course_update(
            acting_user=personas["counsellor_chengguan"],
            course=course,
            expected_version=course.version,
            changes={"ends_on": TODAY + datetime.timedelta(days=60)},
        )
    assert "ends_on" in caught.value.errors
    # A harmless edit of a published course is fine.
    course = Course.objects.get(pk=course.pk)
    course_update(
        acting_user=personas["counsellor_chengguan"],
        course=course,
        expected_version=course.version,
        changes={"place": "拉萨市职业技能公共实训基地"},
    )


def test_ended_courses_are_excluded(personas, make_provider, make_course, frozen):
    provider = make_provider()
    ended = make_course(
        provider,
        starts=TODAY - datetime.timedelta(days=30),
        ends=TODAY - datetime.timedelta(days=1),
        publish=True,
    )
    running = make_course(
        provider,
        starts=TODAY - datetime.timedelta(days=3),
        ends=TODAY + datetime.timedelta(days=3),
        publish=True,
    )
    ends_today = make_course(provider, starts=TODAY - datetime.timedelta(days=3), ends=TODAY, publish=True)
    upcoming = make_course(provider, starts=TODAY + datetime.timedelta(days=7), publish=True)
    later = make_course(provider, starts=TODAY + datetime.timedelta(days=30), publish=True)
    make_course(provider, starts=TODAY + datetime.timedelta(days=5))  # not published
    assert list(selectors.recommendable_courses(today=TODAY)) == [running, ends_today, upcoming, later]
    with pytest.raises(Http404):
        selectors.public_course_get(pk=ended.pk, today=TODAY)


def test_bad_public_ids_are_404(frozen):
    for pk in ("abc", -1, 2**70, None):
        with pytest.raises(Http404):
            selectors.public_course_get(pk=pk, today=TODAY)


def test_scoped_recommendations_follow_the_user(personas, make_provider, make_course, frozen):
    # Registered by the district: every station below it books courses with it.
    provider = make_provider(user=personas["district_chengguan"], unit_code="540102")
    barkhor = make_course(provider, publish=True)
    jiri = make_course(
        provider,
        user=personas["counsellor_jiri"],
        unit_code="540102003",
        publish=True,
        title_zh="藏式厨师培训",
    )
    assert list(selectors.recommendable_courses(today=TODAY, user=personas["counsellor_chengguan"])) == [
        barkhor
    ]
    assert list(selectors.recommendable_courses(today=TODAY, user=personas["counsellor_jiri"])) == [jiri]
    assert set(selectors.recommendable_courses(today=TODAY, user=personas["district_chengguan"])) == {
        barkhor,
        jiri,
    }
    assert list(selectors.recommendable_courses(today=TODAY, user=personas["counsellor_linzhou"])) == []
    assert set(selectors.recommendable_courses(today=TODAY)) == {barkhor, jiri}


def test_publish_and_unpublish_are_audited_and_versioned(personas, make_provider, make_course, frozen):
    user = personas["counsellor_chengguan"]
    course = make_course(make_provider())
    course = _publish(user, course)
    assert course.version == 2
    with pytest.raises(ValidationFailed):
        _publish(user, Course.objects.get(pk=course.pk))  # already published
    course = course_unpublish(acting_user=user, course=course, expected_version=2)
    assert course.is_published is False
    notes = list(
        AuditEntry.objects.filter(object_type="training.course", object_id=str(course.pk))
        .exclude(note="")
        .values_list("note", flat=True)
        .order_by("id")
    )
    assert notes == ["published", "unpublished"]
    from core.errors import ConcurrentEdit

    with pytest.raises(ConcurrentEdit):
        course_publish(acting_user=user, course=Course.objects.get(pk=course.pk), expected_version=2)
