import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import Role
from network.models import OrgUnit, ServicePoint, ServiceVisit

SPEC_ACCOUNTS = {
    "demo-counsellor-chengguan": (Role.COUNSELLOR, "540102002"),
    "demo-counsellor-linzhou": (Role.COUNSELLOR, "540121100"),
    "demo-head-chengguan": (Role.STATION_HEAD, "540102002"),
    "demo-district-chengguan": (Role.DISTRICT_SUPERVISOR, "540102"),
    "demo-city": (Role.CITY_SUPERVISOR, "540100"),
    "demo-sysadmin": (Role.SYSTEM_ADMIN, "540100"),
    "demo-secadmin": (Role.SECURITY_ADMIN, "540100"),
    "demo-auditadmin": (Role.AUDIT_ADMIN, "540100"),
}


def _snapshot():
    return (
        sorted(User.objects.values_list("username", "name_zh", "role", "unit__code")),
        sorted(OrgUnit.objects.filter(level="village").values_list("code", "name_zh", "name_bo")),
        sorted(ServicePoint.objects.values_list("name_zh", "unit__code")),
    )


def test_seed_creates_the_spec_accounts_and_a_city(db, settings):
    call_command("seed_demo", "--seed", "7", verbosity=0)
    for username, (role, code) in SPEC_ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert (user.role, user.unit.code) == (role, code)
        assert user.check_password(settings.DEMO_PASSWORD)
        assert user.name_zh and user.name_bo
    assert (
        OrgUnit.objects.filter(level="village").count()
        == 2 * OrgUnit.objects.filter(level="township").count()
    )
    assert set(User.objects.values_list("role", flat=True)) >= set(Role.values)
    assert ServicePoint.objects.filter(kind="roving_team").exists()
    assert ServicePoint.objects.filter(kind="mobile_point", unit__code__startswith="540121").exists()
    assert ServiceVisit.objects.exists()
    assert all(u.name_bo for u in OrgUnit.objects.all())


def test_seed_is_deterministic(db):
    call_command("seed_demo", "--seed", "7", verbosity=0)
    first = _snapshot()
    User.objects.all().delete()
    ServiceVisit.objects.all().delete()
    ServicePoint.objects.all().delete()
    OrgUnit.objects.filter(level="village").delete()
    call_command("seed_demo", "--seed", "7", verbosity=0)
    assert _snapshot() == first


def test_seed_refuses_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()


def test_demo_counsellor_can_sign_in(db, settings, client):
    call_command("seed_demo", verbosity=0)
    response = client.post(
        "/accounts/login/", {"username": "demo-counsellor-chengguan", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302
