"""三员分立: system, security and audit administrators each hold one power only."""

import pytest

from accounts.roles import Role
from accounts.services import staff_assign_role, staff_create
from core.errors import NotAllowed
from network.models import OrgUnit

POWERS = {
    "network.manage_orgunit": {"sysadmin"},
    "accounts.manage_staff": {"sysadmin"},
    "workcalendar.manage_days": {"sysadmin"},
    "accounts.assign_role": {"secadmin"},
    "accounts.unlock_login": {"secadmin"},
    "audit.view_log": {"auditadmin"},
    "network.view_servicepoint": {
        "counsellor_chengguan",
        "counsellor_jiri",
        "counsellor_linzhou",
        "head_chengguan",
        "district_chengguan",
        "district_linzhou",
        "city",
    },
}


@pytest.mark.parametrize("perm", sorted(POWERS))
def test_each_power_belongs_to_exactly_the_expected_roles(personas, perm):
    holders = {name for name, user in personas.items() if user.has_perm(perm)}
    assert holders == POWERS[perm]


def test_no_administrator_is_a_django_superuser(personas):
    for name in ("sysadmin", "secadmin", "auditadmin"):
        assert not personas[name].is_superuser


@pytest.mark.parametrize(
    ("persona", "url", "expected"),
    [
        ("sysadmin", "/audit/", 403),
        ("secadmin", "/audit/", 403),
        ("auditadmin", "/audit/", 200),
        ("auditadmin", "/accounts/staff/new/", 403),
        ("secadmin", "/accounts/staff/new/", 403),
        ("sysadmin", "/accounts/staff/new/", 200),
        ("auditadmin", "/network/units/540102/edit/", 403),
        ("secadmin", "/network/units/540102/edit/", 403),
        ("sysadmin", "/network/units/540102/edit/", 200),
        ("sysadmin", "/network/points/", 403),  # administrators see no service records
        ("secadmin", "/network/points/", 403),
        ("auditadmin", "/network/points/", 403),
        ("city", "/audit/", 403),
        ("city", "/calendar/new/", 403),
        ("sysadmin", "/calendar/new/", 200),
    ],
)
def test_pages_follow_the_split(personas, page_client, persona, url, expected):
    assert page_client(personas[persona]).get(url).status_code == expected


def test_system_admin_creates_accounts_but_cannot_grant_roles(personas):
    user = staff_create(
        acting_user=personas["sysadmin"],
        username="new-counsellor",
        password="Xy7-strong-pass",
        unit=OrgUnit.objects.get(code="540102002"),
        qualification_level=3,
    )
    assert user.role == ""
    with pytest.raises(NotAllowed):
        staff_assign_role(
            acting_user=personas["sysadmin"], user=user, role=Role.COUNSELLOR, expected_version=user.version
        )
    staff_assign_role(
        acting_user=personas["secadmin"], user=user, role=Role.COUNSELLOR, expected_version=user.version
    )
    user.refresh_from_db()
    assert user.role == Role.COUNSELLOR


def test_security_admin_cannot_create_accounts_or_change_own_role(personas):
    with pytest.raises(NotAllowed):
        staff_create(
            acting_user=personas["secadmin"],
            username="x",
            password="Xy7-strong-pass",
            unit=OrgUnit.objects.get(code="540100"),
        )
    me = personas["secadmin"]
    with pytest.raises(NotAllowed):
        staff_assign_role(acting_user=me, user=me, role=Role.AUDIT_ADMIN, expected_version=me.version)


def test_role_must_fit_unit_level_and_qualification(personas):
    from core.errors import ValidationFailed

    sec = personas["secadmin"]
    unqualified = staff_create(
        acting_user=personas["sysadmin"],
        username="trainee",
        password="Xy7-strong-pass",
        unit=OrgUnit.objects.get(code="540102002"),
        qualification_level=4,
    )
    with pytest.raises(ValidationFailed) as low:
        staff_assign_role(acting_user=sec, user=unqualified, role=Role.COUNSELLOR, expected_version=1)
    assert "role" in low.value.errors
    with pytest.raises(ValidationFailed):
        staff_assign_role(acting_user=sec, user=unqualified, role=Role.CITY_SUPERVISOR, expected_version=1)
    unqualified.refresh_from_db()
    assert unqualified.role == ""


def test_role_assignment_through_the_page(personas, page_client):
    target = personas["counsellor_jiri"]
    client = page_client(personas["secadmin"])
    response = client.post(
        f"/accounts/staff/{target.pk}/role/", {"role": Role.STATION_HEAD, "version": target.version}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.STATION_HEAD
    stale = client.post(f"/accounts/staff/{target.pk}/role/", {"role": Role.COUNSELLOR, "version": 1})
    assert stale.status_code == 400
    target.refresh_from_db()
    assert target.role == Role.STATION_HEAD


def test_staff_export_is_scoped_and_audited(personas, page_client):
    import io

    from openpyxl import load_workbook

    from audit.models import Action, AuditEntry

    response = page_client(personas["district_linzhou"]).get("/accounts/staff/", {"format": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {row[0] for row in rows[1:]} == {"counsellor_linzhou", "district_linzhou"}
    assert AuditEntry.objects.filter(action=Action.EXPORT, actor_username="district_linzhou").exists()
