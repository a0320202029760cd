"""Reads of training providers and courses (§7.5).

Staff reads go through the permission and the org-unit scope. Courses are scoped to
the unit that runs them. Providers are scoped to the unit that registered them, plus
the units above the user's own: a provider registered by the district serves every
station below it, so a station's counsellor must be able to see it and book courses
with it (the same "the chain above, not beside" rule as network.selectors.orgunit_get).

The public interface (`recommendable_*`, `public_course_get`) is what the job board,
matching and the push channel build on: only published courses of active providers
whose licence is valid on the day asked about.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from core.scope import scope_path, scoped, unit_in_scope
from training.models import Course, Provider

# The provider page warns when the licence runs out within this many days.
LICENCE_WARNING_DAYS = 60
MAX_PK = 2**63 - 1


class ProviderStatus:
    QUALIFIED = "qualified"  # active and licence valid today
    EXPIRING = "expiring"  # qualified, but the licence runs out within LICENCE_WARNING_DAYS
    EXPIRED = "expired"  # licence date passed
    INACTIVE = "inactive"  # switched off by staff

    ALL = (QUALIFIED, EXPIRING, EXPIRED, INACTIVE)


class CourseTiming:
    UPCOMING = "upcoming"
    RUNNING = "running"
    ENDED = "ended"

    ALL = (UPCOMING, RUNNING, ENDED)


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _ancestor_codes(path: str) -> list[str]:
    return [code for code in path.split("/") if code]


def _provider_visible(user) -> Q | None:
    path = scope_path(user)
    if path is None:
        return None
    return Q(unit__path__startswith=path) | Q(unit__code__in=_ancestor_codes(path))


def _valid_pk(pk) -> int:
    try:
        value = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if not 1 <= value <= MAX_PK:
        raise Http404
    return value


def qualified_q(today: datetime.date, prefix: str = "") -> Q:
    """Active with a licence valid on `today` (the licence date is the last valid day)."""
    return Q(**{f"{prefix}is_active": True, f"{prefix}licence_expires_on__gte": today})


# --- providers -----------------------------------------------------------------------


def provider_list(
    *, user, today: datetime.date, status: str = "", unit_code: str = "", q: str = ""
) -> QuerySet:
    _require(user, "training.view_provider")
    visible = _provider_visible(user)
    if visible is None:
        return Provider.objects.none()
    providers = Provider.objects.select_related("unit").filter(visible)
    if status == ProviderStatus.QUALIFIED:
        providers = providers.filter(qualified_q(today))
    elif status == ProviderStatus.EXPIRING:
        providers = providers.filter(
            qualified_q(today), licence_expires_on__lte=today + datetime.timedelta(days=LICENCE_WARNING_DAYS)
        )
    elif status == ProviderStatus.EXPIRED:
        providers = providers.filter(licence_expires_on__lt=today)
    elif status == ProviderStatus.INACTIVE:
        providers = providers.filter(is_active=False)
    if unit_code:
        providers = providers.filter(unit__path__contains=f"{unit_code}/")
    q = q.strip()[:50]
    if q:
        providers = providers.filter(
            Q(name_zh__contains=q)
            | Q(name_bo__contains=q)
            | Q(credit_code__startswith=q.upper())
            | Q(licence_number__icontains=q)
        )
    return providers.order_by("name_zh", "id")


def provider_get(*, user, pk) -> Provider:
    _require(user, "training.view_provider")
    visible = _provider_visible(user)
    if visible is None:
        raise Http404
    try:
        return Provider.objects.select_related("unit").get(visible, pk=_valid_pk(pk))
    except Provider.DoesNotExist as exc:
        raise Http404 from exc


def provider_editable(*, user, provider: Provider) -> bool:
    """Whether the user may change the record: the power, and the provider in their own subtree."""
    return user.has_perm("training.manage_provider") and unit_in_scope(user, provider.unit)


def provider_choices(*, user, keep_pk: int | None = None) -> QuerySet:
    """Providers a course may be booked with: active ones the user can see. `keep_pk` keeps a
    course's current provider on its edit form even if it was switched off meanwhile."""
    visible = _provider_visible(user)
    if visible is None:
        return Provider.objects.none()
    current = Q(pk=keep_pk) if keep_pk is not None else Q(pk__in=[])
    return Provider.objects.filter(visible, Q(is_active=True) | current).order_by("name_zh", "id")


@dataclass(frozen=True)
class LicenceState:
    valid: bool
    days_left: int  # negative once expired
    expires_soon: bool


def licence_state(provider: Provider, *, today: datetime.date) -> LicenceState:
    days_left = (provider.licence_expires_on - today).days
    return LicenceState(
        valid=days_left >= 0,
        days_left=days_left,
        expires_soon=0 <= days_left <= LICENCE_WARNING_DAYS,
    )


# --- courses -------------------------------------------------------------------------


def _with_related(courses: QuerySet) -> QuerySet:
    return courses.select_related("provider", "provider__unit", "occupation", "unit")


def course_list(
    *,
    user,
    today: datetime.date,
    occupation: str = "",
    language: str = "",
    timing: str = "",
    published: bool | None = None,
    provider_id: int | None = None,
    unit_code: str = "",
    q: str = "",
) -> QuerySet:
    """Courses run in the user's area. `occupation` is a code or a code prefix ("4-03")."""
    _require(user, "training.view_course")
    courses = scoped(_with_related(Course.objects.all()), user)
    if occupation:
        courses = courses.filter(
            Q(occupation__code=occupation) | Q(occupation__code__startswith=f"{occupation}-")
        )
    if language:
        courses = courses.filter(language=language)
    if timing == CourseTiming.UPCOMING:
        courses = courses.filter(starts_on__gt=today)
    elif timing == CourseTiming.RUNNING:
        courses = courses.filter(starts_on__lte=today, ends_on__gte=today)
    elif timing == CourseTiming.ENDED:
        courses = courses.filter(ends_on__lt=today)
    if published is not None:
        courses = courses.filter(is_published=published)
    if provider_id is not None:
        courses = courses.filter(provider_id=provider_id)
    if unit_code:
        courses = courses.filter(unit__path__contains=f"{unit_code}/")
    q = q.strip()[:50]
    if q:
        courses = courses.filter(
            Q(title_zh__contains=q) | Q(title_bo__contains=q) | Q(provider__name_zh__contains=q)
        )
    return courses.order_by("starts_on", "id")


def course_get(*, user, pk) -> Course:
    _require(user, "training.view_course")
    courses = scoped(_with_related(Course.objects.all()), user)
    try:
        return courses.get(pk=_valid_pk(pk))
    except Course.DoesNotExist as exc:
        raise Http404 from exc


def course_timing(course: Course, *, today: datetime.date) -> str:
    if course.starts_on > today:
        return CourseTiming.UPCOMING
    if course.ends_on < today:
        return CourseTiming.ENDED
    return CourseTiming.RUNNING


# --- the public interface ------------------------------------------------------------


def recommendable_courses(*, today: datetime.date, user=None) -> QuerySet:
    """Published courses that have not ended, of active providers whose licence is valid on
    `today`, soonest first. Without a user: public and unscoped; with one: scoped to them."""
    courses = _with_related(Course.objects.all()).filter(
        qualified_q(today, prefix="provider__"), is_published=True, ends_on__gte=today
    )
    if user is not None:
        _require(user, "training.view_course")
        courses = scoped(courses, user)
    return courses.order_by("starts_on", "id")


def public_course_get(*, pk, today: datetime.date) -> Course:
    try:
        return recommendable_courses(today=today).get(pk=_valid_pk(pk))
    except Course.DoesNotExist as exc:
        raise Http404 from exc


def recommendable_providers(*, today: datetime.date) -> QuerySet:
    """Active providers with a licence valid on `today` (public, unscoped)."""
    return Provider.objects.select_related("unit").filter(qualified_q(today)).order_by("name_zh", "id")
