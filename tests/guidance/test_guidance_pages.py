"""The guidance pages: the person's page through the six steps with its forms, refusals shown
next to the form, scope and roles, the person-file card, 一人一策 list and export, programmes,
and every page in zh-hans, bo and en (Tibetan without English)."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from guidance import plan_services, programme_services
from guidance.cohort import CohortFilter
from guidance.models import CaseState, EmploymentPlan, GuidanceCase, PersonalPolicyPlan, PlanState, Programme
from guidance.policy_services import personal_policy_tasks
from network.models import OrgUnit
from privacy.models import PersonalDataAccess
from tests.core.test_translations import ALLOWED, _Text
from tests.guidance.conftest import at
from tests.guidance.guidance_builders import agree, case_at, draft_plan, fresh, seeker
from tests.ratios.conftest import pending_msgids_as_tibetan  # noqa: F401 - a fixture

S = CaseState


def body(response, status: int = 200) -> str:
    assert response.status_code == status, response.content[:2000]
    return response.content.decode()


def page(person) -> str:
    return reverse("guidance:person", args=[person.pk])


def post(client, name, pk, data=None, status=302):
    response = client.post(reverse(f"guidance:{name}", args=[pk]), data or {})
    assert response.status_code == status, response.content.decode()[:3000]
    return response


@pytest.fixture
def client(page_client, counsellor):
    return page_client(counsellor)


def test_the_urls():
    assert reverse("guidance:person", args=[7]) == "/guidance/person/7/"
    assert reverse("guidance:plan_pdf", args=[7]) == "/guidance/plan/7.pdf"
    assert reverse("guidance:personal_policy_missing") == "/guidance/personal-policy/"
    assert reverse("guidance:programme_list") == "/guidance/programmes/"


def test_through_the_six_steps_on_the_page(client, counsellor, today):
    person = seeker(counsellor)
    html = body(client.get(page(person)))
    assert reverse("guidance:case_open", args=[person.pk]) in html and "data-step" not in html
    post(client, "case_open", person.pk)
    case = GuidanceCase.objects.get(person=person)
    html = body(client.get(page(person)))
    assert re.search(r'<li class="current" aria-current="step" data-step="intake">', html)
    post(client, "step_record", case.pk, {"notes": "想在酒店工作", "on": "2026-11-25"})
    post(client, "case_move", case.pk, {"target": "assessment", "version": fresh(case).version})
    post(
        client,
        "step_record",
        case.pk,
        {"instrument": "面谈", "summary": "沟通能力好", "results": '{"R": 12}', "on": "2026-11-25"},
    )
    assert case.assessments.get().results == {"R": 12}
    post(client, "case_move", case.pk, {"target": "goal_analysis", "version": fresh(case).version})
    post(client, "step_record", case.pk, {"reasoning": "有服务经验", "goals": "酒店前台", "on": ""})
    post(client, "case_move", case.pk, {"target": "planning", "version": fresh(case).version})
    post(client, "plan_create", case.pk)
    plan = EmploymentPlan.objects.get(case=case)
    assert plan.goals == "酒店前台"
    post(client, "plan_action_add", plan.pk, {"description": "参加酒店招聘会", "due_on": "2026-12-10"})
    post(
        client,
        "plan_update",
        plan.pk,
        {
            "goals": "酒店前台或客房",
            "valid_from": "2026-11-25",
            "valid_until": "2027-02-25",
            "review_every_days": "30",
            "version": EmploymentPlan.objects.get(pk=plan.pk).version,
        },
    )
    post(
        client,
        "plan_agree",
        plan.pk,
        {
            "agreed_on": "2026-11-25",
            "signed": "on",
            "version": EmploymentPlan.objects.get(pk=plan.pk).version,
        },
    )
    assert fresh(case).state == S.REVIEW
    html = body(client.get(page(person)))
    assert re.search(r'<li class="current" aria-current="step" data-step="review">', html)
    assert html.count('<li class="done"') == 4
    assert reverse("guidance:plan_pdf", args=[plan.pk]) in html
    plan = EmploymentPlan.objects.get(pk=plan.pk)
    post(
        client,
        "plan_review",
        plan.pk,
        {"on": "2026-11-25", "notes": "进展顺利", "decision": "adjust", "version": plan.version},
    )
    draft = EmploymentPlan.objects.get(case=case, state=PlanState.DRAFT)
    assert draft.number == 2
    html = body(client.get(page(person)))
    assert (
        f'id="plan-{draft.pk}" data-state="draft"' in html
        and f'id="plan-{plan.pk}" data-state="agreed"' in html
    )
    post(client, "plan_action_done", plan.actions.get().pk, {"done_on": "2026-11-25"})
    post(
        client,
        "case_move",
        case.pk,
        {
            "form": "close",
            "target": "closed",
            "outcome": "employed",
            "note": "入职",
            "version": fresh(case).version,
        },
    )
    assert fresh(case).state == S.CLOSED
    assert "data-step" in body(client.get(page(person)))


def test_a_jump_is_refused_on_the_page_naming_both_steps(client, counsellor, today):
    case = case_at(counsellor, S.INTAKE)
    with translation.override("zh-hans"):
        html = body(
            client.post(
                reverse("guidance:case_move", args=[case.pk]),
                {"form": "revisit", "target": "goal_analysis", "version": case.version},
            ),
            400,
        )
        for step in (S.INTAKE, S.GOAL_ANALYSIS, S.ASSESSMENT):
            assert str(S(step).label) in html
    assert fresh(case).state == S.INTAKE


def test_a_revisit_without_a_note_is_refused_next_to_the_form(client, counsellor, today):
    case = case_at(counsellor, S.GOAL_ANALYSIS)
    html = body(
        client.post(
            reverse("guidance:case_move", args=[case.pk]),
            {"form": "revisit", "target": "intake", "version": case.version},
        ),
        400,
    )
    assert '<details class="add-form" open>' in html
    assert fresh(case).state == S.GOAL_ANALYSIS
    post(
        client,
        "case_move",
        case.pk,
        {"form": "revisit", "target": "intake", "note": "补充信息", "version": case.version},
    )
    assert fresh(case).state == S.INTAKE


def test_a_stale_form_answers_409(client, counsellor, today):
    case = case_at(counsellor, S.GOAL_ANALYSIS)
    stale = case.version
    post(client, "case_move", case.pk, {"form": "revisit", "target": "intake", "note": "x", "version": stale})
    body(
        client.post(
            reverse("guidance:case_move", args=[case.pk]),
            {"form": "revisit", "target": "intake", "note": "y", "version": stale},
        ),
        409,
    )


def test_agreeing_needs_the_signature_tick(client, counsellor, today):
    case = case_at(counsellor, S.PLANNING)
    plan = draft_plan(counsellor, case)
    html = body(
        client.post(
            reverse("guidance:plan_agree", args=[plan.pk]),
            {"agreed_on": "2026-11-25", "version": plan.version},
        ),
        400,
    )
    assert 'role="alert"' in html
    assert EmploymentPlan.objects.get(pk=plan.pk).state == PlanState.DRAFT


def test_scope_and_roles(page_client, personas, counsellor, today):
    case = case_at(counsellor, S.PLANNING)
    person = case.person
    assert page_client(personas["counsellor_jiri"]).get(page(person)).status_code == 404
    supervisor = page_client(personas["district_chengguan"])
    html = body(supervisor.get(page(person)))
    assert "<form" not in html.split('id="case"')[1].split("</section>")[0]
    assert supervisor.post(reverse("guidance:case_move", args=[case.pk]), {}).status_code == 403
    assert page_client(personas["sysadmin"]).get(page(person)).status_code == 403
    assert (
        page_client(personas["counsellor_jiri"])
        .post(reverse("guidance:case_open", args=[person.pk]))
        .status_code
        == 404
    )


def test_the_card_on_the_person_file(client, counsellor, today):
    case = case_at(counsellor, S.PLANNING)
    agree(counsellor, draft_plan(counsellor, case))
    html = body(client.get(reverse("people:person_detail", args=[case.person_id])))
    card = re.search(r'<section id="guidance".*?</section>', html, re.S).group(0)
    assert "2026年12月25日" in card  # the next review
    assert 'data-guidance="step"' in card and page(case.person) in card
    with translation.override("en"):
        html = body(client.get(reverse("people:person_detail", args=[seeker(counsellor).pk])))
    assert 'id="guidance"' in html


def test_the_personal_policy_list_export_and_form(client, page_client, counsellor, personas):
    with at("2025-01-01"):
        person = seeker(counsellor, unemployed_since=datetime.date(2025, 1, 5))
    with at("2026-02-01"):
        personal_policy_tasks()
        html = body(client.get(reverse("guidance:personal_policy_missing")))
        assert person.id_number_masked in html and page(person) in html
        jiri = page_client(personas["counsellor_jiri"])
        assert person.id_number_masked not in body(jiri.get(reverse("guidance:personal_policy_missing")))
        response = client.get(reverse("guidance:personal_policy_missing") + "?unit=540102002&format=xlsx")
        assert response.status_code == 200
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert len(rows) == 2 and rows[1][3] == person.id_number_masked and person.id_number not in str(rows)
        entry = PersonalDataAccess.objects.get(kind="export")
        assert (entry.record_count, entry.user) == (1, counsellor)
        html = body(client.get(page(person)))
        assert 'id="personal-policy"' in html
        post(
            client,
            "personal_policy_add",
            person.pk,
            {"situation": "长期失业", "measures": "公益性岗位", "review_on": "2026-05-01"},
        )
        assert PersonalPolicyPlan.objects.get(person=person).number == 1
        assert person.id_number_masked not in body(client.get(reverse("guidance:personal_policy_missing")))


def test_programme_pages(page_client, head, counsellor, today):
    graduate = seeker(
        counsellor, education="bachelor", graduation_date=datetime.date(2026, 7, 1), birth="20030303"
    )
    client = page_client(head)
    body(client.get(reverse("guidance:programme_list")))
    body(client.get(reverse("guidance:programme_create")))
    response = client.post(
        reverse("guidance:programme_create"),
        {
            "title_zh": "毕业生求职训练营",
            "title_bo": "མཐར་ཕྱིན་སློབ་མའི་ལས་འཚོལ་སྦྱོང་བརྡར།",
            "unit": "540102002",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-31",
            "key_group": "unemployed_graduate",
            "education": ["bachelor"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    programme = Programme.objects.get()
    html = body(client.get(reverse("guidance:programme_detail", args=[programme.pk])))
    assert graduate.id_number_masked in html
    post(client, "programme_enrol", programme.pk)
    post(
        client,
        "session_add",
        programme.pk,
        {"on": "2026-12-05", "starts_at": "10:00", "place": "服务站", "topic": "面试"},
    )
    session = programme.sessions.get()
    body(client.get(reverse("guidance:attendance", args=[session.pk])))
    post(client, "attendance", session.pk, {"present": [str(graduate.pk)]})
    response = client.get(reverse("guidance:attendance_export", args=[programme.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][2] == graduate.id_number_masked and rows[1][-1] == 1
    assert PersonalDataAccess.objects.filter(kind="export", user=head).count() == 1
    html = body(client.get(reverse("guidance:programme_edit", args=[programme.pk])))
    response = client.post(
        reverse("guidance:programme_edit", args=[programme.pk]),
        {
            "title_zh": "改名",
            "unit": "540102002",
            "starts_on": "2026-12-01",
            "ends_on": "2026-11-01",
            "version": programme.version,
        },
    )
    assert response.status_code == 400


# --- languages ---------------------------------------------------------------------------------


@pytest.fixture
def world(counsellor, head, today):
    case = case_at(
        counsellor, S.PLANNING, person=seeker(counsellor, unemployed_since=datetime.date(2024, 1, 1))
    )
    plan = agree(counsellor, draft_plan(counsellor, case))
    plan_services.plan_review_record(
        acting_user=counsellor, plan=plan, version=plan.version, notes="好", decision="adjust"
    )
    programme = programme_services.programme_save(
        acting_user=head,
        values={
            "title_zh": "预防性指导",
            "title_bo": "སྔོན་འགོག་ལམ་སྟོན།",
            "description": "",
            "audience_note": "",
            "unit": OrgUnit.objects.get(code="540102002"),
            "starts_on": today,
            "ends_on": today,
        },
        cohort_filter=CohortFilter(),
    )
    programme_services.programme_enrol_cohort(acting_user=head, programme=programme)
    session = programme_services.session_add(
        acting_user=head, programme=programme, on=today, starts_at=datetime.time(10), place="站"
    )
    return {"person": case.person, "programme": programme, "session": session}


def _paths(world):
    return [
        page(world["person"]),
        reverse("people:person_detail", args=[world["person"].pk]),
        reverse("guidance:personal_policy_missing"),
        reverse("guidance:programme_list"),
        reverse("guidance:programme_create"),
        reverse("guidance:programme_detail", args=[world["programme"].pk]),
        reverse("guidance:attendance", args=[world["session"].pk]),
    ]


@pytest.mark.parametrize(("language", "html_lang"), [("zh-hans", "zh-Hans"), ("en", "en"), ("bo", "bo")])
def test_pages_render_in_every_language(page_client, head, world, language, html_lang):
    head.language = language
    head.save(update_fields=["language"])
    client = page_client(head)
    for path in _paths(world):
        html = body(client.get(path))
        assert f'<html lang="{html_lang}">' in html, path
        if language == "bo":
            assert re.search(r"[\u0f00-\u0fff]", html), path


def test_tibetan_pages_show_no_english(page_client, head, world, pending_msgids_as_tibetan):  # noqa: F811
    head.language = "bo"
    head.save(update_fields=["language"])
    client = page_client(head)
    allowed = set(ALLOWED) | {"head", "counsellor", "chengguan", "PDF", "JSON"}  # user names in the data
    allowed |= {word for name in OrgUnit.objects.values_list("name_en", flat=True) for word in name.split()}
    for path in _paths(world):
        parser = _Text()
        parser.feed(body(client.get(path)))
        words = set(re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", " ".join(parser.chunks)))
        assert words - allowed == set(), (path, words - allowed)
