"""Writes to the training registry (§7.5). Each runs in one transaction and leaves an audit entry.

Publishing rule: a course may be published only while its provider is active and the
provider's licence covers the whole course, from today to the course's last day
(`licence_expires_on >= max(today, ends_on)`). A licence that runs out half-way
through would leave trainees in an unlicensed course, so it is refused up front
rather than discovered later. Once published, the public lists still re-check the
provider every day (training.selectors.recommendable_courses), so a provider switched
off or a licence shortened afterwards drops out at once.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import audit_change, snapshot
from core.concurrency import save_with_version
from core.errors import NotAllowed, ValidationFailed, errors_from_django
from core.scope import unit_in_scope
from training import validation
from training.models import Course, Provider
from training.selectors import provider_choices, provider_editable

OUTSIDE_SCOPE = _("Choose a unit inside your own area.")
DUPLICATE_CREDIT_CODE = _(
    "A training provider with this credit code is already registered (%(name)s, %(unit)s)."
)
UNKNOWN_PROVIDER = _("Choose an active training provider registered in your area or above it.")
PROVIDER_INACTIVE = _(
    "The provider %(name)s is switched off; courses of an inactive provider cannot be published."
)
LICENCE_EXPIRED = _("The licence of %(name)s expired on %(date)s; renew it before publishing courses.")
LICENCE_ENDS_FIRST = _(
    "The licence of %(name)s runs out on %(date)s, before the course ends on %(end)s. "
    "Record the renewed licence or shorten the course."
)
CREDIT_CODE_RACE = _("This credit code was just registered by someone else.")
ALREADY_PUBLISHED = _("This course is already published.")
NOT_PUBLISHED = _("This course is not published.")

PROVIDER_FIELDS = [
    "name_zh",
    "name_bo",
    "credit_code",
    "licence_number",
    "qualification",
    "licence_expires_on",
    "unit",
    "address",
    "contact_phone",
    "is_active",
]
COURSE_FIELDS = [
    "provider",
    "title_zh",
    "title_bo",
    "occupation",
    "starts_on",
    "ends_on",
    "place",
    "unit",
    "subsidy",
    "language",
    "capacity",
    "channel",
]


def _only(values: dict, allowed: list[str]) -> dict:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    return values


def _clean(instance, extra_errors: dict) -> None:
    """Run the model's checks and ours together, so the user sees every problem at once."""
    errors = dict(extra_errors)
    try:
        instance.full_clean(exclude=list(errors), validate_unique=False)
    except ValidationError as exc:
        for field, messages in errors_from_django(exc).items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationFailed(errors=errors)


def _check_unit(acting_user, unit) -> None:
    if not unit_in_scope(acting_user, unit):
        raise ValidationFailed(errors={"unit": [str(OUTSIDE_SCOPE)]})


# --- providers -----------------------------------------------------------------------


def _provider_errors(provider: Provider, raw_credit_code) -> dict:
    errors = validation.provider_errors(
        {"licence_number": provider.licence_number, "licence_expires_on": provider.licence_expires_on}
    )
    try:
        provider.credit_code = validation.parse_credit_code(raw_credit_code)
    except ValidationError as exc:
        errors["credit_code"] = list(exc.messages)
        return errors
    holder = (
        Provider.objects.filter(credit_code=provider.credit_code)
        .exclude(pk=provider.pk)
        .select_related("unit")
        .first()
    )
    if holder is not None:
        # Credit codes are public registry data, so naming the holder leaks nothing and
        # tells the user where the existing record is.
        errors["credit_code"] = [
            str(DUPLICATE_CREDIT_CODE % {"name": holder.name_zh, "unit": holder.unit.name})
        ]
    return errors


def _save_provider(save) -> None:
    # Two people registering the same code at once: the unique index decides.
    try:
        with transaction.atomic():
            save()
    except IntegrityError as exc:
        raise ValidationFailed(errors={"credit_code": [str(CREDIT_CODE_RACE)]}) from exc


@transaction.atomic
def provider_create(*, acting_user, values: dict, request=None) -> Provider:
    if not acting_user.has_perm("training.manage_provider"):
        raise NotAllowed()
    values = _only(dict(values), PROVIDER_FIELDS)
    raw_code = values.pop("credit_code", "")
    for name in ("name_zh", "name_bo", "licence_number", "address", "contact_phone"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    provider = Provider(**values)
    _check_unit(acting_user, provider.unit)
    _clean(provider, _provider_errors(provider, raw_code))
    _save_provider(provider.save)
    audit_change(actor=acting_user, action=Action.CREATE, instance=provider, request=request)
    return provider


@transaction.atomic
def provider_update(
    *, acting_user, provider: Provider, expected_version: int, changes: dict, request=None
) -> Provider:
    if not provider_editable(user=acting_user, provider=provider):
        raise NotAllowed()
    changes = _only(dict(changes), PROVIDER_FIELDS)
    before = snapshot(provider)
    raw_code = changes.pop("credit_code", provider.credit_code)
    for name, value in changes.items():
        setattr(provider, name, value.strip() if isinstance(value, str) else value)
    _check_unit(acting_user, provider.unit)
    _clean(provider, _provider_errors(provider, raw_code))
    fields = list(changes) + ["credit_code"]
    _save_provider(lambda: save_with_version(provider, expected_version=expected_version, fields=fields))
    audit_change(actor=acting_user, action=Action.UPDATE, instance=provider, before=before, request=request)
    return provider


# --- courses -------------------------------------------------------------------------


def publication_errors(course: Course, *, today: datetime.date) -> dict:
    """Why the course may not be published today ({} when it may). See the module docstring."""
    provider = course.provider
    name = provider.name_zh
    if not provider.is_active:
        return {"provider": [str(PROVIDER_INACTIVE % {"name": name})]}
    if provider.licence_expires_on < today:
        return {"provider": [str(LICENCE_EXPIRED % {"name": name, "date": provider.licence_expires_on})]}
    if provider.licence_expires_on < course.ends_on:
        return {
            "ends_on": [
                str(
                    LICENCE_ENDS_FIRST
                    % {"name": name, "date": provider.licence_expires_on, "end": course.ends_on}
                )
            ]
        }
    return {}


def _course_errors(acting_user, course: Course, *, provider_changed: bool) -> dict:
    errors = validation.course_errors(
        {
            "starts_on": course.starts_on,
            "ends_on": course.ends_on,
            "capacity": course.capacity,
            "subsidy": course.subsidy,
            "occupation": course.occupation if course.occupation_id else None,
        }
    )
    # A new booking must be with a provider the user can see and that is active; an
    # existing booking keeps its provider even if it was switched off meanwhile.
    if provider_changed and not provider_choices(user=acting_user).filter(pk=course.provider_id).exists():
        errors["provider"] = [str(UNKNOWN_PROVIDER)]
    return errors


@transaction.atomic
def course_create(*, acting_user, values: dict, request=None) -> Course:
    if not acting_user.has_perm("training.manage_course"):
        raise NotAllowed()
    values = _only(dict(values), COURSE_FIELDS)
    for name in ("title_zh", "title_bo", "place"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    course = Course(created_by=acting_user, is_published=False, **values)
    _check_unit(acting_user, course.unit)
    _clean(course, _course_errors(acting_user, course, provider_changed=True))
    course.save()
    audit_change(actor=acting_user, action=Action.CREATE, instance=course, request=request)
    return course


@transaction.atomic
def course_update(
    *, acting_user, course: Course, expected_version: int, changes: dict, request=None
) -> Course:
    """Change a course. A published course stays published only if it still could be."""
    if not acting_user.has_perm("training.manage_course"):
        raise NotAllowed()
    changes = _only(dict(changes), COURSE_FIELDS)
    before = snapshot(course)
    provider_changed = "provider" in changes and changes["provider"].pk != course.provider_id
    for name, value in changes.items():
        setattr(course, name, value.strip() if isinstance(value, str) else value)
    _check_unit(acting_user, course.unit)
    errors = _course_errors(acting_user, course, provider_changed=provider_changed)
    # Moving the dates or the provider of a published course must not slip past the
    # publishing rule; other edits (a new place, a typo) leave publication alone.
    if not errors and course.is_published and {"provider", "starts_on", "ends_on"} & set(changes):
        errors = publication_errors(course, today=timezone.localdate())
    _clean(course, errors)
    save_with_version(course, expected_version=expected_version, fields=list(changes))
    audit_change(actor=acting_user, action=Action.UPDATE, instance=course, before=before, request=request)
    return course


def _set_published(*, acting_user, course: Course, expected_version: int, published: bool, request) -> Course:
    if not acting_user.has_perm("training.manage_course"):
        raise NotAllowed()
    _check_unit(acting_user, course.unit)
    if course.is_published == published:
        raise ValidationFailed(str(ALREADY_PUBLISHED if published else NOT_PUBLISHED))
    if published:
        errors = publication_errors(course, today=timezone.localdate())
        if errors:
            raise ValidationFailed(errors=errors)
    before = snapshot(course)
    course.is_published = published
    save_with_version(course, expected_version=expected_version, fields=["is_published"])
    note = "published" if published else "unpublished"
    audit_change(
        actor=acting_user, action=Action.UPDATE, instance=course, before=before, request=request, note=note
    )
    return course


@transaction.atomic
def course_publish(*, acting_user, course: Course, expected_version: int, request=None) -> Course:
    # Lock the provider row so a concurrent switch-off cannot slip between check and write.
    course.provider = Provider.objects.select_for_update().get(pk=course.provider_id)
    return _set_published(
        acting_user=acting_user,
        course=course,
        expected_version=expected_version,
        published=True,
        request=request,
    )


@transaction.atomic
def course_unpublish(*, acting_user, course: Course, expected_version: int, request=None) -> Course:
    return _set_published(
        acting_user=acting_user,
        course=course,
        expected_version=expected_version,
        published=False,
        request=request,
    )
