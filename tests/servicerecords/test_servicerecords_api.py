"""The service-records API: a person's services (read, record) and the area's list, scoped."""

from servicerecords.models import ServiceRecord
from tests.assistance.assistance_builders import disabled, give, outsider


def test_record_and_read_a_persons_services(personas, api):
    counsellor = personas["counsellor_chengguan"]
    p = disabled(counsellor)
    client = api(counsellor)
    body = {"service_type": "home_visit", "on": "2026-11-16", "channel": "home_visit", "language": "bo"}
    response = client.post(f"/api/v1/persons/{p.pk}/services", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["service_type"], data["staff"], data["unit"], data["version"]) == (
        "home_visit",
        counsellor.username,
        "540102002",
        1,
    )
    assert data["assistance_file"] == p.assistance_files.get().pk
    listed = client.get(f"/api/v1/persons/{p.pk}/services").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == data["id"]


def test_bad_input_answers_400_with_the_field(personas, api):
    counsellor = personas["counsellor_chengguan"]
    p = outsider(counsellor)
    client = api(counsellor)
    for body, field in (
        (
            {"service_type": "teleportation", "on": "2026-11-16", "channel": "phone", "language": "bo"},
            "service_type",
        ),
        ({"service_type": "consultation", "on": "2026-11-17", "channel": "phone", "language": "bo"}, "on"),
        ({"service_type": "consultation", "on": "1900-01-01", "channel": "phone", "language": "bo"}, "on"),
        ({"service_type": "consultation", "on": "2026-11-16", "channel": "fax", "language": "bo"}, "channel"),
    ):
        response = client.post(f"/api/v1/persons/{p.pk}/services", body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["errors"], response.json()
    assert not ServiceRecord.objects.exists()


def test_scope_and_roles(personas, api):
    counsellor = personas["counsellor_chengguan"]
    p = outsider(counsellor)
    give(counsellor, p, "2026-11-16", code="consultation")
    body = {"service_type": "consultation", "on": "2026-11-16", "channel": "phone", "language": "bo"}
    assert api(personas["counsellor_jiri"]).get(f"/api/v1/persons/{p.pk}/services").status_code == 404
    assert (
        api(personas["counsellor_jiri"])
        .post(f"/api/v1/persons/{p.pk}/services", body, format="json")
        .status_code
        == 404
    )
    district = api(personas["district_chengguan"])
    assert district.get(f"/api/v1/persons/{p.pk}/services").json()["count"] == 1
    assert district.post(f"/api/v1/persons/{p.pk}/services", body, format="json").status_code == 403
    assert api(personas["sysadmin"]).get("/api/v1/service-records/").status_code == 403
    assert api().get("/api/v1/service-records/").status_code == 401


def test_the_list_filters_and_pages(personas, api):
    barkor, jiri = personas["counsellor_chengguan"], personas["counsellor_jiri"]
    p = outsider(barkor)
    give(barkor, p, "2026-11-16", code="consultation")
    give(barkor, p, "2026-10-01", code="home_visit")
    n = outsider(jiri, "540102003")
    give(jiri, n, "2026-11-02", code="consultation")
    district = api(personas["district_chengguan"])
    assert district.get("/api/v1/service-records/").json()["count"] == 3
    assert api(barkor).get("/api/v1/service-records/").json()["count"] == 2
    assert district.get("/api/v1/service-records/?unit=540102003").json()["count"] == 1
    assert (
        district.get("/api/v1/service-records/?service_type=consultation&from=2026-11-01").json()["count"]
        == 2
    )
    assert (
        district.get("/api/v1/service-records/?to=2026-10-31").json()["results"][0]["service_type"]
        == "home_visit"
    )
    assert district.get(f"/api/v1/service-records/?person={n.pk}").json()["count"] == 1
    assert district.get("/api/v1/service-records/?page_size=1").json()["next"]
    for query, field in (("from=soon", "from"), ("service_type=nope", "service_type"), ("unit=999", "unit")):
        response = district.get(f"/api/v1/service-records/?{query}")
        assert response.status_code == 400 and field in response.json()["errors"]
