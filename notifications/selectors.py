"""Reads of the push record and notices, and the monthly 1:4 push ratio (SPEC §3 "Ratios").

The ratio counts, for each key-group person, the distinct items (a vacancy or course,
whatever the channel) whose push was *sent* in the calendar month. A push that failed
or was cancelled did not reach the person and does not count.
"""

import datetime
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from core.scope import get_scoped_or_404, scoped
from keygroups.models import Membership
from network.models import localized_name
from notifications.models import ItemType, Notice, Push, PushStatus
from people.models import Person
from policies.models import Policy
from training.models import Course
from training.selectors import recommendable_courses
from vacancies.models import Vacancy, localized_title
from vacancies.selectors import published_vacancies


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def month_bounds(today: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Start of this calendar month and of the next, as aware local datetimes."""
    start = today.replace(day=1)
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(following, datetime.time.min, tzinfo=tz),
    )


# The 1:4 ratio counts job and training items (§5.3); a policy push does not count.
RATIO_ITEM_TYPES = (ItemType.VACANCY, ItemType.COURSE)


def _sent_in_month(today: datetime.date) -> Q:
    start, end = month_bounds(today)
    return Q(status=PushStatus.SENT, sent_at__gte=start, sent_at__lt=end, item_type__in=RATIO_ITEM_TYPES)


def _item_key():
    return Concat("item_type", Value(":"), Cast("item_id", CharField()), output_field=CharField())


def pushes_this_month(*, person, today: datetime.date) -> int:
    """Distinct items sent to the person this calendar month."""
    return (
        Push.objects.filter(_sent_in_month(today), person=person).aggregate(
            n=Count(_item_key(), distinct=True)
        )["n"]
        or 0
    )


def push_list_for_person(*, user, person) -> QuerySet:
    _require(user, "notifications.view_push")
    return scoped(Push.objects.filter(person=person), user).select_related("created_by")


def push_get(*, user, pk) -> Push:
    _require(user, "notifications.view_push")
    return get_scoped_or_404(Push.objects.select_related("person__unit"), user, pk=pk)


def attach_item_titles(pushes) -> list[Push]:
    """Each push gets `item_title` in the active language (the item may have changed since)."""
    pushes = list(pushes)
    wanted = {ItemType.VACANCY: Vacancy, ItemType.COURSE: Course, ItemType.POLICY: Policy}
    titles: dict[tuple[str, int], str] = {}
    for item_type, model in wanted.items():
        ids = {p.item_id for p in pushes if p.item_type == item_type}
        for item in model.objects.filter(pk__in=ids).only("pk", "title_zh", "title_bo"):
            titles[(item_type, item.pk)] = localized_title(item)
    for push in pushes:
        push.item_title = titles.get((push.item_type, push.item_id), "")
    return pushes


def key_group_in_month(today: datetime.date) -> Q:
    """In a key group at some time this month up to today."""
    start = today.replace(day=1)
    return Q(
        Exists(
            Membership.objects.filter(person=OuterRef("pk"), started_on__lte=today).filter(
                Q(ended_on__isnull=True) | Q(ended_on__gte=start)
            )
        )
    )


def push_ratio_by_unit(
    *, user, today: datetime.date, unit_code: str = "", below_only: bool = False
) -> QuerySet:
    """Key-group persons in the user's area with `pushed_items` (distinct items sent this
    month) and `compliant` (at least PUSHED_ITEMS_PER_MONTH), ordered by unit."""
    _require(user, "notifications.view_push_ratio")
    target = settings.STANDARD["PUSHED_ITEMS_PER_MONTH"]
    counts = (
        Push.objects.filter(_sent_in_month(today), person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(n=Count(_item_key(), distinct=True))
        .values("n")
    )
    persons = (
        scoped(Person.objects.select_related("unit"), user)
        .filter(key_group_in_month(today))
        .annotate(pushed_items=Coalesce(Subquery(counts, output_field=IntegerField()), 0))
        .annotate(
            compliant=ExpressionWrapper(Q(pushed_items__gte=target), output_field=BooleanField()),
        )
    )
    if unit_code:
        persons = persons.filter(unit__path__contains=f"{unit_code}/")
    if below_only:
        persons = persons.filter(pushed_items__lt=target)
    return persons.order_by("unit__path", "pushed_items", "id")


def push_ratio_summary(*, user, today: datetime.date, unit_code: str = "") -> list[dict]:
    """Per unit: key-group persons, how many reached the target, and the share."""
    target = settings.STANDARD["PUSHED_ITEMS_PER_MONTH"]
    rows = (
        push_ratio_by_unit(user=user, today=today, unit_code=unit_code)
        .order_by()
        .values("unit__code", "unit__name_zh", "unit__name_bo", "unit__path")
        .annotate(
            persons=Count("id"),
            compliant_persons=Coalesce(Sum(Case(When(pushed_items__gte=target, then=1), default=0)), 0),
        )
        .order_by("unit__path")
    )
    result = []
    for row in rows:
        share = round(100 * row["compliant_persons"] / row["persons"]) if row["persons"] else 0
        name = localized_name(SimpleNamespace(name_zh=row["unit__name_zh"], name_bo=row["unit__name_bo"]))
        result.append({**row, "unit_name": name, "share": share})
    return result


def notice_list(*, user, unread_only: bool = False) -> QuerySet:
    notices = Notice.objects.filter(user=user) if user.is_authenticated else Notice.objects.none()
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return notices


def unread_notice_count(*, user) -> int:
    return notice_list(user=user, unread_only=True).count()


MAX_ID = 2**63 - 1


def pushable_item(*, item_type: str, item_id: int, today: datetime.date):
    """The published vacancy or recommendable course with this number, or None.

    Unpublished and unknown numbers look alike, so a draft's existence does not leak.
    """
    if not 1 <= item_id <= MAX_ID:
        return None
    if item_type == ItemType.VACANCY:
        return published_vacancies().filter(pk=item_id).first()
    if item_type == ItemType.COURSE:
        return recommendable_courses(today=today).filter(pk=item_id).first()
    return None
