"""Anonymisation of one person and the staged retention job (mark, then anonymise)."""

import datetime

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from audit.models import Action
from audit.services import audit_change, audit_event, snapshot
from people.models import Consent, Person
from retention.anonymise import (
    clear_person_fields,
    clear_related_text,
    masked_before,
    scrub_names_in_notices,
)
from retention.models import RetentionNotice, RetentionRun
from retention.selectors import district_code, inactive_persons, pending_notices


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


# --- the retention job (staged: mark, wait RETENTION_GRACE_DAYS, anonymise) --------------


def _count_by_district(counts: dict, key: str, paths) -> int:
    total = 0
    for path in paths:
        district = counts["by_district"].setdefault(
            district_code(path), {"mark": 0, "cancel": 0, "anonymise": 0}
        )
        district[key] += 1
        total += 1
    counts[key] = total
    return total


def _batches(ids: list[int], size: int):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _mark(ids: list[int], *, today, batch_size: int) -> None:
    due_on = today + datetime.timedelta(days=settings.PRIVACY["RETENTION_GRACE_DAYS"])
    for batch in _batches(ids, batch_size):
        with transaction.atomic():
            # A notice made meanwhile by a parallel run wins; the partial unique index says so.
            RetentionNotice.objects.bulk_create(
                [RetentionNotice(person_id=pk, marked_on=today, due_on=due_on) for pk in batch],
                ignore_conflicts=True,
            )


def _cancel(notice_ids: list[int], *, today, batch_size: int) -> None:
    for batch in _batches(notice_ids, batch_size):
        pending_notices().filter(pk__in=batch).update(cancelled_on=today)


def _anonymise_due(notice_ids: list[int], *, today, now) -> int:
    done = 0
    for notice_id in notice_ids:
        with transaction.atomic():
            notice = pending_notices().select_for_update().filter(pk=notice_id).first()
            # Checked again under the lock: activity may have come back since the run began.
            if notice is None or not inactive_persons(now).filter(pk=notice.person_id).exists():
                continue
            anonymise_person(Person(pk=notice.person_id), actor=None, reason="retention")
            notice.done_on = today
            notice.save(update_fields=["done_on"])
            done += 1
    return done


def retention_run(
    *, dry_run: bool = True, now=None, batch_size: int | None = None, started_by=None
) -> RetentionRun:
    """One run of the job. A dry run writes nothing but its report (a RetentionRun row).

    A wet run, in this order: cancels pending notices of persons active again, anonymises
    the persons whose notice is past `due_on` and who are still inactive, then marks the
    newly inactive (notice due after RETENTION_GRACE_DAYS). A person is therefore always
    marked, and shown in the reports, at least the grace period before anonymisation.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    batch_size = batch_size or settings.PRIVACY["RETENTION_BATCH_SIZE"]
    run = RetentionRun(started_at=now, dry_run=dry_run, started_by=started_by)
    inactive = inactive_persons(now)
    pending = pending_notices()
    counts: dict = {"by_district": {}}
    to_cancel = list(pending.exclude(person__in=inactive).values_list("pk", "person__unit__path"))
    to_anonymise = list(
        pending.filter(due_on__lte=today, person__in=inactive).values_list("pk", "person__unit__path")
    )
    to_mark = list(
        inactive.exclude(Exists(pending.filter(person=OuterRef("pk")))).values_list("pk", "unit__path")
    )
    _count_by_district(counts, "cancel", (path for _pk, path in to_cancel))
    _count_by_district(counts, "anonymise", (path for _pk, path in to_anonymise))
    _count_by_district(counts, "mark", (path for _pk, path in to_mark))
    if not dry_run:
        _cancel([pk for pk, _path in to_cancel], today=today, batch_size=batch_size)
        counts["anonymise"] = _anonymise_due([pk for pk, _path in to_anonymise], today=today, now=now)
        _mark([pk for pk, _path in to_mark], today=today, batch_size=batch_size)
    counts["pending"] = pending_notices().count()
    run.counts = counts
    run.finished_at = timezone.now()
    run.save()
    if not dry_run:
        audit_event(
            action=Action.UPDATE,
            username="retention",
            note=(
                f"retention run {run.pk}: marked {counts['mark']}, cancelled {counts['cancel']}, "
                f"anonymised {counts['anonymise']}"
            ),
        )
    return run
