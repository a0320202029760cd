"""The authorisation matrix: for every URL name, who may use it (issue 7, item 8).

Expectations come from the policy (SPEC §5 and §7, accounts/rules.py and each app's
rules.py, 三员 separation), not from what the code happens to answer. Every record a URL
takes lives in 八廓街道 540102002 (tests/security/conftest.py builds that "world").

Outcomes, and the answers that count as each:
- ALLOW: 2xx, or a redirect that is not to the login page; for a write sent with a
  deliberately incomplete body also 400, 409 or 422 (the request got past the checks of
  who and where, and failed on its content).
- DENY: 403 (the role may not do this at all).
- NOT_FOUND: 404 (the role may, but the record is outside the actor's area: the scope
  rule hides that it exists).
- LOGIN: anonymous and refused: a page redirects to the login page or answers 403, the
  API answers 401 or 403.

Writing expectations: `rule(ROLES)` for a role check alone; `rule(ROLES, scoped=True)`
for a record of 八廓街道: actors in ROLES who sit in 八廓街道 or a unit above it are
allowed, the others in ROLES get 404 (sibling unit, other district). `gate=` names
who gets past the view's first check when the finer permission is checked after the
record is looked up (then an out-of-area actor in the gate gets 404, an in-area actor
without the finer permission 403).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import PERSONAS

ALLOW, DENY, NOT_FOUND, LOGIN = "allow", "deny", "not found", "login"
ANONYMOUS, EMPLOYER = "anonymous", "employer"
ACTORS = (ANONYMOUS, *PERSONAS, EMPLOYER)

COUNSELLORS = frozenset({"counsellor_chengguan", "counsellor_jiri", "counsellor_linzhou"})
HEAD = frozenset({"head_chengguan"})
DISTRICT = frozenset({"district_chengguan", "district_linzhou"})
CITY = frozenset({"city"})
SYSADMIN = frozenset({"sysadmin"})
SECADMIN = frozenset({"secadmin"})
AUDITADMIN = frozenset({"auditadmin"})
EMPLOYERS = frozenset({EMPLOYER})

FRONT_LINE = COUNSELLORS | HEAD
SUPERVISORS = HEAD | DISTRICT | CITY
SERVICE = FRONT_LINE | DISTRICT | CITY
ADMINS = SYSADMIN | SECADMIN | AUDITADMIN
ALL_STAFF = SERVICE | ADMINS
SIGNED_IN = ALL_STAFF | EMPLOYERS
# 八廓街道's own staff and the units above it (the three administrators sit at the city).
SEES_HOME = frozenset({"counsellor_chengguan", "head_chengguan", "district_chengguan", "city"}) | ADMINS


def rule(allowed, *, scoped: bool = False, gate=None) -> dict[str, str]:
    gate = allowed if gate is None else gate
    expected = {ANONYMOUS: LOGIN}
    for actor in ACTORS[1:]:
        if actor not in gate:
            expected[actor] = DENY
        elif scoped and actor not in SEES_HOME:
            expected[actor] = NOT_FOUND
        else:
            expected[actor] = ALLOW if actor in allowed else DENY
    return expected


PUBLIC = dict.fromkeys(ACTORS, ALLOW)


@dataclass(frozen=True)
class Check:
    method: str
    expect: dict[str, str]
    data: dict | None = None
    query: str = ""


@dataclass(frozen=True)
class Entry:
    checks: tuple[Check, ...]
    kwargs: Callable = field(default=lambda w: {})


def get(expect, query: str = "") -> Check:
    return Check("get", expect, query=query)


def post(expect, data: dict | None = None) -> Check:
    """A write with a body that cannot succeed (empty unless given)."""
    return Check("post", expect, data=data or {})


def patch(expect, data: dict | None = None) -> Check:
    return Check("patch", expect, data=data or {"version": 0})


def entry(*checks: Check, kwargs: Callable | None = None) -> Entry:
    return Entry(checks, kwargs or (lambda w: {}))


def person(w):
    return {"pk": w.person.pk}


def person_pk(w):
    return {"person_pk": w.person.pk}


def pk(name: str) -> Callable:
    return lambda w: {"pk": getattr(w, name).pk}


def in_area(roles, **kwargs):
    return rule(roles, scoped=True, **kwargs)


# One of each shape, so the table below reads as a policy.
SEE, KEEP = rule(SERVICE), rule(FRONT_LINE)
SEE_HOME, KEEP_HOME = in_area(SERVICE), in_area(FRONT_LINE)
TODAY = datetime.date.today().isoformat()
# A write that is complete but names a version no record has: whoever gets past the checks
# of who and where is stopped by the version check (409), so nothing changes.
STALE = 999_999
STALE_ACTION = {"action": "show", "version": STALE}
STALE_CLOSE = {"action": "close", "version": STALE, "note": "matrix"}

PAGES: dict[str, Entry] = {
    "/": entry(get(PUBLIC)),  # redirects to the dashboard, which asks for a login
    "healthz": entry(get(PUBLIC)),
    "dashboard:home": entry(get(rule(ALL_STAFF))),
    # accounts
    "accounts:login": entry(get(PUBLIC)),
    # Signing out ends on the login page, whoever asks.
    "accounts:logout": entry(post(dict.fromkeys(ACTORS, LOGIN))),
    "accounts:set_language": entry(post(PUBLIC, {"language": "bo"})),
    "accounts:profile": entry(get(rule(SIGNED_IN))),
    "accounts:staff_list": entry(get(rule(SUPERVISORS | SYSADMIN | SECADMIN))),
    "accounts:staff_create": entry(get(rule(SYSADMIN))),
    "accounts:staff_detail": entry(
        get(in_area(SUPERVISORS | SYSADMIN | SECADMIN)),
        kwargs=lambda w: {"pk": w.users["counsellor_chengguan"].pk},
    ),
    "accounts:staff_edit": entry(
        get(in_area(SYSADMIN)), kwargs=lambda w: {"pk": w.users["counsellor_chengguan"].pk}
    ),
    "accounts:staff_role": entry(
        post(in_area(SECADMIN)), kwargs=lambda w: {"pk": w.users["counsellor_chengguan"].pk}
    ),
    "accounts:staff_reset_second_factor": entry(
        post(in_area(SECADMIN)), kwargs=lambda w: {"pk": w.users["counsellor_chengguan"].pk}
    ),
    # One's own second factor and recovery codes.
    "accounts:otp_verify": entry(get(rule(SIGNED_IN))),
    "accounts:otp_enrol": entry(get(rule(SIGNED_IN))),
    "accounts:recovery_codes": entry(get(rule(SIGNED_IN))),
    "accounts:recovery_regenerate": entry(post(rule(SIGNED_IN))),
    "accounts:staff_unlock": entry(
        post(in_area(SECADMIN)), kwargs=lambda w: {"pk": w.users["counsellor_chengguan"].pk}
    ),
    # network and calendar
    "network:unit_list": entry(get(rule(ALL_STAFF))),
    "network:unit_detail": entry(get(in_area(ALL_STAFF)), kwargs=lambda w: {"code": w.unit.code}),
    "network:unit_edit": entry(get(in_area(SYSADMIN)), kwargs=lambda w: {"code": w.unit.code}),
    "network:unit_create": entry(get(in_area(SYSADMIN)), kwargs=lambda w: {"parent_code": w.unit.code}),
    "network:point_list": entry(get(SEE)),
    "network:point_create": entry(get(rule(SUPERVISORS))),
    "network:point_detail": entry(get(SEE_HOME), kwargs=pk("point")),
    "network:point_edit": entry(get(in_area(SUPERVISORS)), kwargs=pk("point")),
    "workcalendar:day_list": entry(get(rule(ALL_STAFF))),
    "workcalendar:day_create": entry(get(rule(SYSADMIN))),
    "workcalendar:day_edit": entry(get(rule(SYSADMIN)), kwargs=pk("day")),
    "workcalendar:day_delete": entry(post(rule(SYSADMIN), {"version": 0}), kwargs=pk("day")),
    "audit:entry_list": entry(get(rule(AUDITADMIN))),
    "privacy:access_list": entry(get(rule(AUDITADMIN))),
    # A bulk export asked for by the station head: seen by her and the supervisors above,
    # decided only by those above (never the requester; no administrator, 三员).
    "privacy:export_approval_list": entry(get(rule(SUPERVISORS))),
    "privacy:export_approval_detail": entry(get(in_area(SUPERVISORS)), kwargs=pk("export_approval")),
    "privacy:export_approval_decide": entry(
        post({**in_area(SUPERVISORS), "head_chengguan": DENY}, {"decision": "approve", "version": STALE}),
        kwargs=pk("export_approval"),
    ),
    # Data-subject requests (GB/T 35273 §8): they name persons, so the service roles only;
    # the 三员 administrators see no personal records.
    "subjectrights:list": entry(get(rule(SERVICE))),
    "subjectrights:detail": entry(get(in_area(SERVICE)), kwargs=pk("subject_request")),
    "subjectrights:new": entry(get(SEE_HOME), kwargs=person_pk),
    "subjectrights:copy": entry(get(SEE_HOME), kwargs=pk("subject_request")),
    "subjectrights:copy_pdf": entry(get(SEE_HOME), kwargs=pk("subject_request")),
    "subjectrights:verify": entry(post(SEE_HOME), kwargs=pk("subject_request")),
    "subjectrights:complete": entry(post(SEE_HOME), kwargs=pk("subject_request")),
    "subjectrights:refuse": entry(post(SEE_HOME), kwargs=pk("subject_request")),
    "subjectrights:withdraw": entry(post(SEE_HOME), kwargs=pk("subject_request")),
    # the register
    "people_import:upload": entry(get(KEEP)),
    "people_import:template": entry(get(KEEP)),
    "people_import:report": entry(post(KEEP)),
    "people:person_list": entry(get(SEE)),
    "people:person_create": entry(get(KEEP)),
    "people:person_detail": entry(get(SEE_HOME), kwargs=person),
    "people:person_edit": entry(get(KEEP_HOME), kwargs=person),
    "people:person_reveal": entry(post(KEEP_HOME), kwargs=person),
    "people:contact_add": entry(post(KEEP_HOME), kwargs=person),
    "people:consent_add": entry(post(KEEP_HOME), kwargs=person),
    "people:consent_withdraw": entry(
        post(KEEP_HOME), kwargs=lambda w: {"pk": w.person.pk, "consent_pk": w.consent.pk}
    ),
    "people:push_add": entry(post(KEEP_HOME), kwargs=person),
    "worklists:update_overdue": entry(get(SEE)),
    "households:household_list": entry(get(SEE)),
    "households:household_create": entry(get(KEEP)),
    "households:zero_list": entry(get(SEE)),
    "households:household_detail": entry(get(SEE_HOME), kwargs=pk("household")),
    "households:household_edit": entry(get(KEEP_HOME), kwargs=pk("household")),
    "households:member_set": entry(get(KEEP_HOME), kwargs=person_pk),
    "registrations:proposal_list": entry(get(rule(HEAD))),
    "registrations:open": entry(get(KEEP_HOME), kwargs=person_pk),
    "registrations:close": entry(get(KEEP_HOME), kwargs=pk("registration")),
    "registrations:propose": entry(get(KEEP_HOME), kwargs=pk("registration")),
    "registrations:decide": entry(get(in_area(HEAD)), kwargs=pk("registration")),
    "keygroups:category_list": entry(get(rule(SERVICE | SYSADMIN))),
    "keygroups:category_create": entry(get(rule(SYSADMIN))),
    "keygroups:category_edit": entry(get(rule(SYSADMIN)), kwargs=pk("category")),
    "keygroups:membership_add": entry(get(KEEP_HOME), kwargs=person_pk),
    "keygroups:membership_end": entry(get(KEEP_HOME), kwargs=pk("membership")),
    "occupations:occupation_list": entry(get(rule(ALL_STAFF))),
    "occupations:occupation_detail": entry(
        get(rule(ALL_STAFF)), kwargs=lambda w: {"code": w.occupation.code}
    ),
    "occupations:occupation_edit": entry(get(rule(SYSADMIN)), kwargs=lambda w: {"code": w.occupation.code}),
    # employers, vacancies, the job board, training
    "employers:employer_list": entry(get(SEE)),
    "employers:employer_create": entry(get(KEEP)),
    "employers:key_directory": entry(get(SEE)),
    "employers:employer_detail": entry(get(SEE_HOME), kwargs=pk("employer")),
    "employers:employer_edit": entry(get(KEEP_HOME), kwargs=pk("employer")),
    "employers:key_flag": entry(get(KEEP_HOME), kwargs=pk("employer")),
    "employers:key_unflag": entry(get(KEEP_HOME), kwargs=pk("employer")),
    "vacancies:vacancy_list": entry(get(SEE)),
    "vacancies:vacancy_create": entry(get(KEEP)),
    "vacancies:review_queue": entry(get(rule(HEAD))),
    "vacancies:vacancy_detail": entry(get(SEE_HOME), kwargs=pk("vacancy")),
    "vacancies:vacancy_edit": entry(get(KEEP_HOME), kwargs=pk("vacancy")),
    # Closing is the front line's step; a supervisor sees the vacancy but may not take it.
    "vacancies:vacancy_transition": entry(
        post(in_area(FRONT_LINE, gate=SERVICE), STALE_CLOSE), kwargs=pk("vacancy")
    ),
    "jobboard:vacancy_list": entry(get(PUBLIC)),
    "jobboard:vacancy_detail": entry(get(PUBLIC), kwargs=pk("vacancy")),
    "jobboard:course_list": entry(get(PUBLIC)),
    "jobboard:course_detail": entry(get(PUBLIC), kwargs=pk("course")),
    "training:index": entry(get(PUBLIC)),  # a redirect to the course list
    "training:course_list": entry(get(SEE)),
    "training:course_create": entry(get(KEEP)),
    "training:course_detail": entry(get(SEE_HOME), kwargs=pk("course")),
    "training:course_edit": entry(get(KEEP_HOME), kwargs=pk("course")),
    "training:course_publish": entry(post(KEEP_HOME), kwargs=pk("course")),
    "training:course_unpublish": entry(post(KEEP_HOME), kwargs=pk("course")),
    "training:provider_list": entry(get(SEE)),
    "training:provider_create": entry(get(rule(HEAD | DISTRICT))),
    "training:provider_detail": entry(get(SEE_HOME), kwargs=pk("provider")),
    "training:provider_edit": entry(get(in_area(HEAD | DISTRICT)), kwargs=pk("provider")),
    "exchange:import": entry(get(rule(HEAD))),
    "exchange:export": entry(get(rule(SUPERVISORS))),
    "exchange:intake": entry(get(rule(SUPERVISORS))),
    # notices and pushes
    "notifications:notice_list": entry(get(rule(SIGNED_IN))),  # one's own notices
    "notifications:notice_mark_read": entry(post(rule(SIGNED_IN))),
    "notifications:push_ratio": entry(get(SEE)),
    "notifications:push_cancel": entry(post(KEEP_HOME), kwargs=pk("push")),
    # matching and recommendations
    "recommendations:list": entry(get(SEE)),
    "recommendations:overdue": entry(get(SEE)),
    "recommendations:person": entry(get(SEE_HOME), kwargs=person),
    "recommendations:match": entry(post(KEEP_HOME), kwargs=person),
    "recommendations:card": entry(get(SEE_HOME), kwargs=pk("recommendation")),
    "recommendations:act": entry(
        post(in_area(FRONT_LINE, gate=SERVICE), STALE_ACTION), kwargs=pk("recommendation")
    ),
    "recommendations:letter": entry(get(in_area(FRONT_LINE, gate=SERVICE)), kwargs=pk("recommendation")),
    # A published vacancy is public: any station looks for candidates in its own area.
    "matching:candidates": entry(get(SEE), kwargs=pk("vacancy")),
    "matching:recommend": entry(
        post(KEEP_HOME), kwargs=lambda w: {"pk": w.vacancy.pk, "person_pk": w.person.pk}
    ),
    "ratios:compliance": entry(get(SEE)),
    "ratios:below_target": entry(get(SEE)),
    "ratios:pipeline": entry(get(SEE)),
    # guidance, plans, programmes
    "guidance:person": entry(get(SEE_HOME), kwargs=person),
    "guidance:case_open": entry(post(KEEP_HOME), kwargs=person),
    "guidance:personal_policy_add": entry(post(KEEP_HOME), kwargs=person),
    "guidance:case_move": entry(post(KEEP_HOME), kwargs=pk("case")),
    "guidance:step_record": entry(post(KEEP_HOME), kwargs=pk("case")),
    "guidance:plan_create": entry(post(KEEP_HOME), kwargs=pk("case")),
    "guidance:plan_update": entry(post(KEEP_HOME), kwargs=pk("plan")),
    "guidance:plan_action_add": entry(post(KEEP_HOME), kwargs=pk("plan")),
    "guidance:plan_agree": entry(post(KEEP_HOME), kwargs=pk("plan")),
    "guidance:plan_adjust": entry(post(KEEP_HOME), kwargs=pk("plan")),
    "guidance:plan_discard": entry(post(KEEP_HOME), kwargs=pk("plan")),
    "guidance:plan_review": entry(post(KEEP_HOME), kwargs=pk("plan")),
    "guidance:plan_pdf": entry(get(in_area(FRONT_LINE, gate=SERVICE)), kwargs=pk("plan")),
    "guidance:plan_action_remove": entry(post(KEEP_HOME), kwargs=pk("plan_action")),
    "guidance:plan_action_done": entry(post(KEEP_HOME), kwargs=pk("plan_action")),
    "guidance:personal_policy_missing": entry(get(SEE)),
    "guidance:programme_list": entry(get(SEE)),
    "guidance:programme_create": entry(get(SEE)),
    "guidance:programme_detail": entry(get(SEE_HOME), kwargs=pk("programme")),
    "guidance:programme_edit": entry(get(SEE_HOME), kwargs=pk("programme")),
    "guidance:programme_enrol": entry(post(SEE_HOME), kwargs=pk("programme")),
    "guidance:session_add": entry(post(SEE_HOME), kwargs=pk("programme")),
    "guidance:attendance_export": entry(get(SEE_HOME), kwargs=pk("programme")),
    "guidance:attendance": entry(get(SEE_HOME), kwargs=pk("session")),
    # service records, assistance files, work items
    "servicerecords:list": entry(get(SEE)),
    "servicerecords:add": entry(get(KEEP_HOME), kwargs=person_pk),
    "servicerecords:edit": entry(get(KEEP_HOME), kwargs=pk("service")),
    "servicerecords:type_list": entry(get(rule(SERVICE | SYSADMIN))),
    "servicerecords:type_create": entry(get(rule(SYSADMIN))),
    "servicerecords:type_edit": entry(get(rule(SYSADMIN)), kwargs=pk("service_type")),
    "assistance:list": entry(get(SEE)),
    "assistance:closures": entry(get(rule(HEAD))),
    "assistance:coverage": entry(get(SEE)),
    "assistance:open": entry(get(KEEP_HOME), kwargs=person_pk),
    "assistance:propose": entry(get(KEEP_HOME), kwargs=pk("assistance")),
    "assistance:decide": entry(get(in_area(HEAD)), kwargs=pk("assistance")),
    "assistance:measure_add": entry(post(KEEP_HOME), kwargs=pk("assistance")),
    "assistance:measure": entry(post(KEEP_HOME), kwargs=pk("measure")),
    # Inactive files: the runs' reports and pending notices; a dry run. The masked names
    # are shown to the city supervisor only; the security administrator sees file numbers.
    "retention:overview": entry(get(rule(SECADMIN | CITY))),
    "retention:dry_run": entry(post(rule(SECADMIN))),
    "worklist:my_work": entry(get(KEEP)),
    "worklist:unit": entry(get(rule(SUPERVISORS))),
    "worklist:reassign": entry(post(rule(HEAD))),
    "worklist:take": entry(post(KEEP_HOME), kwargs=pk("work_item")),
    "worklist:transfer": entry(get(KEEP_HOME), kwargs=person_pk),
}

API: dict[str, Entry] = {
    "api-schema": entry(get(PUBLIC)),  # the contract the regional platform and mobile clients read
    "api-token": entry(post(PUBLIC)),
    "api-me": entry(get(rule(SIGNED_IN))),
    "api-staff-list": entry(get(rule(SUPERVISORS | SYSADMIN | SECADMIN))),
    "api-staff-detail": entry(
        get(in_area(SUPERVISORS | SYSADMIN | SECADMIN)),
        kwargs=lambda w: {"pk": w.users["counsellor_chengguan"].pk},
    ),
    "api-unit-list": entry(get(rule(ALL_STAFF))),
    "api-unit-detail": entry(get(in_area(ALL_STAFF)), kwargs=lambda w: {"code": w.unit.code}),
    "api-point-list": entry(get(SEE)),
    "api-point-detail": entry(get(SEE_HOME), kwargs=pk("point")),
    "api-occupation-list": entry(get(rule(ALL_STAFF))),
    "api-occupation-detail": entry(get(rule(ALL_STAFF)), kwargs=lambda w: {"code": w.occupation.code}),
    "api-add-workdays": entry(get(rule(ALL_STAFF), query=f"start={TODAY}&days=3&region=540102002")),
    "api-is-workday": entry(get(rule(ALL_STAFF), query=f"date={TODAY}&region=540102002")),
    "api-industry-list": entry(get(rule(ALL_STAFF))),
    "api-key-group-list": entry(get(rule(SERVICE | SYSADMIN))),
    "api-person-list": entry(get(SEE), post(KEEP)),
    "api-person-detail": entry(get(SEE_HOME), patch(KEEP_HOME), kwargs=person),
    "api-person-reveal": entry(post(KEEP_HOME), kwargs=person),
    "api-person-contacts": entry(get(SEE_HOME), post(KEEP_HOME), kwargs=person),
    "api-person-household": entry(post(KEEP_HOME), kwargs=person),
    "api-household-list": entry(get(SEE), post(KEEP)),
    "api-household-detail": entry(get(SEE_HOME), patch(KEEP_HOME), kwargs=pk("household")),
    "api-employer-list": entry(get(SEE), post(KEEP)),
    "api-employer-detail": entry(get(SEE_HOME), patch(KEEP_HOME), kwargs=pk("employer")),
    "api-training-provider-list": entry(get(SEE), post(rule(HEAD | DISTRICT))),
    "api-training-provider-detail": entry(
        get(SEE_HOME), patch(in_area(HEAD | DISTRICT)), kwargs=pk("provider")
    ),
    "api-training-course-list": entry(get(SEE), post(KEEP)),
    "api-training-course-detail": entry(get(SEE_HOME), patch(KEEP_HOME), kwargs=pk("course")),
    "api-public-vacancy-list": entry(get(PUBLIC)),
    "api-public-vacancy-detail": entry(get(PUBLIC), kwargs=pk("vacancy")),
    "api-public-course-list": entry(get(PUBLIC)),
    "api-vacancy-list": entry(get(SEE), post(KEEP)),
    "api-vacancy-detail": entry(get(SEE_HOME), patch(KEEP_HOME), kwargs=pk("vacancy")),
    "api-vacancy-transition": entry(
        post(in_area(FRONT_LINE, gate=SERVICE), STALE_CLOSE), kwargs=pk("vacancy")
    ),
    "api-person-recommendations": entry(get(SEE_HOME), kwargs=person),
    "api-vacancy-candidates": entry(get(SEE), kwargs=pk("vacancy")),
    "api-recommendation-list": entry(get(SEE)),
    "api-recommendation-detail": entry(get(SEE_HOME), kwargs=pk("recommendation")),
    "api-recommendation-actions": entry(post(KEEP_HOME, STALE_ACTION), kwargs=pk("recommendation")),
    "api-person-pushes": entry(get(SEE_HOME), post(KEEP_HOME), kwargs=person),
    "api-notice-list": entry(get(rule(SIGNED_IN))),
    "api-notice-read": entry(post(rule(SIGNED_IN))),
    "api-exchange-vacancies": entry(get(rule(SUPERVISORS)), post(rule(HEAD))),
    "api-exchange-job-seekers": entry(get(rule(SUPERVISORS)), post(rule(HEAD))),
    "api-person-guidance": entry(get(SEE_HOME), kwargs=person),
    "api-plan-detail": entry(get(SEE_HOME), kwargs=pk("plan")),
    "api-guidance-case-transition": entry(post(KEEP_HOME), kwargs=pk("case")),
    "api-person-services": entry(get(SEE_HOME), post(KEEP_HOME), kwargs=person),
    "api-service-record-list": entry(get(SEE)),
    "api-assistance-file-list": entry(get(SEE)),
    "api-assistance-file-detail": entry(get(SEE_HOME), kwargs=pk("assistance")),
    "api-assistance-file-closure": entry(post(KEEP_HOME), kwargs=pk("assistance")),
    "api-work-item-list": entry(get(SEE)),
    "api-work-item-reassign": entry(post(rule(HEAD))),
    "api-person-transfer": entry(post(KEEP_HOME), kwargs=person),
    "api-subject-request-list": entry(get(rule(SERVICE)), post(SEE)),
    "api-subject-request-detail": entry(get(in_area(SERVICE)), kwargs=pk("subject_request")),
    "api-subject-request-transition": entry(post(SEE_HOME), kwargs=pk("subject_request")),
}

MATRIX: dict[str, Entry] = {**PAGES, **API}
