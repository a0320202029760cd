"""Work items mirrored from the domains that keep their own deadlines (SPEC §3 Deadlines).

Recommendations (answer due, follow-up after a hire), zero-employment households
(clearance due) and the monthly information update of key-group persons already store
or imply a due date. The nightly `sync_worklist` command and the `sync_*` functions
(callable right after a relevant change) bring their work items in line: open what is
owed, re-date what moved, close what is met (done) or gone (cancelled). Running it twice
changes nothing. Assistance files and plans open their items themselves, in real time.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from households.models import ClearReason, ZeroEmploymentEpisode
from people.models import Person
from people.selectors import in_any_key_group
from recommendations.models import WAITING_STATES, Recommendation, State
from worklist.deadlines import monthly_update_due
from worklist.models import Kind, WorkItem
from worklist.services import item_open, open_items

# A waiting step that ended this way was never answered: the obligation is gone, not met.
UNANSWERED_STATES = frozenset({State.NO_RESPONSE, State.WITHDRAWN})
SECRET_FIELDS = ("id_number", "phone", "disability_details")


@dataclass
class Want:
    """An obligation that should have an open item."""

    source: object
    due_on: datetime.date
    person: Person | None
    unit: object


@dataclass
class Counts:
    opened: int = 0
    redated: int = 0
    done: int = 0
    cancelled: int = 0
    moved: int = 0

    def add(self, other: "Counts") -> "Counts":
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _reconcile(
    *,
    kind: str,
    model,
    wanted: dict[int, Want],
    source_ids: list[int] | None,
    done_on: Callable[[list[int]], dict[int, datetime.date]],
    today: datetime.date,
) -> Counts:
    """Make the open items of `kind` on `model` match `wanted` (restricted to `source_ids`
    when given: a sync after one change looks at that record only)."""
    counts = Counts()
    source_type = model._meta.label_lower
    existing_items = open_items().filter(kind=kind, source_type=source_type)
    if source_ids is not None:
        existing_items = existing_items.filter(source_id__in=source_ids)
    existing = {item.source_id: item for item in existing_items}
    for source_id, want in wanted.items():
        item = existing.get(source_id)
        if item is not None and item.unit_id != want.unit.pk:
            # The record moved to another unit (a person edited or transferred, a household moved).
            WorkItem.objects.filter(pk=item.pk).update(
                unit=want.unit, assignee=None, reminded_at=None, escalated_at=None, version=F("version") + 1
            )
            counts.moved += 1
        if item is None or item.due_on != want.due_on:
            item_open(kind=kind, source=want.source, due_on=want.due_on, person=want.person, unit=want.unit)
            if item is None:
                counts.opened += 1
            else:
                counts.redated += 1
    gone = [source_id for source_id in existing if source_id not in wanted]
    met = done_on(gone) if gone else {}
    for source_id in gone:
        items = WorkItem.objects.filter(pk=existing[source_id].pk)
        if source_id in met:
            items.update(done_on=min(met[source_id], today), version=F("version") + 1)
            counts.done += 1
        else:
            items.update(cancelled_on=today, version=F("version") + 1)
            counts.cancelled += 1
    return counts


# --- recommendations ---------------------------------------------------------------------------


def _recommendation_sources(person_ids: list[int] | None) -> tuple[object, list[int] | None]:
    # The encrypted columns are not needed here; not reading them spares a decryption per row.
    recs = Recommendation.objects.select_related("person__unit").defer(
        *(f"person__{n}" for n in SECRET_FIELDS)
    )
    if person_ids is None:
        return recs, None
    recs = recs.filter(person_id__in=person_ids)
    return recs, list(recs.values_list("pk", flat=True))


def _answered_on(ids: list[int]) -> dict[int, datetime.date]:
    rows = Recommendation.objects.filter(pk__in=ids).exclude(state__in=UNANSWERED_STATES)
    return {pk: timezone.localdate(updated) for pk, updated in rows.values_list("pk", "updated_at")}


def _followed_up_on(ids: list[int]) -> dict[int, datetime.date]:
    rows = Recommendation.objects.filter(pk__in=ids, followed_up_on__isnull=False)
    return dict(rows.values_list("pk", "followed_up_on"))


def sync_recommendations(*, today: datetime.date, person_ids: list[int] | None = None) -> Counts:
    recs, ids = _recommendation_sources(person_ids)
    waiting = recs.filter(state__in=WAITING_STATES, step_deadline__isnull=False)
    follow_ups = recs.filter(state=State.HIRED, follow_up_on__isnull=False, followed_up_on__isnull=True)
    counts = _reconcile(
        kind=Kind.RECOMMENDATION_STEP,
        model=Recommendation,
        wanted={r.pk: Want(r, r.step_deadline, r.person, r.person.unit) for r in waiting},
        source_ids=ids,
        done_on=_answered_on,
        today=today,
    )
    return counts.add(
        _reconcile(
            kind=Kind.HIRE_FOLLOW_UP,
            model=Recommendation,
            wanted={r.pk: Want(r, r.follow_up_on, r.person, r.person.unit) for r in follow_ups},
            source_ids=ids,
            done_on=_followed_up_on,
            today=today,
        )
    )


def sync_recommendation(recommendation: Recommendation, *, today: datetime.date | None = None) -> Counts:
    """After a step on one recommendation (its person's recommendations are looked at)."""
    return sync_recommendations(today=today or timezone.localdate(), person_ids=[recommendation.person_id])


# --- zero-employment households ----------------------------------------------------------------


def _cleared_by_work(ids: list[int]) -> dict[int, datetime.date]:
    # Cleared because a member found work: met. No longer eligible: the obligation went away.
    rows = ZeroEmploymentEpisode.objects.filter(
        pk__in=ids, cleared_on__isnull=False, clear_reason=ClearReason.EMPLOYED
    )
    return dict(rows.values_list("pk", "cleared_on"))


def sync_zero_employment(*, today: datetime.date, household_ids: list[int] | None = None) -> Counts:
    episodes = ZeroEmploymentEpisode.objects.select_related("household__unit")
    ids = None
    if household_ids is not None:
        episodes = episodes.filter(household_id__in=household_ids)
        ids = list(episodes.values_list("pk", flat=True))
    wanted = {
        e.pk: Want(e, e.clearance_due, None, e.household.unit)
        for e in episodes.filter(cleared_on__isnull=True)
    }
    return _reconcile(
        kind=Kind.ZERO_EMPLOYMENT,
        model=ZeroEmploymentEpisode,
        wanted=wanted,
        source_ids=ids,
        done_on=_cleared_by_work,
        today=today,
    )


def sync_household(household, *, today: datetime.date | None = None) -> Counts:
    """After a household's zero-employment state was recomputed."""
    return sync_zero_employment(today=today or timezone.localdate(), household_ids=[household.pk])


# --- the monthly information update ------------------------------------------------------------


def _month_start(today: datetime.date) -> datetime.date:
    return today.replace(day=1)


def _updated_this_month(today: datetime.date) -> Callable[[list[int]], dict[int, datetime.date]]:
    def done_on(ids: list[int]) -> dict[int, datetime.date]:
        rows = Person.objects.filter(pk__in=ids, info_updated_on__gte=_month_start(today))
        return dict(rows.values_list("pk", "info_updated_on"))

    return done_on


def sync_monthly_updates(*, today: datetime.date, person_ids: list[int] | None = None) -> Counts:
    """Key-group persons not yet updated this month owe an update (people.selectors.update_worklist)."""
    persons = (
        Person.objects.select_related("unit")
        .filter(in_any_key_group())
        .filter(Q(info_updated_on__isnull=True) | Q(info_updated_on__lt=_month_start(today)))
        .annotate(
            member_since=Min(
                "key_group_memberships__started_on", filter=Q(key_group_memberships__ended_on__isnull=True)
            )
        )
    )
    if person_ids is not None:
        persons = persons.filter(pk__in=person_ids)
    wanted = {
        p.pk: Want(
            p, monthly_update_due(info_updated_on=p.info_updated_on, member_since=p.member_since), p, p.unit
        )
        for p in persons.defer(*SECRET_FIELDS)
    }
    return _reconcile(
        kind=Kind.MONTHLY_UPDATE,
        model=Person,
        wanted=wanted,
        source_ids=person_ids,
        done_on=_updated_this_month(today),
        today=today,
    )


# --- everything ---------------------------------------------------------------------------------


def items_follow_units() -> int:
    """Open items of a person filed elsewhere since (an edit of the file's unit) move with them."""
    strays = open_items().filter(person__isnull=False).exclude(unit=F("person__unit"))
    moved = 0
    for item_id, unit_id in strays.values_list("pk", "person__unit"):
        moved += WorkItem.objects.filter(pk=item_id).update(
            unit_id=unit_id, assignee=None, reminded_at=None, escalated_at=None, version=F("version") + 1
        )
    return moved


@transaction.atomic
def sync_person(person: Person, *, today: datetime.date | None = None) -> Counts:
    """After a change to one person: their recommendations and monthly update."""
    today = today or timezone.localdate()
    counts = sync_recommendations(today=today, person_ids=[person.pk])
    return counts.add(sync_monthly_updates(today=today, person_ids=[person.pk]))


def sync_all(*, today: datetime.date | None = None) -> dict:
    """The nightly pass over the whole city; each domain in its own transaction."""
    today = today or timezone.localdate()
    totals: dict[str, dict] = {}
    for name, sync in (
        ("recommendations", sync_recommendations),
        ("zero_employment", sync_zero_employment),
        ("monthly_update", sync_monthly_updates),
    ):
        with transaction.atomic():
            totals[name] = sync(today=today).as_dict()
    with transaction.atomic():
        totals["followed_person"] = {"moved": items_follow_units()}
    return totals
