"""Writes to employers, the key-enterprise directory (§5.11) and employer accounts.

Each runs in one transaction, checks the permission and the actor's area, and leaves an
audit entry. The credit code is unique across the city, so a second file for the same
employer is refused whoever holds the first.
"""

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from audit.models import Action
from audit.services import audit_change, snapshot
from core.concurrency import save_with_version
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed, errors_from_django
from core.scope import unit_in_scope
from employers.models import Employer, EmployerAccount, KeyEnterpriseFlag
from employers.validation import parse_contact_phone, parse_credit_code
from industries.models import IndustryLevel

OUTSIDE_SCOPE = _("Choose a unit inside your own area.")
DUPLICATE_CODE = _("An employer with this credit code is already registered in the city (held by %(unit)s).")
DUPLICATE_EXTERNAL_ID = _("Another employer already has this regional platform id.")
NOT_A_DIVISION = _("Choose an industry division (two-digit code), not a section.")
REASON_REQUIRED = _("Give the reason.")
NOT_IN_FUTURE = _("The date cannot be in the future.")
TOO_EARLY = _("Give a date in 2000 or later.")
ALREADY_LISTED = _("This employer is already on the key-enterprise directory.")
NOT_LISTED = _("This employer is not on the key-enterprise directory.")
END_BEFORE_START = _("The removal date cannot be before the listing date (%(date)s).")
FRONT_LINE_ONLY = _("Only counsellors and station heads of a township or village unit keep the directory.")

# What staff may set on an employer; everything else is kept by the services.
EMPLOYER_FIELDS = [
    "name_zh",
    "name_bo",
    "credit_code",
    "industry",
    "size",
    "ownership",
    "unit",
    "address",
    "contact_name",
    "contact_phone",
    "publish_contact_phone",
    "description",
    "channel",
    "external_id",
    "is_active",
]
FLAG_UNIT_LEVELS = {"township", "village"}
EARLIEST_DATE = datetime.date(2000, 1, 1)


def _clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc


def _check_known(values: dict) -> None:
    unknown = set(values) - set(EMPLOYER_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")


def _normalise(values: dict) -> dict:
    """Credit code in its stored form; an empty external id stored as NULL (it is unique)."""
    values = dict(values)
    if "credit_code" in values:
        try:
            values["credit_code"] = parse_credit_code(values["credit_code"])
        except ValidationError as exc:
            raise ValidationFailed(errors={"credit_code": [str(m) for m in exc.messages]}) from exc
    if "contact_phone" in values:
        try:
            values["contact_phone"] = parse_contact_phone(values["contact_phone"])
        except ValidationError as exc:
            raise ValidationFailed(errors={"contact_phone": [str(m) for m in exc.messages]}) from exc
    if "external_id" in values:
        values["external_id"] = (values["external_id"] or "").strip() or None
    for name in ("name_zh", "name_bo", "address", "contact_name"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    return values


def _refuse_duplicates(employer: Employer) -> None:
    others = Employer.objects.exclude(pk=employer.pk).select_related("unit")
    holder = others.filter(credit_code=employer.credit_code).first()
    if holder:
        raise ValidationFailed(errors={"credit_code": [str(DUPLICATE_CODE % {"unit": holder.unit.name})]})
    if employer.external_id and others.filter(external_id=employer.external_id).exists():
        raise ValidationFailed(errors={"external_id": [str(DUPLICATE_EXTERNAL_ID)]})


def _check_industry_and_unit(acting_user, employer: Employer) -> None:
    errors = {}
    if employer.industry_id and employer.industry.level != IndustryLevel.DIVISION:
        errors["industry"] = [str(NOT_A_DIVISION)]
    if employer.unit_id and not unit_in_scope(acting_user, employer.unit):
        errors["unit"] = [str(OUTSIDE_SCOPE)]
    if errors:
        raise ValidationFailed(errors=errors)


@transaction.atomic
def employer_create(*, acting_user, values: dict, request=None) -> Employer:
    if not acting_user.has_perm("employers.manage_employer"):
        raise NotAllowed()
    _check_known(values)
    employer = Employer(**_normalise(values))
    employer.created_by = acting_user
    _clean(employer)
    _check_industry_and_unit(acting_user, employer)
    _refuse_duplicates(employer)
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError as exc:  # a concurrent registration of the same code won the race
        _refuse_duplicates(employer)
        raise ValidationFailed() from exc
    audit_change(actor=acting_user, action=Action.CREATE, instance=employer, request=request)
    return employer


@transaction.atomic
def employer_update(
    *, acting_user, employer: Employer, expected_version: int, changes: dict, request=None
) -> Employer:
    if not acting_user.has_perm("employers.manage_employer"):
        raise NotAllowed()
    if not unit_in_scope(acting_user, employer.unit):
        raise NotAllowed()
    _check_known(changes)
    before = snapshot(employer)
    changes = _normalise(changes)
    for name, value in changes.items():
        setattr(employer, name, value)
    _clean(employer)
    _check_industry_and_unit(acting_user, employer)
    _refuse_duplicates(employer)
    try:
        with transaction.atomic():
            save_with_version(employer, expected_version=expected_version, fields=sorted(changes))
    except IntegrityError as exc:
        _refuse_duplicates(employer)
        raise ValidationFailed() from exc
    if {"name_zh", "name_bo"} & set(changes):
        # Vacancies are found by their employer's name too: keep their search text current.
        from vacancies.services import vacancy_refresh_search_text

        for vacancy in employer.vacancies.select_related("occupation"):
            vacancy_refresh_search_text(vacancy)
    audit_change(actor=acting_user, action=Action.UPDATE, instance=employer, before=before, request=request)
    return employer


def _check_directory_keeper(acting_user, employer: Employer) -> None:
    if not acting_user.has_perm("employers.flag_key_enterprise"):
        raise NotAllowed()
    if acting_user.unit is None or acting_user.unit.level not in FLAG_UNIT_LEVELS:
        raise NotAllowed(FRONT_LINE_ONLY)
    if not unit_in_scope(acting_user, employer.unit):
        raise NotAllowed()


def _check_date(name: str, day, today: datetime.date) -> None:
    if not isinstance(day, datetime.date):
        raise ValidationFailed(errors={name: [str(_("Enter a valid date."))]})
    if day > today:
        raise ValidationFailed(errors={name: [str(NOT_IN_FUTURE)]})
    if day < EARLIEST_DATE:
        raise ValidationFailed(errors={name: [str(TOO_EARLY)]})


def _reason(reason) -> str:
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise ValidationFailed(errors={"reason": [str(REASON_REQUIRED)]})
    return reason[:300]


@transaction.atomic
def key_enterprise_flag(
    *, acting_user, employer: Employer, reason: str, flagged_on: datetime.date, request=None
) -> KeyEnterpriseFlag:
    """A township or village unit puts an employer in its area on the directory, with reason and date."""
    _check_directory_keeper(acting_user, employer)
    reason = _reason(reason)
    _check_date("flagged_on", flagged_on, timezone.localdate())
    # Lock the employer row so two keepers flagging at once queue up behind each other.
    Employer.objects.select_for_update().filter(pk=employer.pk).first()
    if employer.key_flags.filter(ended_on__isnull=True).exists():
        raise ValidationFailed(errors={"__all__": [str(ALREADY_LISTED)]}, code="already_listed")
    flag = KeyEnterpriseFlag(
        employer=employer, unit=acting_user.unit, reason=reason, flagged_on=flagged_on, flagged_by=acting_user
    )
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError as exc:  # the one-open-flag constraint caught a concurrent listing
        raise ValidationFailed(errors={"__all__": [str(ALREADY_LISTED)]}, code="already_listed") from exc
    audit_change(actor=acting_user, action=Action.CREATE, instance=flag, request=request)
    return flag


@transaction.atomic
def key_enterprise_unflag(
    *, acting_user, employer: Employer, ended_on: datetime.date, reason: str, request=None
) -> KeyEnterpriseFlag:
    """Take an employer off the directory. The listing stays, closed, in the employer's history."""
    _check_directory_keeper(acting_user, employer)
    reason = _reason(reason)
    _check_date("ended_on", ended_on, timezone.localdate())
    flag = employer.key_flags.select_for_update().filter(ended_on__isnull=True).first()
    if flag is None:
        raise ValidationFailed(errors={"__all__": [str(NOT_LISTED)]}, code="not_listed")
    if ended_on < flag.flagged_on:
        raise ValidationFailed(errors={"ended_on": [str(END_BEFORE_START % {"date": flag.flagged_on})]})
    before = snapshot(flag)
    updated = KeyEnterpriseFlag.objects.filter(pk=flag.pk, ended_on__isnull=True).update(
        ended_on=ended_on, end_reason=reason
    )
    if updated != 1:
        raise ConcurrentEdit()
    flag.ended_on, flag.end_reason = ended_on, reason
    audit_change(actor=acting_user, action=Action.UPDATE, instance=flag, before=before, request=request)
    return flag


@transaction.atomic
def employer_account_create(
    *,
    acting_user,
    employer: Employer,
    username: str,
    password: str,
    name_zh: str = "",
    name_bo: str = "",
    phone: str = "",
    email: str = "",
    language: str = "zh-hans",
    is_manager: bool = False,
    request=None,
) -> EmployerAccount:
    """A self-service sign-in for an employer (role "employer"), opened by a station head.

    The account gets no unit: scope then yields nothing even where a permission check was
    forgotten, and what it may do comes only from its EmployerAccount.
    """
    if not acting_user.has_perm("employers.manage_employer_accounts"):
        raise NotAllowed()
    if not unit_in_scope(acting_user, employer.unit):
        raise NotAllowed()
    user = User(
        username=(username or "").strip(),
        role=Role.EMPLOYER,
        unit=None,
        name_zh=name_zh,
        name_bo=name_bo,
        phone=phone,
        email=email,
        language=language,
        is_staff=False,
        is_superuser=False,
    )
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(errors={"password": [str(m) for m in exc.messages]}) from exc
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    account = EmployerAccount.objects.create(user=user, employer=employer, is_manager=is_manager)
    audit_change(
        actor=acting_user, action=Action.CREATE, instance=user, request=request, note="employer account"
    )
    audit_change(actor=acting_user, action=Action.CREATE, instance=account, request=request)
    return account
