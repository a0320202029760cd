"""Writes to staff accounts. The three administrators' powers are split here (三员分立)."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import ROLE_UNIT_LEVELS, Role
from audit.models import Action
from audit.services import audit_change, audit_event, snapshot
from core.concurrency import save_with_version
from core.errors import NotAllowed, ValidationFailed, errors_from_django

PROFILE_FIELDS = [
    "name_zh",
    "name_bo",
    "phone",
    "email",
    "unit",
    "qualification_level",
    "speaks_tibetan",
    "speaks_chinese",
    "psychological_counsellor",
    "training_liaison",
]
WRONG_LEVEL = _("A %(role)s must belong to a unit at one of these levels: %(levels)s.")
UNQUALIFIED = _("A counsellor needs a career-guidance qualification of level %(level)d or above.")
OWN_ROLE = _("No one may change their own role.")
LANGUAGE_UNKNOWN = _("Unknown language.")


def _clean(user: User, *, exclude=None) -> None:
    try:
        user.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(errors={"password": [str(m) for m in exc.messages]}) from exc


def _check_role_fits(user: User, role: str) -> None:
    if not role:
        return
    levels = ROLE_UNIT_LEVELS[Role(role)]
    if user.unit is None or user.unit.level not in levels:
        raise ValidationFailed(
            errors={
                "role": [str(WRONG_LEVEL % {"role": Role(role).label, "levels": ", ".join(sorted(levels))})]
            }
        )
    required = settings.STANDARD["COUNSELLOR_MIN_QUALIFICATION_LEVEL"]
    if role == Role.COUNSELLOR and (user.qualification_level or 99) > required:
        raise ValidationFailed(errors={"role": [str(UNQUALIFIED % {"level": required})]})


@transaction.atomic
def staff_create(*, acting_user, username: str, password: str, unit, request=None, **profile) -> User:
    """The system administrator opens accounts; roles come from the security administrator."""
    if acting_user is not None and not acting_user.has_perm("accounts.manage_staff"):
        raise NotAllowed()
    user = User(username=username, unit=unit, **{k: v for k, v in profile.items() if k in PROFILE_FIELDS})
    _clean(user, exclude=["password"])
    _check_password(password, user)
    user.set_password(password)
    # No change date: the administrator knows this password, so the user must replace it
    # at the first sign-in (accounts.middleware.PasswordExpiryMiddleware).
    user.password_changed_at = None
    user.save()
    audit_change(actor=acting_user, action=Action.CREATE, instance=user, request=request)
    return user


@transaction.atomic
def staff_update(*, acting_user, user: User, expected_version: int, request=None, **changes) -> User:
    if not acting_user.has_perm("accounts.manage_staff"):
        raise NotAllowed()
    unknown = set(changes) - set(PROFILE_FIELDS) - {"is_active"}
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    before = snapshot(user)
    for name, value in changes.items():
        setattr(user, name, value)
    _clean(user, exclude=["password"])
    if "unit" in changes:
        _check_role_fits(user, user.role)
    save_with_version(user, expected_version=expected_version, fields=list(changes))
    audit_change(actor=acting_user, action=Action.UPDATE, instance=user, before=before, request=request)
    return user


@transaction.atomic
def staff_assign_role(*, acting_user, user: User, role: str, expected_version: int, request=None) -> User:
    """Only the security administrator grants roles, and never to themself."""
    if not acting_user.has_perm("accounts.assign_role"):
        raise NotAllowed()
    if acting_user.pk == user.pk:
        raise NotAllowed(OWN_ROLE)
    if role and role not in Role.values:
        raise ValidationFailed(errors={"role": [str(_("Unknown role."))]})
    _check_role_fits(user, role)
    before = snapshot(user)
    user.role = role
    # Admin roles hold no Django superuser or staff flags: powers come from rules only.
    user.is_superuser = False
    user.is_staff = False
    save_with_version(user, expected_version=expected_version, fields=["role", "is_superuser", "is_staff"])
    audit_change(
        actor=acting_user, action=Action.UPDATE, instance=user, before=before, request=request, note="role"
    )
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationFailed(errors={"language": [str(LANGUAGE_UNKNOWN)]})
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language


@transaction.atomic
def user_change_password(*, user: User, new_password: str, request=None) -> None:
    _check_password(new_password, user)
    before = snapshot(user)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    audit_change(
        actor=user, action=Action.UPDATE, instance=user, before=before, request=request, note="password"
    )


@transaction.atomic
def staff_bootstrap(
    *, username: str, password: str, role: str, unit, password_hash: str = "", **profile
) -> User:
    """Create or reset an account with its role, as the system itself (install, demo data).

    Used where no administrator exists yet to act; it still validates and audits.
    `password_hash` (made from `password` by the caller) lets a batch of accounts share
    one argon2 computation instead of paying ~0.2 s each.
    """
    user = User.objects.filter(username=username).first() or User(username=username)
    before = snapshot(user) if user.pk else None
    user.unit = unit
    for name, value in profile.items():
        if name not in PROFILE_FIELDS:
            raise ValueError(f"Not a profile field: {name}")
        setattr(user, name, value)
    _clean(user, exclude=["password"])
    _check_role_fits(user, role)
    _check_password(password, user)
    user.role = role
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    audit_change(
        actor=None,
        action=Action.UPDATE if before else Action.CREATE,
        instance=user,
        before=before,
        note="bootstrap",
    )
    return user


@transaction.atomic
def staff_unlock_login(*, acting_user, user: User, request=None) -> int:
    """Lift a failed-login lock before it runs out (security administrator only)."""
    from axes.utils import reset

    if not acting_user.has_perm("accounts.unlock_login"):
        raise NotAllowed()
    cleared = reset(username=user.username)
    audit_event(
        action=Action.UPDATE,
        username=acting_user.username,
        actor=acting_user,
        request=request,
        note=f"unlock login: {user.username}",
    )
    return cleared
