"""The assistance-files API: list and detail under scope, closure proposed and decided."""

from assistance.models import AssistanceFile, FileStatus


def test_the_list_is_scoped_and_filtered(personas, api, world, frozen):
    district = api(personas["district_chengguan"]).get("/api/v1/assistance-files/").json()
    persons = {row["person"]["id"] for row in district["results"]}
    assert persons == {world[k].pk for k in "abcdeghi"}
    row = next(r for r in district["results"] if r["person"]["id"] == world["a"].pk)
    assert row["person"]["id_number"] == world["a"].id_number_masked
    assert (row["category"], row["status"], row["first_assistance_on"], row["opened_by"]) == (
        "disabled",
        "open",
        "2026-11-16",
        None,
    )
    city = api(personas["city"])
    assert city.get("/api/v1/assistance-files/?status=closed").json()["count"] == 1
    assert (
        city.get("/api/v1/assistance-files/?unit=540121").json()["results"][0]["person"]["id"]
        == world["j"].pk
    )
    assert city.get("/api/v1/assistance-files/?category=unemployed_graduate").json()["count"] == 2
    AssistanceFile.objects.filter(person=world["i"]).update(first_assistance_due="2026-11-15")
    overdue = city.get("/api/v1/assistance-files/?overdue=true").json()
    assert [r["person"]["id"] for r in overdue["results"]] == [world["i"].pk]
    assert overdue["results"][0]["first_assistance_overdue"] is True
    for query, field in (
        ("status=lost", "status"),
        ("overdue=maybe", "overdue"),
        ("category=none", "category"),
    ):
        response = city.get(f"/api/v1/assistance-files/?{query}")
        assert response.status_code == 400 and field in response.json()["errors"]
    assert api(personas["sysadmin"]).get("/api/v1/assistance-files/").status_code == 403


def test_the_detail_has_measures_and_services(personas, api, world, frozen):
    file = AssistanceFile.objects.get(person=world["a"])
    data = api(personas["counsellor_chengguan"]).get(f"/api/v1/assistance-files/{file.pk}/").json()
    assert {m["kind"] for m in data["measures"]} >= {"job_recommendation", "public_welfare_post"}
    assert [(s["on"], s["service_type"]) for s in data["services"]] == [("2026-11-16", "home_visit")]
    assert api(personas["counsellor_jiri"]).get(f"/api/v1/assistance-files/{file.pk}/").status_code == 404


def test_closure_proposed_then_decided(personas, api, world, frozen):
    file = AssistanceFile.objects.get(person=world["b"])
    url = f"/api/v1/assistance-files/{file.pk}/closure"
    counsellor, head = api(personas["counsellor_chengguan"]), api(personas["head_chengguan"])
    missing = counsellor.post(url, {"action": "propose", "version": 1}, format="json")
    assert missing.status_code == 400 and "outcome" in missing.json()["errors"]
    moved = counsellor.post(url, {"action": "propose", "outcome": "moved_away", "version": 1}, format="json")
    assert moved.status_code == 400 and "note" in moved.json()["errors"]
    proposed = counsellor.post(url, {"action": "propose", "outcome": "employed", "version": 1}, format="json")
    assert proposed.status_code == 200 and proposed.json()["status"] == "closing"
    assert proposed.json()["proposed_by"] == "counsellor_chengguan"
    refused = counsellor.post(url, {"action": "decide", "approve": True, "version": 2}, format="json")
    assert refused.status_code == 403
    stale = head.post(url, {"action": "decide", "approve": True, "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "concurrent_edit"
    no_reason = head.post(url, {"action": "decide", "approve": False, "version": 2}, format="json")
    assert no_reason.status_code == 400
    decided = head.post(url, {"action": "decide", "approve": True, "version": 2}, format="json")
    assert decided.status_code == 200 and decided.json()["closed_by"] == "head_chengguan"
    assert AssistanceFile.objects.get(pk=file.pk).status == FileStatus.CLOSED
    outside = api(personas["counsellor_jiri"]).post(
        url, {"action": "propose", "outcome": "employed", "version": 3}, format="json"
    )
    assert outside.status_code == 404


def test_the_schema_documents_the_endpoints(api, personas):
    schema = api(personas["city"]).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in (
        "/api/v1/assistance-files/",
        "/api/v1/assistance-files/{id}/",
        "/api/v1/assistance-files/{id}/closure",
        "/api/v1/persons/{id}/services",
        "/api/v1/service-records/",
    ):
        assert path in text, path
