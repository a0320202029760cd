"""Two staff edit the same record: the second save is refused and nothing is lost."""

from network.models import OrgUnit


def _form(unit, **changes):
    data = {
        "name_zh": unit.name_zh,
        "name_bo": unit.name_bo,
        "name_en": unit.name_en,
        "address": unit.address,
        "is_active": "on",
        "version": unit.version,
    }
    return data | changes


def test_second_save_of_a_stale_form_is_refused(personas, page_client):
    from tests.conftest import make_user

    other_admin = make_user("sysadmin2", "system_admin", "540100")
    unit = OrgUnit.objects.get(code="540102002")
    first, second = page_client(personas["sysadmin"]), page_client(other_admin)
    opened = _form(unit)  # both open the form at the same version
    assert (
        first.post("/network/units/540102002/edit/", opened | {"address": "北京东路1号"}).status_code == 302
    )
    response = second.post("/network/units/540102002/edit/", opened | {"address": "林廓北路2号"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    unit.refresh_from_db()
    assert unit.address == "北京东路1号"
    assert unit.version == 2
