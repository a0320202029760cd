"""The assistance file of a key-group person (帮扶档案, §5.9): opening, assistance given,
measures, and closing with the station head's approval.

Every due date comes from worklist.deadlines and is mirrored by a work item
(worklist.services): first assistance when the file opens, the next follow-up visit after
each assistance, the closure decision while a closure waits.
"""

import csv
import datetime
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assistance.models import (
    AssistanceFile,
    CategoryAssistance,
    FileMeasure,
    FileStatus,
    MeasureKind,
    Outcome,
)
from assistance.rules import DECIDE_CLOSURE, MANAGE
from audit.models import Action
from audit.services import audit_change, audit_event, snapshot
from config.paths import DATA_DIR
from core.concurrency import save_with_version
from core.errors import NotAllowed, ValidationFailed
from core.scope import unit_in_scope
from keygroups.models import Category, Membership, Source
from network.models import OrgUnit
from worklist import deadlines
from worklist.models import Kind
from worklist.services import item_cancel, item_done, item_open, items_open_new

ASSISTANCE_MEASURES_CSV = DATA_DIR / "assistance_measures.csv"

IN_FUTURE = _("The date cannot be in the future.")
NOT_A_MEMBER = _("Choose one of the key groups this person is in now.")
FILE_CLOSED = _("This assistance file is closed.")
NOT_OPEN = _("A closure can be proposed for an open file only.")
NOT_PROPOSED = _("No closure is waiting for a decision on this file.")
OWN_PROPOSAL = _("You proposed this closure; another station head must decide it.")
DESTINATION_REQUIRED = _("Say where the person moved to (outside Lhasa).")
REFUSAL_REASON_REQUIRED = _("Say why the closure is refused.")
DONE_BEFORE_START = _("A measure cannot be done before it started.")
MEASURE_EXISTS = _("This measure is already on the file.")
OPENED_ON_ENTRY = "opened on entry into a key group"


def _today() -> datetime.date:
    return timezone.localdate()


def follow_up_days(category: Category) -> int:
    """The category's rhythm of follow-up visits, or the default (a setting)."""
    rhythm = CategoryAssistance.objects.filter(category=category).values_list("follow_up_days", flat=True)
    return rhythm.first() or settings.CASE_MANAGEMENT["FOLLOW_UP_DAYS_DEFAULT"]


def _measures_of(category_ids) -> dict[int, list[str]]:
    valid = set(MeasureKind.values)
    return {
        row.category_id: [kind for kind in row.measures if kind in valid]
        for row in CategoryAssistance.objects.filter(category_id__in=list(category_ids))
    }


def _check_staff(acting_user, person, permission: str = MANAGE) -> None:
    if not acting_user.has_perm(permission) or not unit_in_scope(acting_user, person.unit):
        raise NotAllowed()


def _open_file_of(person_id) -> AssistanceFile | None:
    return AssistanceFile.objects.filter(person_id=person_id).exclude(status=FileStatus.CLOSED).first()


# --- opening ------------------------------------------------------------------------------


def _new_file(*, person, unit, category, opened_on, acting_user, due_cache=None) -> AssistanceFile:
    key = (unit.pk, opened_on)
    due = due_cache.get(key) if due_cache is not None else None
    if due is None:
        due = deadlines.due_date("first_assistance", opened_on, unit=unit)
        if due_cache is not None:
            due_cache[key] = due
    return AssistanceFile(
        person=person, category=category, opened_on=opened_on, opened_by=acting_user, first_assistance_due=due
    )


def _furnish(file: AssistanceFile, *, unit, measures: list[str], assignee) -> None:
    """What a new file brings with it: its planned measures and the first-assistance item."""
    FileMeasure.objects.bulk_create(
        [FileMeasure(file=file, kind=kind, planned_on=file.opened_on) for kind in measures]
    )
    item_open(
        kind=Kind.FIRST_ASSISTANCE,
        source=file,
        due_on=file.first_assistance_due,
        person=file.person,
        unit=unit,
        assignee=assignee,
    )


def _create(*, person, unit, category, opened_on, measures: list[str], acting_user) -> AssistanceFile:
    """A new open file with its measures and its first-assistance work item."""
    file = _new_file(
        person=person, unit=unit, category=category, opened_on=opened_on, acting_user=acting_user
    )
    with transaction.atomic():
        file.save()
    _furnish(file, unit=unit, measures=measures, assignee=acting_user)
    return file


def file_open(*, person, category: Category, opened_on: datetime.date, acting_user=None, request=None):
    """Open the person's assistance file; the clock of first assistance starts.

    `acting_user=None` is the system, on the person's entry into a key group. A person has
    at most one file that is not closed: if there is one already, it is returned as it is.
    By hand, the counsellor chooses the category among the person's open memberships.
    """
    if acting_user is not None:
        _check_staff(acting_user, person)
        if not Membership.objects.filter(person=person, category=category, ended_on__isnull=True).exists():
            raise ValidationFailed(errors={"category": [str(NOT_A_MEMBER)]})
        if opened_on > _today():
            raise ValidationFailed(errors={"opened_on": [str(IN_FUTURE)]})
    with transaction.atomic():
        existing = _open_file_of(person.pk)
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                file = _create(
                    person=person,
                    unit=person.unit,
                    category=category,
                    opened_on=opened_on,
                    measures=_measures_of([category.pk]).get(category.pk, []),
                    acting_user=acting_user,
                )
        except IntegrityError:
            # Opened concurrently (one open file per person): theirs is the one.
            return _open_file_of(person.pk)
        audit_change(
            actor=acting_user,
            action=Action.CREATE,
            instance=file,
            request=request,
            note="" if acting_user else OPENED_ON_ENTRY,
        )
        return file


def _entry_preference(membership: Membership, categories: dict[int, Category]) -> tuple:
    # A sub-category (disabled, zero-employment member...) says more than its parent
    # (hard-to-employ) and brings the more specific measures.
    category = categories[membership.category_id]
    return (category.parent_id is None, category.order, category.code)


def files_open_on_entry(*, memberships: list[Membership]) -> int:
    """The hook of keygroups.services: memberships just started open the persons' files.

    A new file takes the measures of every group entered; a person who already has an
    open file keeps it, and the measures of the groups they entered are added to it.
    Returns the number of files opened.
    """
    if not memberships:
        return 0
    categories = Category.objects.in_bulk({m.category_id for m in memberships})
    by_person: dict[int, list[Membership]] = {}
    for membership in memberships:
        by_person.setdefault(membership.person_id, []).append(membership)
    measures = _measures_of(categories)
    not_closed = AssistanceFile.objects.exclude(status=FileStatus.CLOSED)
    open_files = {f.person_id: f for f in not_closed.filter(person_id__in=list(by_person))}
    _add_measures(open_files, by_person, measures)
    newcomers = [person_id for person_id in by_person if person_id not in open_files]
    if not newcomers:
        return 0
    persons = {m.person_id: m.person for m in memberships}
    units = OrgUnit.objects.in_bulk({persons[pid].unit_id for pid in newcomers})
    due_cache: dict = {}
    planned = []
    for person_id in newcomers:
        person, unit = persons[person_id], units[persons[person_id].unit_id]
        entered = sorted(by_person[person_id], key=lambda m: _entry_preference(m, categories))
        kinds = list(dict.fromkeys(kind for m in entered for kind in measures.get(m.category_id, [])))
        file = _new_file(
            person=person,
            unit=unit,
            category=categories[entered[0].category_id],
            opened_on=_opened_on(entered[0]),
            acting_user=None,
            due_cache=due_cache,
        )
        planned.append((file, unit, kinds))
    # One insert for the batch (imports and the nightly refresh enter thousands at once).
    try:
        with transaction.atomic():
            AssistanceFile.objects.bulk_create([file for file, _unit, _kinds in planned])
    except IntegrityError:
        # Someone opened one of these files meanwhile: one at a time, theirs stands.
        return sum(_open_one(file, unit, kinds) for file, unit, kinds in planned)
    FileMeasure.objects.bulk_create(
        [
            FileMeasure(file=file, kind=kind, planned_on=file.opened_on)
            for file, _unit, kinds in planned
            for kind in kinds
        ]
    )
    items_open_new(
        kind=Kind.FIRST_ASSISTANCE,
        rows=[(file, file.first_assistance_due, file.person, unit) for file, unit, _kinds in planned],
    )
    _audit_opened([file for file, _unit, _kinds in planned])
    return len(planned)


def _audit_opened(files: list[AssistanceFile]) -> None:
    """One entry per file when a person enters a group; one per batch when an import or
    the nightly refresh brings many at once (as the import itself writes one entry)."""
    if len(files) == 1:
        audit_change(actor=None, action=Action.CREATE, instance=files[0], note=OPENED_ON_ENTRY)
        return
    ids = sorted(file.pk for file in files)
    audit_event(
        action=Action.CREATE,
        username="",
        note=f"{OPENED_ON_ENTRY}: {len(ids)} assistance files, ids {ids[0]}–{ids[-1]}",
    )


def _opened_on(membership: Membership) -> datetime.date:
    # A membership recorded by staff may say it began long ago; the file opens when it
    # reaches the register, or first assistance would be overdue before anyone knew.
    if membership.source == Source.MANUAL:
        return max(membership.started_on, _today())
    return membership.started_on


def _open_one(file: AssistanceFile, unit, measures: list[str]) -> int:
    if _open_file_of(file.person_id) is not None:
        return 0
    file.pk = None
    try:
        with transaction.atomic():
            file.save()
    except IntegrityError:
        return 0
    _furnish(file, unit=unit, measures=measures, assignee=None)
    audit_change(actor=None, action=Action.CREATE, instance=file, note=OPENED_ON_ENTRY)
    return 1


def _add_measures(open_files: dict, by_person: dict, measures: dict) -> None:
    added = [
        FileMeasure(file=file, kind=kind, planned_on=_today())
        for person_id, file in open_files.items()
        for membership in by_person[person_id]
        for kind in measures.get(membership.category_id, [])
    ]
    if added:
        FileMeasure.objects.bulk_create(added, ignore_conflicts=True)


def open_missing_files(*, today: datetime.date, batch_size: int = 1000) -> int:
    """Catch-up: a person in a key group with no open file, who entered the group after
    their last file closed (or never had one), gets a file opened as on entry."""
    last_closed = (
        AssistanceFile.objects.filter(person=OuterRef("person"), status=FileStatus.CLOSED)
        .order_by("-closed_on")
        .values("closed_on")[:1]
    )
    missing = (
        Membership.objects.filter(ended_on__isnull=True, started_on__lte=today, category__is_active=True)
        .exclude(person__assistance_files__status__in=[FileStatus.OPEN, FileStatus.CLOSING])
        .annotate(last_closed=Subquery(last_closed))
        .filter(Q(last_closed__isnull=True) | Q(started_on__gt=F("last_closed")))
        .select_related("person")
        # Opening a file never reads the encrypted identifiers: do not decrypt them.
        .defer("person__id_number", "person__phone", "person__disability_details")
        .order_by("person_id", "id")
    )
    person_ids = list(missing.order_by("person_id").values_list("person_id", flat=True).distinct())
    opened = 0
    for start in range(0, len(person_ids), batch_size):
        batch = missing.filter(person_id__in=person_ids[start : start + batch_size])
        with transaction.atomic():
            opened += files_open_on_entry(memberships=list(batch))
    return opened


# --- assistance given ---------------------------------------------------------------------


def assistance_given(*, file: AssistanceFile, on: datetime.date, record) -> AssistanceFile:
    """A service that counts as assistance was given under the file (`record` is linked
    already). The first one meets first assistance; each one meets the follow-up visit
    that was due and schedules the next after the category's rhythm."""
    with transaction.atomic():
        file = (
            AssistanceFile.objects.select_for_update(of=("self",))
            .select_related("person__unit")
            .get(pk=file.pk)
        )
        if file.status == FileStatus.CLOSED:
            raise ValidationFailed(errors={"__all__": [str(FILE_CLOSED)]})
        before = snapshot(file)
        earlier = (
            file.services.filter(service_type__is_assistance=True)
            .exclude(pk=record.pk)
            .aggregate(latest=Max("on"))["latest"]
        )
        person, unit = file.person, file.person.unit
        if file.first_assistance_on is None or on < file.first_assistance_on:
            file.first_assistance_on = on
        if earlier is None:
            item_done(kind=Kind.FIRST_ASSISTANCE, source=file, done_on=on)
        if earlier is None or on >= earlier:
            if earlier is not None:
                item_done(kind=Kind.FOLLOW_UP, source=file, done_on=on)
            file.next_follow_up_due = deadlines.add_days(
                on, follow_up_days(file.category), working_days=False, unit=unit
            )
            item_open(
                kind=Kind.FOLLOW_UP,
                source=file,
                due_on=file.next_follow_up_due,
                person=person,
                unit=unit,
                assignee=record.staff,
            )
        # An older service recorded late changes first assistance at most.
        file.version += 1
        file.save(update_fields=["first_assistance_on", "next_follow_up_due", "version"])
        audit_change(actor=record.staff, action=Action.UPDATE, instance=file, before=before)
        return file


# --- measures -----------------------------------------------------------------------------


def _check_not_closed(file: AssistanceFile) -> None:
    if file.status == FileStatus.CLOSED:
        raise ValidationFailed(errors={"__all__": [str(FILE_CLOSED)]})


@transaction.atomic
def measure_update(
    *,
    acting_user,
    measure: FileMeasure,
    expected_version: int,
    started_on: datetime.date | None,
    done_on: datetime.date | None,
    note: str = "",
    request=None,
) -> FileMeasure:
    """Mark a measure started and/or done, with dates and a note."""
    measure = (
        FileMeasure.objects.select_for_update(of=("self",))
        .select_related("file__person__unit")
        .get(pk=measure.pk)
    )
    file = measure.file
    _check_staff(acting_user, file.person)
    _check_not_closed(file)
    errors = {}
    for name, value in (("started_on", started_on), ("done_on", done_on)):
        if value and value > _today():
            errors[name] = [str(IN_FUTURE)]
    if started_on and done_on and done_on < started_on:
        errors["done_on"] = [str(DONE_BEFORE_START)]
    if errors:
        raise ValidationFailed(errors=errors)
    before = snapshot(measure)
    # A measure done has started by then at the latest.
    measure.started_on = started_on or done_on
    measure.done_on = done_on
    measure.note = note.strip()[:300]
    save_with_version(measure, expected_version=expected_version, fields=["started_on", "done_on", "note"])
    audit_change(actor=acting_user, action=Action.UPDATE, instance=measure, before=before, request=request)
    return measure


@transaction.atomic
def measure_add(*, acting_user, file: AssistanceFile, kind: str, request=None) -> FileMeasure:
    """A measure beyond the category's own (a graduate who wants to start a business...)."""
    _check_staff(acting_user, file.person)
    _check_not_closed(file)
    if kind not in MeasureKind.values:
        raise ValidationFailed(errors={"kind": [str(_("Not one of the allowed values."))]})
    if file.measures.filter(kind=kind).exists():
        raise ValidationFailed(errors={"kind": [str(MEASURE_EXISTS)]})
    measure = FileMeasure.objects.create(file=file, kind=kind, planned_on=_today())
    audit_change(actor=acting_user, action=Action.CREATE, instance=measure, request=request)
    return measure


# --- closing ------------------------------------------------------------------------------


def _locked(file: AssistanceFile) -> AssistanceFile:
    """The file as stored now: the checks read the current state, and a refused change
    leaves the caller's copy as it was."""
    return (
        AssistanceFile.objects.select_for_update(of=("self",)).select_related("person__unit").get(pk=file.pk)
    )


@transaction.atomic
def file_propose_closure(
    *, acting_user, file: AssistanceFile, outcome: str, note: str, version: int, request=None
) -> AssistanceFile:
    """The counsellor proposes to close the file with an outcome; the station head decides.

    MOVED_AWAY is a move out of Lhasa (the note names the destination). A move within
    Lhasa is a transfer (people.services): the file stays open and follows the person.
    """
    file = _locked(file)
    _check_staff(acting_user, file.person)
    if file.status != FileStatus.OPEN:
        raise ValidationFailed(errors={"__all__": [str(NOT_OPEN)]})
    if outcome not in Outcome.values:
        raise ValidationFailed(errors={"outcome": [str(_("Not one of the allowed values."))]})
    note = note.strip()[:300]
    if outcome == Outcome.MOVED_AWAY and not note:
        raise ValidationFailed(errors={"note": [str(DESTINATION_REQUIRED)]})
    before = snapshot(file)
    file.status = FileStatus.CLOSING
    file.outcome = outcome
    file.outcome_note = note
    file.proposed_by = acting_user
    file.proposed_at = timezone.now()
    file.decision_note = ""
    save_with_version(
        file,
        expected_version=version,
        fields=["status", "outcome", "outcome_note", "proposed_by", "proposed_at", "decision_note"],
    )
    unit = file.person.unit
    item_open(
        kind=Kind.FILE_CLOSURE,
        source=file,
        due_on=deadlines.due_date("file_closure", _today(), unit=unit),
        person=file.person,
        unit=unit,
    )
    audit_change(actor=acting_user, action=Action.UPDATE, instance=file, before=before, request=request)
    return file


@transaction.atomic
def file_decide_closure(
    *, acting_user, file: AssistanceFile, approve: bool, note: str, version: int, request=None
) -> AssistanceFile:
    """The station head approves (the file closes and its open items are cancelled) or
    refuses (the file is open again, with the reason). Never on their own proposal."""
    file = _locked(file)
    _check_staff(acting_user, file.person, DECIDE_CLOSURE)
    if file.status != FileStatus.CLOSING:
        raise ValidationFailed(errors={"__all__": [str(NOT_PROPOSED)]})
    if file.proposed_by_id == acting_user.pk:
        raise NotAllowed(OWN_PROPOSAL)
    note = note.strip()[:300]
    if not approve and not note:
        raise ValidationFailed(errors={"note": [str(REFUSAL_REASON_REQUIRED)]})
    before = snapshot(file)
    today = _today()
    if approve:
        file.status = FileStatus.CLOSED
        file.closed_on = today
        file.closed_by = acting_user
    else:
        file.status = FileStatus.OPEN
        file.outcome = ""
        file.outcome_note = ""
    file.decision_note = note
    save_with_version(
        file,
        expected_version=version,
        fields=["status", "closed_on", "closed_by", "outcome", "outcome_note", "decision_note"],
    )
    item_done(kind=Kind.FILE_CLOSURE, source=file, done_on=today)
    if approve:
        item_cancel(kind=None, source=file, on=today)
    audit_change(actor=acting_user, action=Action.UPDATE, instance=file, before=before, request=request)
    return file


# --- the reference table ------------------------------------------------------------------


@transaction.atomic
def assistance_measures_load(*, csv_path: Path = ASSISTANCE_MEASURES_CSV) -> dict:
    """Seed the measures and follow-up rhythm per key group. Idempotent: a category that
    has its row keeps it (the system administrator may have edited it)."""
    created = skipped = 0
    categories = {c.code: c for c in Category.objects.all()}
    existing = set(CategoryAssistance.objects.values_list("category_id", flat=True))
    with csv_path.open(encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            category = categories.get(row["category_code"].strip())
            if category is None:
                skipped += 1
                continue
            measures = [kind.strip() for kind in row["measures"].split("|") if kind.strip()]
            unknown = set(measures) - set(MeasureKind.values)
            if unknown:
                raise ValueError(f"{csv_path.name} line {line}: unknown measures {sorted(unknown)}")
            if category.pk in existing:
                continue
            CategoryAssistance.objects.create(
                category=category, measures=measures, follow_up_days=int(row["follow_up_days"])
            )
            created += 1
    return {"created": created, "skipped": skipped}
