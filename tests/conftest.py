"""Shared fixtures: reference data once per database, and personas for every role.

Personas follow the healthchecks idea: each access test has a user of the unit, a
user of a sibling unit, and supervisors above both.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import Role
from network.models import OrgUnit

PASSWORD = "Test-pass-2026"

PERSONAS = {
    # name: (role, unit code)
    "counsellor_chengguan": (Role.COUNSELLOR, "540102002"),  # 八廓街道
    "counsellor_jiri": (Role.COUNSELLOR, "540102003"),  # sibling street in 城关区
    "counsellor_linzhou": (Role.COUNSELLOR, "540121100"),  # 甘丹曲果镇, 林周县
    "head_chengguan": (Role.STATION_HEAD, "540102002"),
    "district_chengguan": (Role.DISTRICT_SUPERVISOR, "540102"),
    "district_linzhou": (Role.DISTRICT_SUPERVISOR, "540121"),
    "city": (Role.CITY_SUPERVISOR, "540100"),
    "sysadmin": (Role.SYSTEM_ADMIN, "540100"),
    "secadmin": (Role.SECURITY_ADMIN, "540100"),
    "auditadmin": (Role.AUDIT_ADMIN, "540100"),
}


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is the production hasher (tested in test_login); tests need speed elsewhere.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits (sign-in per address, public API) count in the cache: each test starts at zero.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_calendar():
    # Tests roll back their holiday-table edits; the process-wide calendar must follow.
    yield
    from workcalendar.services import invalidate_calendar

    invalidate_calendar()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests (live server, real threads) flush every table when they end;
    put the reference tables back for the tests that follow on the same worker."""
    if not {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        if not OrgUnit.objects.exists():
            call_command("load_reference", verbosity=0)


def make_user(username: str, role: str, unit_code: str, **extra) -> User:
    user = User(
        username=username,
        role=role,
        unit=OrgUnit.objects.get(code=unit_code),
        name_zh=extra.pop("name_zh", username),
        **extra,
    )
    if role == Role.COUNSELLOR:
        user.qualification_level = user.qualification_level or 3
    user.set_password(PASSWORD)
    user.password_changed_at = timezone.now()
    user.save()
    return user


# A fixed TOTP key for tests that sign in through the form (browser tests, login tests).
OTP_KEY = "3132333435363738393031323334353637383930"


def enrol_totp(user: User, key: str = OTP_KEY) -> TOTPDevice:
    """A confirmed authenticator device with a known key, as if the user had enrolled."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="totp", key=key, confirmed=True)


def otp_code(device_or_key=OTP_KEY, *, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now for this key (or a later step's code)."""
    key = device_or_key.bin_key if isinstance(device_or_key, TOTPDevice) else bytes.fromhex(device_or_key)
    return f"{totp(key, drift=offset_steps):06d}"


def verify_client_session(client: Client, user: User) -> None:
    """Mark a test client's session as second-factor verified, as django_otp.login does."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = enrol_totp(user).persistent_id
    session.save()


@pytest.fixture
def personas(db):
    return {name: make_user(name, role, code) for name, (role, code) in PERSONAS.items()}


@pytest.fixture
def api():
    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def page_client(db):
    """A signed-in client past every sign-in step: second factor verified where the role
    needs one (accounts.middleware), and a current password. Tests of those steps
    themselves use a plain Client."""

    def client_for(user):
        if user.password_changed_at is None and user.has_usable_password():
            user.password_changed_at = timezone.now()
            user.save(update_fields=["password_changed_at"])
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if user.role in settings.OTP_REQUIRED_ROLES:
            verify_client_session(client, user)
        return client

    return client_for
