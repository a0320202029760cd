"""Employer self-service accounts: opened by station heads, act for one employer, see no person data."""

import pytest

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEntry
from core.errors import NotAllowed, ValidationFailed
from employers.models import EmployerAccount
from employers.selectors import employer_for_account
from employers.services import employer_account_create
from tests.factories import person

STRONG = "Yak-butter-tea-2026"


def _open(personas, employer, username="barkhor-kitchen", password=STRONG, acting="head_chengguan"):
    return employer_account_create(
        acting_user=personas[acting], employer=employer, username=username, password=password, name_zh="卓玛"
    )


def test_station_head_opens_an_account_for_an_employer_in_the_area(personas, barkhor):
    account = _open(personas, barkhor)
    user = account.user
    assert user.role == Role.EMPLOYER
    assert user.unit is None  # scope then yields nothing, whatever a page forgets to check
    assert not (user.is_staff or user.is_superuser)
    assert user.check_password(STRONG)
    assert employer_for_account(user) == barkhor
    assert AuditEntry.objects.filter(object_type="employers.employeraccount", action="create").count() == 1
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert entry.changes["password"]["after"] == "******"


@pytest.mark.parametrize(
    "persona", ["counsellor_chengguan", "district_chengguan", "city", "sysadmin", "secadmin"]
)
def test_only_station_heads_open_employer_accounts(personas, barkhor, persona):
    with pytest.raises(NotAllowed):
        _open(personas, barkhor, acting=persona)
    assert not User.objects.filter(username="barkhor-kitchen").exists()


def test_not_for_an_employer_outside_the_area(personas, linzhou):
    with pytest.raises(NotAllowed):
        _open(personas, linzhou)


@pytest.mark.parametrize("password", ["short", "12345678901", "barkhor-kitchen"])
def test_password_goes_through_the_django_validators(personas, barkhor, password):
    with pytest.raises(ValidationFailed) as caught:
        _open(personas, barkhor, password=password)
    assert "password" in caught.value.errors
    assert not EmployerAccount.objects.exists()


def test_username_must_be_free(personas, barkhor):
    with pytest.raises(ValidationFailed) as caught:
        _open(personas, barkhor, username="city")
    assert "username" in caught.value.errors


def test_act_for_employer_holds_only_for_its_own_employer(personas, barkhor, make_employer):
    user = _open(personas, barkhor).user
    other = make_employer(8)
    assert user.has_perm("employers.act_for_employer", barkhor)
    assert not user.has_perm("employers.act_for_employer", other)
    assert not user.has_perm("employers.act_for_employer")
    # Staff do not act for employers, even those in their area.
    assert not personas["head_chengguan"].has_perm("employers.act_for_employer", barkhor)


def test_an_inactive_employer_account_acts_for_nobody(personas, barkhor):
    user = _open(personas, barkhor).user
    user.is_active = False
    user.save()
    assert not User.objects.get(pk=user.pk).has_perm("employers.act_for_employer", barkhor)


@pytest.mark.parametrize(
    "perm",
    [
        "people.view_person",
        "people.manage_person",
        "people.reveal_identifiers",
        "employers.view_employer",
        "employers.manage_employer",
        "employers.flag_key_enterprise",
        "employers.manage_employer_accounts",
        "dashboard.view",
        "network.view_orgunit",
        "occupations.view",
        "industries.view",
    ],
)
def test_an_employer_account_holds_no_staff_power(personas, barkhor, perm):
    user = _open(personas, barkhor).user
    assert user.has_perm(perm) is False


def test_an_employer_account_sees_no_person_data(personas, barkhor, api, page_client):
    tashi = person(user=personas["counsellor_chengguan"])
    user = _open(personas, barkhor).user
    assert api(user).get("/api/v1/persons/").status_code == 403
    assert api(user).get(f"/api/v1/persons/{tashi.pk}/").status_code == 403
    assert api(user).get("/api/v1/employers/").status_code == 403
    assert api(user).get(f"/api/v1/employers/{barkhor.pk}/").status_code == 403
    pages = page_client(user)
    assert pages.get("/people/").status_code == 403
    assert pages.get(f"/people/{tashi.pk}/").status_code == 403
    assert pages.get("/employers/").status_code == 403


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("counsellor_chengguan", {"view": True, "manage": True, "flag": True, "accounts": False}),
        ("head_chengguan", {"view": True, "manage": True, "flag": True, "accounts": True}),
        ("district_chengguan", {"view": True, "manage": False, "flag": False, "accounts": False}),
        ("city", {"view": True, "manage": False, "flag": False, "accounts": False}),
        ("sysadmin", {"view": False, "manage": False, "flag": False, "accounts": False}),
        ("secadmin", {"view": False, "manage": False, "flag": False, "accounts": False}),
        ("auditadmin", {"view": False, "manage": False, "flag": False, "accounts": False}),
    ],
)
def test_staff_permissions_by_role(personas, persona, expected):
    user = personas[persona]
    assert {
        "view": user.has_perm("employers.view_employer"),
        "manage": user.has_perm("employers.manage_employer"),
        "flag": user.has_perm("employers.flag_key_enterprise"),
        "accounts": user.has_perm("employers.manage_employer_accounts"),
    } == expected
