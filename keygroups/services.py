"""Key-group membership: derived from data where possible, else recorded by staff with evidence."""

import csv
import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import audit_change, snapshot
from core.concurrency import save_with_version
from core.errors import NotAllowed, ValidationFailed, errors_from_django
from keygroups.models import Category, Membership, Rule, Source
from keygroups.rules_engine import Facts, categories_met, rules_met
from registrations.models import Kind, Registration, Status

EVIDENCE_REQUIRED = _("Describe the evidence (document, number, date) for this membership.")
DERIVED_ONLY = _("This category is decided from the person's data; it cannot be added by hand.")
ALREADY_MEMBER = _("This person is already in this group.")
ALREADY_ENDED = _("This membership has already ended.")
END_BEFORE_START = _("The end date cannot be before the start date.")
PARENT_CYCLE = _("A category cannot sit under itself or under one of its own sub-categories.")
NO_LONGER_MET = "no longer met"  # stored reason for a derived membership that ended


def active_categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True))


def memberships_derive(*, person, today: datetime.date, categories: list[Category] | None = None) -> dict:
    """Open and close derived memberships so they match the person's data today.

    Manual memberships are left alone; they end only when staff end them.
    """
    return memberships_refresh(person_ids=[person.pk], today=today, categories=categories)


def _clean(instance):
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc


@transaction.atomic
def membership_add_manual(
    *, acting_user, person, category: Category, started_on: datetime.date, evidence: str, request=None
) -> Membership:
    if not acting_user.has_perm("people.manage_person"):
        raise NotAllowed()
    if category.rule != Rule.MANUAL:
        raise ValidationFailed(errors={"category": [str(DERIVED_ONLY)]})
    if not evidence.strip():
        raise ValidationFailed(errors={"evidence": [str(EVIDENCE_REQUIRED)]})
    if Membership.objects.filter(person=person, category=category, ended_on__isnull=True).exists():
        raise ValidationFailed(errors={"category": [str(ALREADY_MEMBER)]})
    membership = Membership(
        person=person,
        category=category,
        started_on=started_on,
        source=Source.MANUAL,
        evidence=evidence.strip(),
        recorded_by=acting_user,
    )
    _clean(membership)
    membership.save()
    # Before the derivation: the file opens under this category, not its parent's.
    memberships_started([membership])
    memberships_derive(person=person, today=started_on)  # a parent category may follow
    audit_change(actor=acting_user, action=Action.CREATE, instance=membership, request=request)
    return membership


@transaction.atomic
def membership_end(
    *, acting_user, membership: Membership, ended_on: datetime.date, reason: str, request=None
):
    if not acting_user.has_perm("people.manage_person"):
        raise NotAllowed()
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ended_on is not None:
        raise ValidationFailed(errors={"__all__": [str(ALREADY_ENDED)]})
    if ended_on < membership.started_on:
        raise ValidationFailed(errors={"ended_on": [str(END_BEFORE_START)]})
    membership.ended_on = ended_on
    membership.end_reason = reason.strip()[:200]
    membership.save(update_fields=["ended_on", "end_reason"])
    memberships_derive(person=membership.person, today=ended_on)
    audit_change(actor=acting_user, action=Action.UPDATE, instance=membership, request=request)
    return membership


@transaction.atomic
def categories_load(*, csv_path: Path) -> dict:
    """Seed the catalogue. Existing categories keep their edits; only missing ones are added."""
    with csv_path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    existing = {c.code: c for c in Category.objects.all()}
    created = 0
    for order, row in enumerate(rows, start=1):
        if row["code"] in existing:
            continue
        category = Category.objects.create(
            code=row["code"],
            name_zh=row["name_zh"],
            name_bo=row["name_bo"],
            name_en=row["name_en"],
            parent=existing.get(row["parent_code"]) if row["parent_code"] else None,
            rule=row["rule"],
            evidence_hint=row.get("evidence_hint", ""),
            order=order * 10,
        )
        existing[category.code] = category
        created += 1
    return {"created": created, "total": len(rows)}


def memberships_started(memberships: list[Membership]) -> None:
    """Entering a key group opens the person's assistance file (§5.9): the one hook for
    derived and manual memberships alike. Assistance sits above this app, hence the
    import here rather than at the top."""
    from assistance.services import files_open_on_entry

    files_open_on_entry(memberships=memberships)


def memberships_refresh(*, person_ids: list[int], today: datetime.date, categories=None) -> dict:
    """The same derivation as `memberships_derive`, for many persons with a few queries.

    Used by imports, the demo builder and the nightly refresh (graduates ageing out,
    long-term unemployment being reached).
    """
    from people.models import Person

    categories = categories if categories is not None else active_categories()
    by_id = {c.id: c for c in categories}
    derivable = {c.id for c in categories if c.rule != Rule.MANUAL}
    # The rules never read the encrypted identifiers: do not fetch or decrypt them.
    persons = (
        Person.objects.filter(pk__in=person_ids)
        .select_related("household")
        .defer("id_number", "phone", "disability_details")
    )
    registrations = dict(
        Registration.objects.filter(person_id__in=person_ids, kind=Kind.UNEMPLOYMENT)
        .exclude(status=Status.CLOSED)
        .values_list("person_id", "registered_on")
    )
    open_rows: dict[int, dict[int, Membership]] = {}
    for membership in Membership.objects.filter(person_id__in=person_ids, ended_on__isnull=True):
        open_rows.setdefault(membership.person_id, {})[membership.category_id] = membership
    to_create, to_close = [], []
    for person in persons:
        facts = Facts.of(person, household=person.household, registration_since=registrations.get(person.pk))
        current = open_rows.get(person.pk, {})
        wanted = categories_met(categories, rules_met(facts, today))
        manual_ids = {cid for cid, m in current.items() if m.source == Source.MANUAL}
        for category in categories:
            if category.rule == Rule.ANY_CHILD and any(
                c.parent_id == category.id and c.id in manual_ids for c in categories
            ):
                wanted.add(category.id)
        for category_id in wanted - set(current):
            if category_id in by_id:
                to_create.append(
                    Membership(
                        person=person, category_id=category_id, started_on=today, source=Source.DERIVED
                    )
                )
        for category_id, membership in current.items():
            if membership.source == Source.DERIVED and category_id in derivable and category_id not in wanted:
                membership.ended_on = max(today, membership.started_on)
                membership.end_reason = NO_LONGER_MET
                to_close.append(membership)
    Membership.objects.bulk_create(to_create, batch_size=1000)
    Membership.objects.bulk_update(to_close, ["ended_on", "end_reason"], batch_size=1000)
    memberships_started(to_create)
    return {"opened": len(to_create), "closed": len(to_close)}


def memberships_refresh_all(*, today: datetime.date, batch_size: int = 2000) -> dict:
    from people.models import Person

    categories = active_categories()
    totals = {"opened": 0, "closed": 0}
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            result = memberships_refresh(
                person_ids=ids[start : start + batch_size], today=today, categories=categories
            )
        totals["opened"] += result["opened"]
        totals["closed"] += result["closed"]
    return totals


CATEGORY_FIELDS = ["name_zh", "name_bo", "name_en", "parent", "rule", "evidence_hint", "is_active", "order"]


def _check_parent(category: Category) -> None:
    parent = category.parent
    while parent is not None:
        if category.pk and parent.pk == category.pk:
            raise ValidationFailed(errors={"parent": [str(PARENT_CYCLE)]})
        parent = parent.parent


@transaction.atomic
def category_create(*, acting_user, code: str, request=None, **values) -> Category:
    """A new catalogue entry; derived rules take effect at the next refresh."""
    if not acting_user.has_perm("keygroups.manage_categories"):
        raise NotAllowed()
    category = Category(code=code, **{k: v for k, v in values.items() if k in CATEGORY_FIELDS})
    _check_parent(category)
    _clean(category)
    category.save()
    audit_change(actor=acting_user, action=Action.CREATE, instance=category, request=request)
    return category


@transaction.atomic
def category_update(
    *, acting_user, category: Category, expected_version: int, request=None, **changes
) -> Category:
    """Edit names, place in the tree, rule, hint, order or active flag.

    A changed rule is applied to memberships by the next refresh (nightly, or
    `refresh_key_groups`); memberships already recorded keep their history.
    """
    if not acting_user.has_perm("keygroups.manage_categories"):
        raise NotAllowed()
    before = snapshot(category)
    for name, value in changes.items():
        if name not in CATEGORY_FIELDS:
            raise ValueError(f"Not editable: {name}")
        setattr(category, name, value)
    _check_parent(category)
    _clean(category)
    save_with_version(category, expected_version=expected_version, fields=list(changes))
    audit_change(actor=acting_user, action=Action.UPDATE, instance=category, before=before, request=request)
    return category
