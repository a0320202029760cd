"""Anonymisation of one person and the staged retention job (mark, then anonymise)."""

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from audit.models import Action
from audit.services import audit_change, snapshot
from people.models import Consent, Person
from retention.anonymise import (
    clear_person_fields,
    clear_related_text,
    masked_before,
    scrub_names_in_notices,
)


def _cancel_open_work(person, today) -> int:
    from worklist.services import item_cancel, open_items

    cancelled = 0
    for kind, source_type, source_id in (
        open_items().filter(person=person).values_list("kind", "source_type", "source_id")
    ):
        source = apps.get_model(source_type)(pk=source_id)
        cancelled += item_cancel(kind=kind, source=source, on=today)
    return cancelled


def _stop_contact(person, now) -> None:
    """No identity, no channel: open consents end and unsent pushes are cancelled."""
    from notifications.models import FINAL_STATUSES, Push, PushStatus

    Consent.objects.filter(person=person, withdrawn_at__isnull=True).update(withdrawn_at=now)
    Push.objects.filter(person=person).exclude(status__in=FINAL_STATUSES).update(status=PushStatus.CANCELLED)


def _clear_household_address(person) -> None:
    """The household's address goes once no member with an identity is left."""
    household = person.household
    if household is None or not household.address:
        return
    if not household.members.filter(anonymised_at__isnull=True).exclude(pk=person.pk).exists():
        type(household).objects.filter(pk=household.pk).update(address="")


@transaction.atomic
def anonymise_person(person, *, actor, reason: str, request=None) -> None:
    """Remove the identity of one person; keep what statistics need.

    Idempotent: a person already anonymised is left as is. Nothing is refused: records
    with open obligations (files, registrations) stay open for statistics, their work
    items are cancelled; the retention job itself never picks a person with open ones.
    The caller's instance is refreshed. Audit entries written before keep the old values
    (the trail is append-only); they leave with the audit retention period.
    """
    given = person
    person = Person.objects.select_for_update(of=("self",)).select_related("household").get(pk=given.pk)
    if person.anonymised_at is not None:
        return
    now = timezone.now()
    old_names = [person.name_zh, person.name_bo]
    cleared = clear_person_fields(person)
    person.anonymised_at = now
    person.version += 1
    person.save()
    clear_related_text(person)
    scrub_names_in_notices(old_names)
    _stop_contact(person, now)
    _cancel_open_work(person, timezone.localdate())
    _clear_household_address(person)
    after = snapshot(person)
    audit_change(
        actor=actor,
        action=Action.UPDATE,
        instance=person,
        before=masked_before(after, cleared),
        request=request,
        note=f"anonymised: {reason}",
    )
    if isinstance(given, Person):
        given.refresh_from_db()
