"""Reads of the workers' register, always through the shared scope."""

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Min, OuterRef, Q, QuerySet

from core.scope import get_scoped_or_404, scoped
from keygroups.models import Membership
from people import derived
from people.models import Person
from textsearch import normalize_latin, wylie_key

MASKED_ID = re.compile(r"^\d{6}\*+[\dXx]{4}$")
FULL_ID = re.compile(r"^\d{17}[\dXx]$")
PHONE = re.compile(r"^\+?[\d\-]{7,14}$")
HAN = re.compile(r"[\u3400-\u9fff]")
TIBETAN = re.compile(r"[\u0f00-\u0fff]")


def _require(user, perm: str = "people.view_person") -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def search_filter(q: str) -> Q:
    """One query box for every way staff look people up.

    A full ID or phone goes through the blind index (exact); a masked ID matches the
    stored masked form; Han text matches the Chinese name; Tibetan script the Tibetan
    name; Latin letters match pinyin keys (full or initials) and the Wylie form.
    """
    q = q.strip()
    if FULL_ID.match(q):
        return Q(id_number_index=derived.id_lookup_key(q))
    if MASKED_ID.match(q):
        return Q(id_number_masked=q.upper())
    if PHONE.match(q) and sum(c.isdigit() for c in q) >= 7:
        digits = q.replace("+86", "").replace(" ", "")
        return Q(phone_index=derived.phone_lookup_key(digits))
    if HAN.search(q):
        return Q(name_zh__contains=q)
    if TIBETAN.search(q):
        return Q(name_bo__contains=q.strip("་། "))
    latin = normalize_latin(q)
    wylie = wylie_key(q)
    if not latin:
        return Q(pk__in=[])
    match = Q(name_pinyin__contains=latin)
    if wylie:
        match |= Q(name_wylie__contains=wylie)
    return match


def key_group_filter(code: str) -> Q:
    return Q(
        Exists(Membership.objects.filter(person=OuterRef("pk"), category__code=code, ended_on__isnull=True))
    )


def in_any_key_group() -> Q:
    return Q(Exists(Membership.objects.filter(person=OuterRef("pk"), ended_on__isnull=True)))


def person_list(
    *,
    user,
    q: str = "",
    unit_code: str = "",
    status: str = "",
    key_group: str = "",
    unreachable: bool | None = None,
    zero_employment: bool | None = None,
) -> QuerySet:
    _require(user)
    persons = scoped(Person.objects.select_related("unit"), user)
    if q:
        persons = persons.filter(search_filter(q[:60]))
    if unit_code:
        persons = persons.filter(unit__path__contains=f"{unit_code}/")
    if status:
        persons = persons.filter(employment_status=status)
    if key_group:
        persons = persons.filter(key_group_filter(key_group))
    if unreachable is not None:
        persons = persons.filter(unreachable_since__isnull=not unreachable)
    if zero_employment is not None:
        persons = persons.filter(household__zero_employment=zero_employment)
    return persons


def person_get(*, user, pk) -> Person:
    _require(user)
    return get_scoped_or_404(
        Person.objects.select_related("unit", "household_unit", "residence_unit", "household"), user, pk=pk
    )


def open_key_groups(person: Person) -> list[Membership]:
    return list(
        person.key_group_memberships.filter(ended_on__isnull=True)
        .select_related("category")
        .order_by("category__order")
    )


def key_group_codes_by_person(person_ids) -> dict[int, list[str]]:
    codes: dict[int, list[str]] = {}
    rows = Membership.objects.filter(person_id__in=list(person_ids), ended_on__isnull=True).values_list(
        "person_id", "category__code"
    )
    for person_id, code in rows:
        codes.setdefault(person_id, []).append(code)
    return codes


def _month_start(day: datetime.date, back: int = 0) -> datetime.date:
    month = day.month - back
    year = day.year
    while month < 1:
        month += 12
        year -= 1
    return datetime.date(year, month, 1)


def update_worklist(
    *, user, today: datetime.date, overdue_only: bool = True, unit_code: str = ""
) -> QuerySet:
    """Key-group persons whose monthly information update (§5.9.2) is overdue or due.

    Every calendar month in a key group needs an update. Overdue: the last update is
    before the start of last month, or there is none and membership began before
    this month. Due: not yet updated this month. Computed in the query, never stored.
    """
    _require(user)
    this_month = _month_start(today)
    last_month = _month_start(today, 1)
    persons = scoped(Person.objects.select_related("unit"), user).filter(in_any_key_group())
    persons = persons.annotate(
        member_since=Min(
            "key_group_memberships__started_on", filter=Q(key_group_memberships__ended_on__isnull=True)
        )
    )
    overdue = Q(info_updated_on__lt=last_month) | Q(info_updated_on__isnull=True, member_since__lt=this_month)
    due = Q(info_updated_on__isnull=True) | Q(info_updated_on__lt=this_month)
    persons = persons.filter(overdue if overdue_only else due)
    if unit_code:
        persons = persons.filter(unit__path__contains=f"{unit_code}/")
    return persons.order_by("unit__path", "info_updated_on", "id")
