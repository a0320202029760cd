"""Writes to the workers' register. Each runs in one transaction and leaves an audit entry."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import audit_change, snapshot
from core.concurrency import save_with_version
from core.errors import NotAllowed, ValidationFailed, errors_from_django
from core.scope import unit_in_scope
from people import derived
from people.choices import CHANNEL_PURPOSES, FAILED_OUTCOMES, EmploymentStatus, Relation
from people.models import Consent, ContactAttempt, Person
from privacy.models import AccessKind
from privacy.services import access_log

OUTSIDE_SCOPE = _("Choose a unit inside your own area.")
DUPLICATE_ID = _("A file with this ID number already exists in the city register (held by %(unit)s).")
POSSIBLE_DUPLICATE = _(
    "%(count)s file(s) with the same name and date of birth already exist. "
    "Check that this is not the same person, then confirm."
)
REASON_REQUIRED = _("Give the reason you need the full value.")
SECOND_HEAD = _("This household already has a head.")
CONSENT_EXISTS = _("Consent for this purpose and channel is already on file.")
CONSENT_NOT_OPEN = _("This consent was already withdrawn.")
ANONYMISED = _("This file was anonymised: its identity was removed for good and it can no longer be edited.")

# What a counsellor may edit on the form; identity fields go through their own path.
PERSON_FIELDS = [
    "name_zh",
    "name_bo",
    "unit",
    "household_unit",
    "residence_unit",
    "address",
    "education",
    "major",
    "graduation_date",
    "skills",
    "certificates",
    "tibetan_level",
    "chinese_level",
    "work_history",
    "experience_years",
    "disability",
    "disability_details",
    "salary_expectation",
    "work_mode",
    "willing_outside_county",
    "employment_status",
    "unemployed_since",
    "able_and_willing",
    "preferred_language",
    "contact_channel",
]
M2M_FIELDS = ["desired_occupations", "desired_districts"]
IDENTITY_FIELDS = ["id_number", "phone"]


def _clean(instance, exclude=None):
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc


def _identity(values: dict, *, today: datetime.date) -> dict:
    errors: dict = {}
    result: dict = {}
    if "id_number" in values:
        try:
            result.update(derived.id_number_values(values["id_number"], today=today))
        except ValidationError as exc:
            errors["id_number"] = [str(m) for m in exc.messages]
    if "phone" in values:
        try:
            result.update(derived.phone_values(values["phone"] or ""))
        except ValidationError as exc:
            errors["phone"] = [str(m) for m in exc.messages]
    if errors:
        raise ValidationFailed(errors=errors)
    return result


def _refuse_duplicate_id(index: str, exclude_pk=None) -> None:
    holder = (
        Person.objects.filter(id_number_index=index).exclude(pk=exclude_pk).select_related("unit").first()
    )
    if holder:
        raise ValidationFailed(errors={"id_number": [str(DUPLICATE_ID % {"unit": holder.unit.name})]})


def similar_persons(*, name_zh: str, name_bo: str, birth_date, exclude_pk=None):
    """Possible duplicates across the city: same name (either script) and birth date."""
    from django.db.models import Q

    names = Q()
    if name_zh:
        names |= Q(name_zh=name_zh)
    if name_bo:
        names |= Q(name_bo=name_bo)
    if not names:
        return Person.objects.none()
    return Person.objects.filter(names, birth_date=birth_date).exclude(pk=exclude_pk)


def _check_unit(acting_user, unit) -> None:
    if not unit_in_scope(acting_user, unit):
        raise ValidationFailed(errors={"unit": [str(OUTSIDE_SCOPE)]})


def _status_dates(person: Person, previous_status: str | None, today: datetime.date) -> None:
    if person.employment_status == EmploymentStatus.UNEMPLOYED:
        if previous_status != EmploymentStatus.UNEMPLOYED and person.unemployed_since is None:
            person.unemployed_since = today
    else:
        person.unemployed_since = None


def person_after_change(*, person: Person, today: datetime.date, actor=None, old_household_id=None) -> None:
    """Keep the household's zero-employment state and the derived key groups in step."""
    from households.models import Household
    from households.services import household_recompute
    from keygroups.services import memberships_derive

    if old_household_id and old_household_id != person.household_id:
        household_recompute(household=Household(pk=old_household_id), today=today, actor=actor)
    if person.household_id:
        household_recompute(household=person.household, today=today, actor=actor)
        person.household.refresh_from_db()
    memberships_derive(person=person, today=today)


@transaction.atomic
def person_register(
    *,
    acting_user,
    values: dict,
    confirm_similar: bool = False,
    request=None,
    today: datetime.date | None = None,
) -> Person:
    if not acting_user.has_perm("people.manage_person"):
        raise NotAllowed()
    today = today or timezone.localdate()
    identity = _identity({k: values.get(k, "") for k in IDENTITY_FIELDS}, today=today)
    _refuse_duplicate_id(identity["id_number_index"])
    person = Person(**{k: v for k, v in values.items() if k in PERSON_FIELDS}, **identity)
    person.registered_by = acting_user
    person.__dict__.update(derived.name_values(person.name_zh, person.name_bo))
    _check_unit(acting_user, person.unit)
    _status_dates(person, None, today)
    _clean(person, exclude=["id_number_index"])
    similar = similar_persons(name_zh=person.name_zh, name_bo=person.name_bo, birth_date=person.birth_date)
    if not confirm_similar and similar.exists():
        raise ValidationFailed(
            errors={"__all__": [str(POSSIBLE_DUPLICATE % {"count": similar.count()})]},
            code="possible_duplicate",
        )
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # a concurrent registration of the same number won the race
        _refuse_duplicate_id(identity["id_number_index"])
        raise ValidationFailed() from exc
    _set_m2m(person, values)
    person_after_change(person=person, today=today, actor=acting_user)
    audit_change(actor=acting_user, action=Action.CREATE, instance=person, request=request)
    return person


def _set_m2m(person: Person, values: dict) -> None:
    for name in M2M_FIELDS:
        if name in values:
            getattr(person, name).set(values[name])


@transaction.atomic
def person_update(
    *,
    acting_user,
    person: Person,
    expected_version: int,
    changes: dict,
    request=None,
    today: datetime.date | None = None,
) -> Person:
    if not acting_user.has_perm("people.manage_person"):
        raise NotAllowed()
    unknown = set(changes) - set(PERSON_FIELDS) - set(M2M_FIELDS) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if person.anonymised_at:
        raise ValidationFailed(errors={"__all__": [str(ANONYMISED)]}, code="anonymised")
    today = today or timezone.localdate()
    before = snapshot(person)
    previous_status = person.employment_status
    fields = [k for k in changes if k in PERSON_FIELDS]
    for name in fields:
        setattr(person, name, changes[name])
    identity_changes = {k: changes[k] for k in IDENTITY_FIELDS if k in changes}
    if identity_changes:
        identity = _identity(identity_changes, today=today)
        if "id_number_index" in identity:
            _refuse_duplicate_id(identity["id_number_index"], exclude_pk=person.pk)
        person.__dict__.update(identity)
        fields += list(identity)
    if {"name_zh", "name_bo"} & set(changes):
        person.__dict__.update(derived.name_values(person.name_zh, person.name_bo))
        fields += ["name_pinyin", "name_wylie"]
    if "employment_status" in changes:
        _status_dates(person, previous_status, today)
        fields.append("unemployed_since")
    _check_unit(acting_user, person.unit)
    _clean(person, exclude=["id_number_index"])
    save_with_version(person, expected_version=expected_version, fields=sorted(set(fields)) + ["updated_at"])
    _set_m2m(person, changes)
    person_after_change(person=person, today=today, actor=acting_user)
    audit_change(actor=acting_user, action=Action.UPDATE, instance=person, before=before, request=request)
    return person


@transaction.atomic
def person_set_household(
    *, acting_user, person: Person, household, relation: str, expected_version: int, request=None
) -> Person:
    """Join, move between or leave (household=None) households; both sides are recomputed."""
    if not acting_user.has_perm("people.manage_person"):
        raise NotAllowed()
    if household is not None:
        _check_unit(acting_user, household.unit)
        if (
            relation == Relation.HEAD
            and household.members.filter(relation_to_head=Relation.HEAD).exclude(pk=person.pk).exists()
        ):
            raise ValidationFailed(errors={"relation_to_head": [str(SECOND_HEAD)]})
    before = snapshot(person)
    old_household_id = person.household_id
    person.household = household
    person.relation_to_head = relation if household is not None else ""
    person.updated_at = timezone.now()
    save_with_version(
        person, expected_version=expected_version, fields=["household", "relation_to_head", "updated_at"]
    )
    person_after_change(
        person=person, today=timezone.localdate(), actor=acting_user, old_household_id=old_household_id
    )
    audit_change(actor=acting_user, action=Action.UPDATE, instance=person, before=before, request=request)
    return person


def person_set_employment(*, person: Person, status: str, today: datetime.date, actor=None) -> None:
    """Used by registration services: the status follows the registration, one save."""
    previous = person.employment_status
    if previous == status:
        return
    person.employment_status = status
    _status_dates(person, previous, today)
    # The version moves too: an edit form opened before this change must not put the old status back.
    Person.objects.filter(pk=person.pk).update(
        employment_status=status,
        unemployed_since=person.unemployed_since,
        updated_at=timezone.now(),
        version=F("version") + 1,
    )
    person.refresh_from_db(fields=["version"])
    person_after_change(person=person, today=today, actor=actor)


def person_reveal(*, acting_user, person: Person, reason: str, request=None) -> dict:
    """Full identifiers for one person, written to the personal-data access log."""
    if not acting_user.has_perm("people.reveal_identifiers"):
        raise NotAllowed()
    if not reason or not reason.strip():
        raise ValidationFailed(errors={"reason": [str(REASON_REQUIRED)]})
    access_log(
        user=acting_user,
        kind=AccessKind.VIEW,
        subject_type="person",
        subject_id=str(person.pk),
        fields=["id_number", "phone"],
        reason=reason,
        request=request,
    )
    return {"id_number": person.id_number, "phone": person.phone}


@transaction.atomic
def contact_record(
    *,
    acting_user,
    person: Person,
    at: datetime.datetime,
    channel: str,
    outcome: str,
    note: str = "",
    info_updated: bool = False,
    request=None,
) -> ContactAttempt:
    """Log an attempt; after N failures in a row (by time) the person is flagged unreachable."""
    from django.conf import settings

    if not acting_user.has_perm("people.manage_person"):
        raise NotAllowed()
    attempt = ContactAttempt(
        person=person,
        at=at,
        channel=channel,
        outcome=outcome,
        note=note,
        info_updated=info_updated,
        by=acting_user,
    )
    _clean(attempt)
    attempt.save()
    person = Person.objects.select_for_update().get(pk=person.pk)
    threshold = settings.STANDARD["UNREACHABLE_FAILED_CONTACTS"]
    streak: list[ContactAttempt] = []
    for previous in person.contacts.order_by("-at", "-id"):
        if previous.outcome not in FAILED_OUTCOMES:
            break
        streak.append(previous)
    reached = person.contacts.exclude(outcome__in=FAILED_OUTCOMES).order_by("-at").first()
    updated = person.contacts.filter(info_updated=True).order_by("-at").first()
    Person.objects.filter(pk=person.pk).update(
        failed_contacts=len(streak),
        # The flag dates from the attempt that reached the threshold.
        unreachable_since=streak[-threshold].at if len(streak) >= threshold else None,
        last_contact_at=reached.at if reached else None,
        info_updated_on=timezone.localdate(updated.at) if updated else person.info_updated_on,
    )
    audit_change(actor=acting_user, action=Action.CREATE, instance=attempt, request=request)
    if attempt.info_updated:
        from worklist.sync import sync_person  # the worklist sits above people

        sync_person(person)
    return attempt


@transaction.atomic
def consent_give(
    *, acting_user, person: Person, purpose: str, channel: str = "", given_at=None, request=None
) -> Consent:
    """Record consent for a purpose, on one channel or (blank) on all of the purpose's channels."""
    if not acting_user.has_perm("people.manage_person"):
        raise NotAllowed()
    if person.consents.filter(purpose=purpose, channel=channel or "", withdrawn_at__isnull=True).exists():
        raise ValidationFailed(errors={"purpose": [str(CONSENT_EXISTS)]})
    consent = Consent(
        person=person,
        purpose=purpose,
        channel=channel or "",
        given_at=given_at or timezone.now(),
        recorded_by=acting_user,
    )
    _clean(consent)
    try:
        with transaction.atomic():
            consent.save()
    except IntegrityError as exc:
        # Recorded concurrently by someone else: one open consent per purpose and channel.
        raise ValidationFailed(errors={"purpose": [str(CONSENT_EXISTS)]}) from exc
    audit_change(actor=acting_user, action=Action.CREATE, instance=consent, request=request)
    return consent


def _close_consent(consent: Consent, *, acting_user, now, request) -> None:
    before = snapshot(consent)
    consent.withdrawn_at = now
    consent.withdrawn_by = acting_user
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_change(actor=acting_user, action=Action.UPDATE, instance=consent, before=before, request=request)


@transaction.atomic
def consent_withdraw(*, acting_user, consent: Consent, request=None) -> Consent:
    """Withdraw a consent; effective at once (GB/T 35273 §5.4).

    Withdrawing the consent for every channel of a purpose withdraws the purpose's
    per-channel consents too. For notifications, the person's waiting pushes on the
    channels that lost consent are cancelled in this same transaction.
    """
    if not acting_user.has_perm("people.manage_person"):
        raise NotAllowed()
    consent = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ValidationFailed(errors={"__all__": [str(CONSENT_NOT_OPEN)]})
    now = timezone.now()
    _close_consent(consent, acting_user=acting_user, now=now, request=request)
    if not consent.channel:
        also = Consent.objects.select_for_update().filter(
            person_id=consent.person_id, purpose=consent.purpose, withdrawn_at__isnull=True
        )
        for other in also:
            _close_consent(other, acting_user=acting_user, now=now, request=request)
    if consent.purpose in CHANNEL_PURPOSES:
        from notifications.services import pushes_cancel_without_consent  # notifications sit above people

        pushes_cancel_without_consent(person=consent.person, acting_user=acting_user, request=request)
    return consent


TRANSFER_UNIT = _("Choose an active township, street, village or community unit.")
TRANSFER_SAME_UNIT = _("The file is already held by this unit.")
TRANSFER_REASON = _("Give the reason for the transfer.")
TRANSFER_REASON_LENGTH = _("Keep the reason under 300 characters.")
# Files are held by the units that serve people; the receiving unit may be anywhere in the city.
TRANSFER_LEVELS = ("township", "village")


def _transfer_errors(person: Person, unit, reason: str) -> dict:
    errors: dict = {}
    if not reason:
        errors["reason"] = [str(TRANSFER_REASON)]
    elif len(reason) > 300:
        errors["reason"] = [str(TRANSFER_REASON_LENGTH)]
    if unit is None or not unit.is_active or unit.level not in TRANSFER_LEVELS:
        errors["unit"] = [str(TRANSFER_UNIT)]
    elif unit.pk == person.unit_id:
        errors["unit"] = [str(TRANSFER_SAME_UNIT)]
    return errors


@transaction.atomic
def person_transfer(
    *,
    acting_user,
    person: Person,
    unit,
    reason: str,
    version: int,
    request=None,
    move_residence: bool = False,
):
    """Move a file to another township or village unit (§5.9, the person moved).

    The sending side must be in the acting user's area; the receiving unit may be
    anywhere. Open work items follow, unassigned; assistance files, guidance cases and
    the rest follow by themselves (they are scoped through the person's unit). The
    history stays as a Transfer row and in the audit trail, and the receiving unit's
    station head(s) and counsellors get a notice.
    """
    from notifications.services import notify_user
    from people.models import Transfer
    from worklist.services import FRONT_LINE, items_follow_person, staff_covering

    if not acting_user.has_perm("people.manage_person") or not unit_in_scope(acting_user, person.unit):
        raise NotAllowed()
    reason = (reason or "").strip()
    errors = _transfer_errors(person, unit, reason)
    if errors:
        raise ValidationFailed(errors=errors)
    before = snapshot(person)
    from_unit = person.unit
    person.unit = unit
    fields = ["unit", "updated_at"]
    if move_residence:
        person.residence_unit = unit
        fields.append("residence_unit")
    person.updated_at = timezone.now()
    save_with_version(person, expected_version=version, fields=fields)
    moved = items_follow_person(person=person, unit=unit)
    transfer = Transfer.objects.create(
        person=person,
        from_unit=from_unit,
        to_unit=unit,
        residence_moved=move_residence,
        reason=reason,
        items_moved=moved,
        by=acting_user,
    )
    audit_change(
        actor=acting_user,
        action=Action.UPDATE,
        instance=person,
        before=before,
        request=request,
        note="transfer",
    )
    audit_change(actor=acting_user, action=Action.CREATE, instance=transfer, request=request)
    for user in staff_covering(unit, FRONT_LINE).exclude(pk=acting_user.pk):
        notify_user(
            user=user, message="person_transferred", context={"transfer": transfer, "items_moved": moved}
        )
    return transfer
