"""Second factor (SPEC §7, GB/T 22239 level 3): TOTP devices and one-time recovery codes.

A user of a role in settings.OTP_REQUIRED_ROLES must hold a confirmed TOTP device and
use it at every sign-in; anyone else may enrol, and then must use it too. Wrong codes
count towards the same django-axes lockout as wrong passwords and go on the audit trail.
"""

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from audit.models import Action
from audit.services import audit_event
from core.errors import DomainError, NotAllowed

TOTP_NAME = "totp"
RECOVERY_NAME = "recovery"
TOTP_DIGITS = TOTPDevice._meta.get_field("digits").default
# Where the fresh recovery codes wait in the session until the user has saved them.
RECOVERY_CODES_SESSION_KEY = "accounts.recovery_codes"


class SecondFactorError(DomainError):
    status = 401


class OtpRequired(SecondFactorError):
    code = "otp_required"
    default_message = _(
        "This account signs in with a second factor: send the 6-digit code of your "
        "authenticator app (or a recovery code) in the field otp. An account without an "
        "authenticator app enrols first by signing in on the web."
    )


class OtpInvalid(SecondFactorError):
    code = "otp_invalid"
    default_message = _("The code is not correct or has already been used.")


def second_factor_required(user) -> bool:
    return bool(user.is_authenticated and user.role in settings.OTP_REQUIRED_ROLES)


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def needs_second_factor(user) -> bool:
    """Required by role, or chosen by the user: an enrolled device is always asked for."""
    return second_factor_required(user) or confirmed_totp(user) is not None


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device the user is enrolling, made on first need and reused after."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def manual_secret(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    # segno writes only its own <svg>/<path> markup, no style attributes (the CSP is strict).
    return mark_safe(segno.make(device.config_url, micro=False).svg_inline(scale=4))  # noqa: S308


def _normalised(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()[:16]


def _record_failure(*, user: User, request, note: str) -> None:
    """Counted by django-axes like a wrong password; accounts.receivers audits it."""
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username(), "second_factor": note},
        request=request,
    )


@transaction.atomic
def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(settings.OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def confirm_enrolment(*, user: User, code: str, request) -> list[str]:
    """Confirm the device with a first code; returns the recovery codes to show once."""
    with transaction.atomic():
        device = enrolment_device(user)
        confirmed = device.verify_token(_normalised(code))
        if confirmed:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
            audit_event(
                action=Action.UPDATE,
                username=user.get_username(),
                actor=user,
                request=request,
                note="second factor enrolled",
            )
    if not confirmed:
        _record_failure(user=user, request=request, note="second factor enrolment code")
        raise OtpInvalid()
    django_otp.login(request, device)
    return codes


def check_code(*, user: User, code: str, request):
    """The device that accepted the code (a recovery code is used up), or OtpInvalid.

    The check is django-otp's, with its per-device throttle: each wrong code doubles the
    wait before the next one is even tried, across sign-ins.
    """
    token = _normalised(code)
    device = None
    if token:
        with transaction.atomic():
            device = _verified(user, token)
    if device is None:
        _record_failure(user=user, request=request, note="second factor code")
        raise OtpInvalid()
    return device


def _verified(user: User, token: str):
    is_totp = len(token) == TOTP_DIGITS and token.isdigit()
    candidates = TOTPDevice if is_totp else StaticDevice
    for device in candidates.objects.filter(user=user, confirmed=True).select_for_update():
        if device.verify_token(token):
            return device
    return None


def verify_session(*, request, code: str):
    """Check the code of the signed-in user and mark the session as verified."""
    device = check_code(user=request.user, code=code, request=request)
    django_otp.login(request, device)
    return device


def regenerate_recovery_codes(*, user: User, code: str, request) -> list[str]:
    """New codes replace all old ones, after the user proves they hold the factor."""
    check_code(user=user, code=code, request=request)
    codes = _new_recovery_codes(user)
    audit_event(
        action=Action.UPDATE,
        username=user.get_username(),
        actor=user,
        request=request,
        note="recovery codes regenerated",
    )
    return codes


@transaction.atomic
def reset_second_factor(*, acting_user, user: User, request=None) -> int:
    """The security administrator removes a lost factor; the user enrols again at sign-in."""
    if not acting_user.has_perm("accounts.reset_second_factor"):
        raise NotAllowed()
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    audit_event(
        action=Action.UPDATE,
        username=acting_user.get_username(),
        actor=acting_user,
        request=request,
        note=f"second factor reset: {user.get_username()}",
    )
    return removed
