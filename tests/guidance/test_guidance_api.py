"""The guidance API: a person's guidance, one plan, moving a case; scope, roles, the error
shape, and the OpenAPI description."""

import pytest

from guidance.models import CaseState
from tests.guidance.guidance_builders import agree, case_at, draft_plan, fresh, seeker

S = CaseState


@pytest.fixture
def case_in_review(counsellor, today):
    case = case_at(counsellor, S.PLANNING)
    agree(counsellor, draft_plan(counsellor, case))
    return fresh(case)


def test_a_persons_guidance(api, counsellor, case_in_review):
    response = api(counsellor).get(f"/api/v1/persons/{case_in_review.person_id}/guidance")
    assert response.status_code == 200
    data = response.json()
    assert data["person"] == case_in_review.person_id
    case = data["case"]
    assert (case["id"], case["state"], case["step_number"], case["counsellor"]) == (
        case_in_review.pk,
        "review",
        5,
        counsellor.username,
    )
    assert {"target": "replanning", "kind": "forward", "note_required": True} in case["allowed_moves"]
    assert [s["to_state"] for s in data["steps"]] == [
        "intake",
        "assessment",
        "goal_analysis",
        "planning",
        "review",
    ]
    assert data["steps"][-1]["kind"] == "plan_agreed"
    plan = data["current_plan"]
    assert (plan["number"], plan["state"], plan["next_review_due"], plan["version"]) == (
        1,
        "agreed",
        "2026-12-25",
        2,
    )
    assert [a["description"] for a in plan["actions"]] == ["参加招聘会 1", "参加招聘会 2"]
    assert plan["actions"][0]["service_type"] == "job_recommendation"
    assert plan["reviews"] == []
    assert data["draft_plan"] is None
    assert [p["number"] for p in data["plans"]] == [1]
    assert data["assessments"][0]["results"] == {"兴趣": "动手型"}
    assert data["personal_policy_plans"] == [] and data["personal_policy_needed"] is False


def test_a_person_without_a_case(api, counsellor, today):
    person = seeker(counsellor)
    data = api(counsellor).get(f"/api/v1/persons/{person.pk}/guidance").json()
    assert data["case"] is None and data["steps"] == [] and data["current_plan"] is None


def test_one_plan(api, counsellor, case_in_review):
    plan = case_in_review.plans.get()
    response = api(counsellor).get(f"/api/v1/plans/{plan.pk}")
    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["case"], data["person"], data["agreed"]) == (
        plan.pk,
        case_in_review.pk,
        case_in_review.person_id,
        True,
    )


def test_a_transition(api, counsellor, case_in_review):
    url = f"/api/v1/guidance-cases/{case_in_review.pk}/transition"
    response = api(counsellor).post(
        url, {"target": "replanning", "version": case_in_review.version, "note": "岗位已满"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "replanning"
    # A stale version.
    response = api(counsellor).post(
        url, {"target": "planning", "version": case_in_review.version}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "concurrent_edit"


def test_an_illegal_jump_is_a_400_naming_both_steps(api, counsellor, today):
    case = case_at(counsellor, S.INTAKE)
    client = api(counsellor)
    response = client.post(
        f"/api/v1/guidance-cases/{case.pk}/transition",
        {"target": "planning", "version": case.version},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert body["errors"]["target"] == [
        "The case cannot go from “Intake” to “Employment plan”: “Assessment” comes first."
    ]
    response = client.post(
        f"/api/v1/guidance-cases/{case.pk}/transition", {"target": "nowhere", "version": 1}, format="json"
    )
    assert response.status_code == 400 and "target" in response.json()["errors"]
    response = client.post(
        f"/api/v1/guidance-cases/{case.pk}/transition", {"target": "closed"}, format="json"
    )
    assert response.status_code == 400 and "version" in response.json()["errors"]


def test_closing_through_the_api(api, counsellor, case_in_review):
    url = f"/api/v1/guidance-cases/{case_in_review.pk}/transition"
    response = api(counsellor).post(
        url, {"target": "closed", "version": case_in_review.version}, format="json"
    )
    assert response.status_code == 400 and "outcome" in response.json()["errors"]
    response = api(counsellor).post(
        url, {"target": "closed", "version": case_in_review.version, "outcome": "employed"}, format="json"
    )
    assert response.status_code == 200 and response.json()["outcome"] == "employed"


def test_scope_and_roles(api, personas, case_in_review):
    person, plan = case_in_review.person_id, case_in_review.plans.get().pk
    transition = f"/api/v1/guidance-cases/{case_in_review.pk}/transition"
    outsider = api(personas["counsellor_jiri"])
    assert outsider.get(f"/api/v1/persons/{person}/guidance").status_code == 404
    assert outsider.get(f"/api/v1/plans/{plan}").status_code == 404
    assert (
        outsider.post(
            transition, {"target": "replanning", "version": 1, "note": "x"}, format="json"
        ).status_code
        == 404
    )
    supervisor = api(personas["district_chengguan"])
    assert supervisor.get(f"/api/v1/persons/{person}/guidance").status_code == 200
    data = supervisor.get(f"/api/v1/persons/{person}/guidance").json()
    assert data["case"]["allowed_moves"] == []
    response = supervisor.post(transition, {"target": "replanning", "version": 1, "note": "x"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert api(personas["auditadmin"]).get(f"/api/v1/plans/{plan}").status_code == 403
    assert api().get(f"/api/v1/plans/{plan}").status_code == 401
    assert api(personas["counsellor_chengguan"]).get("/api/v1/plans/999999").status_code == 404


def test_the_endpoints_are_documented(api, personas):
    schema = api(personas["counsellor_chengguan"]).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "get" in paths["/api/v1/persons/{id}/guidance"]
    assert "get" in paths["/api/v1/plans/{id}"]
    assert "post" in paths["/api/v1/guidance-cases/{id}/transition"]
    components = schema["components"]["schemas"]
    assert {"target", "version", "note", "outcome"} <= set(components["CaseTransitionRequest"]["properties"])
    assert {"actions", "reviews", "number", "next_review_due"} <= set(components["Plan"]["properties"])
