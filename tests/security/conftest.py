"""Shared fixtures of the security tests: one "world" with a record of every kind in
八廓街道 (540102002), the personas of every role, and an employer's self-service account.

`build_world()` makes it; `world` gives a fresh one per test (the usual `db` rollback);
`shared_world` builds it once per module inside an outer transaction that is rolled back
when the module ends, for tests that only read it or undo their own writes (the
authorisation matrix). Transactional tests (real threads, killed processes) call
`build_world()` themselves after their own set-up.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tests.conftest import PERSONAS, make_user

HOME_UNIT = "540102002"  # 八廓街道: where every world record lives
EMPLOYER_USERNAME = "employer_barkhor"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _credit_code(body: str) -> str:
    from stdnum.cn import uscc

    return body + uscc.calc_check_digit(body)


def _first(queryset):
    found = queryset.order_by("pk").first()
    assert found is not None, f"the world needs a {queryset.model.__name__}"
    return found


def build_world() -> SimpleNamespace:  # noqa: PLR0915 - one record of each kind, in order
    """Every kind of record the URLs take, all owned by 八廓街道, made through the services."""
    from assistance.models import AssistanceFile, FileMeasure
    from employers.services import employer_account_create
    from guidance import programme_services
    from guidance.cohort import CohortFilter
    from guidance.models import CaseState
    from households.services import household_create
    from keygroups.models import Category, Membership
    from keygroups.services import membership_add_manual
    from network.models import OrgUnit
    from notifications.services import push_to_person
    from occupations.models import Occupation
    from people.choices import ConsentPurpose
    from people.services import consent_give
    from recommendations.models import State
    from registrations.models import Kind as RegistrationKind
    from registrations.services import registration_open
    from servicerecords.models import ServiceType
    from tests.assistance.assistance_builders import give
    from tests.factories import ServicePointFactory
    from tests.guidance.guidance_builders import case_at, draft_plan, seeker
    from tests.recommendations.recommendation_builders import published_vacancy, recommendation
    from training.services import course_create, course_publish, provider_create
    from workcalendar.services import regional_day_create
    from worklist.models import Kind as WorkKind
    from worklist.models import WorkItem
    from worklist.services import item_open

    today = timezone.localdate()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        users = {name: make_user(name, role, code) for name, (role, code) in PERSONAS.items()}
    counsellor, head = users["counsellor_chengguan"], users["head_chengguan"]
    unit = OrgUnit.objects.get(code=HOME_UNIT)

    person = seeker(counsellor, name_zh="次仁卓玛")
    consent = consent_give(acting_user=counsellor, person=person, purpose=ConsentPurpose.NOTIFICATIONS)
    registration = registration_open(
        acting_user=counsellor,
        person=person,
        kind=RegistrationKind.UNEMPLOYMENT,
        registered_on=today,
        reason="合同到期",
    )
    household = household_create(acting_user=counsellor, unit=unit, address="八廓街 12 号")
    category = Category.objects.get(code="veteran")
    membership_add_manual(
        acting_user=counsellor, person=person, category=category, started_on=today, evidence="退役证 2019-001"
    )
    membership = _first(Membership.objects.filter(person=person, category=category))
    assistance = AssistanceFile.objects.filter(person=person).order_by("pk").first()
    if assistance is None:
        from assistance.services import file_open

        assistance = file_open(person=person, category=category, opened_on=today, acting_user=counsellor)
    measure = FileMeasure.objects.filter(file=assistance).order_by("pk").first()
    if measure is None:
        from assistance.services import measure_add

        measure = measure_add(acting_user=counsellor, file=assistance, kind="job_recommendation")
    service = give(counsellor, person, today)

    vacancy = published_vacancy(counsellor, head)
    employer = vacancy.employer
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        account = employer_account_create(
            acting_user=head,
            employer=employer,
            username=EMPLOYER_USERNAME,
            password="Employer-pass-2026",
            name_zh="雪域餐饮人事",
        )
    rec = recommendation(State.REFERRED, counsellor=counsellor, head=head, person=person, vacancy=vacancy)

    case = case_at(counsellor, CaseState.PLANNING, person=person)
    plan = draft_plan(counsellor, case)
    plan_action = _first(plan.actions.all())
    programme = programme_services.programme_save(
        acting_user=head,
        values={
            "title_zh": "预防性指导",
            "title_bo": "སྔོན་འགོག་ལམ་སྟོན།",
            "description": "",
            "audience_note": "",
            "unit": unit,
            "starts_on": today,
            "ends_on": today + datetime.timedelta(days=30),
        },
        cohort_filter=CohortFilter(),
    )
    session = programme_services.session_add(
        acting_user=head, programme=programme, on=today, starts_at=datetime.time(10), place="服务站"
    )

    work_item = (
        WorkItem.objects.filter(person=person, done_on__isnull=True, cancelled_on__isnull=True)
        .order_by("pk")
        .first()
    )
    if work_item is None:
        work_item = item_open(
            kind=WorkKind.FIRST_ASSISTANCE,
            source=person,
            due_on=today + datetime.timedelta(days=5),
            person=person,
        )

    cook = Occupation.objects.get(code="4-03-02-01")
    provider = provider_create(
        acting_user=head,
        values={
            "name_zh": "拉萨八廓职业技能培训学校",
            "name_bo": "ལྷ་ས་ལས་རིགས་སློབ་གྲྭ།",
            "credit_code": _credit_code("91540102MA6T00001"),
            "licence_number": "教民1540102700001号",
            "qualification": "training_institution",
            "licence_expires_on": today + datetime.timedelta(days=365),
            "unit": unit,
        },
    )
    course = course_create(
        acting_user=counsellor,
        values={
            "provider": provider,
            "title_zh": "中式烹调师培训班",
            "title_bo": "རྒྱ་ནག་གི་ཟ་མ་བཟོ་སྟངས་སློབ་སྦྱོང་།",
            "occupation": cook,
            "starts_on": today + datetime.timedelta(days=10),
            "ends_on": today + datetime.timedelta(days=30),
            "place": "城关区就业服务中心三楼",
            "unit": unit,
            "subsidy": 1500,
            "language": "both",
            "capacity": 30,
            "channel": "walk_in",
        },
    )
    course = course_publish(acting_user=counsellor, course=course, expected_version=course.version)
    push = push_to_person(person=person, item=vacancy, acting_user=counsellor)

    from privacy.models import ExportName
    from privacy.services import export_approval_request
    from subjectrights.models import RequestChannel, RequestKind
    from subjectrights.services import request_receive

    subject_request = request_receive(
        acting_user=counsellor,
        person=person,
        kind=RequestKind.COPY,
        channel=RequestChannel.IN_PERSON,
        received_on=today,
        details="本人要求一份个人信息副本",
    )
    export_approval = export_approval_request(
        acting_user=head, export=ExportName.PEOPLE_LIST, query="full=1", record_count=500, reason="年度核对"
    )

    point = ServicePointFactory.in_unit(HOME_UNIT)
    day = regional_day_create(
        acting_user=users["sysadmin"],
        day=today.replace(month=12, day=31),
        kind="holiday",
        region="540102",
        name="测试",
    )

    return SimpleNamespace(
        users={**users, "employer": account.user},
        unit=unit,
        person=person,
        consent=consent,
        registration=registration,
        household=household,
        category=category,
        membership=membership,
        assistance=assistance,
        measure=measure,
        service=service,
        service_type=_first(ServiceType.objects.all()),
        employer=employer,
        employer_account=account,
        vacancy=vacancy,
        recommendation=rec,
        case=case,
        plan=plan,
        plan_action=plan_action,
        programme=programme,
        session=session,
        work_item=work_item,
        occupation=cook,
        provider=provider,
        course=course,
        push=push,
        point=point,
        day=day,
        subject_request=subject_request,
        export_approval=export_approval,
    )


@pytest.fixture
def world(db, monkeypatch):
    from notifications import services as notification_services

    # Delivery is notifications' business; keep the world's push off the queue.
    monkeypatch.setattr(notification_services, "_enqueue", lambda push_id: None)
    return build_world()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One world per module, rolled back when the module's tests are done."""
    from notifications import services as notification_services

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        enqueue = notification_services._enqueue
        notification_services._enqueue = lambda push_id: None
        try:
            yield build_world()
        finally:
            notification_services._enqueue = enqueue
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def pytest_terminal_summary(terminalreporter):
    """The authorisation matrix's coverage: URL names × actors, and the checks actually run."""
    runs = [
        report
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if getattr(report, "when", "") == "call"
        and "test_authz_matrix.py::test_authz_matrix[" in report.nodeid
    ]
    if not runs:
        return
    from tests.security.authz_matrix import ACTORS, MATRIX

    checks = sum(dict(report.user_properties).get("authz_checks", 0) for report in runs)
    methods = sum(len(entry.checks) for entry in MATRIX.values())
    terminalreporter.write_sep("-", "authorisation matrix coverage")
    terminalreporter.write_line(
        f"{len(MATRIX)} endpoints (URL names; {methods} method checks) x {len(ACTORS)} actors"
        f" = {methods * len(ACTORS)} checks; this run: {len(runs)} endpoints, {checks} checks"
    )
