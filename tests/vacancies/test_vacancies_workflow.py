"""The vacancy lifecycle: every declared transition, refusals, the log and the self-review rule."""

import pytest

from audit.models import AuditEntry
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from tests.conftest import make_user
from tests.vacancies.vacancy_builders import move
from vacancies import services, workflow
from vacancies.models import Status, Transition

COUNSELLOR = "counsellor_chengguan"
HEAD = "head_chengguan"


def bring_to(vacancy, status, personas):
    """Walk a fresh draft to `status` through the real services."""
    counsellor, head = personas[COUNSELLOR], personas[HEAD]
    publish = [(counsellor, "submit", ""), (head, "approve", "")]
    path = {
        Status.DRAFT: [],
        Status.UNDER_REVIEW: [(counsellor, "submit", "")],
        Status.PUBLISHED: publish,
        Status.SUSPENDED: [*publish, (counsellor, "suspend", "歇业")],
        Status.FILLED: [*publish, (counsellor, "fill", "")],
        Status.CLOSED: [(counsellor, "close", "")],
    }[status]
    for user, action, note in path:
        move(vacancy, user, action, note)
    vacancy.refresh_from_db()
    assert vacancy.status == status
    return vacancy


ALLOWED = [
    (start, name, action.target)
    for name, action in workflow.ACTIONS.items()
    if not action.internal
    for start in sorted(action.sources)
]


def test_the_table_covers_the_lifecycle():
    assert ("draft", "submit", "under_review") in ALLOWED
    assert ("under_review", "approve", "published") in ALLOWED
    assert ("under_review", "reject", "draft") in ALLOWED
    assert ("published", "suspend", "suspended") in ALLOWED
    assert ("suspended", "reconfirm", "published") in ALLOWED
    assert ("suspended", "fill", "filled") in ALLOWED
    assert {start for start, name, _ in ALLOWED if name == "close"} == {
        "draft",
        "under_review",
        "published",
        "suspended",
    }
    assert not any(start in workflow.FINAL_STATES for start, _, _ in ALLOWED)


@pytest.mark.parametrize(("start", "action", "target"), ALLOWED)
def test_every_allowed_transition(personas, draft, start, action, target):
    vacancy = bring_to(draft, start, personas)
    user = personas[HEAD if action in ("approve", "reject") else COUNSELLOR]
    before = Transition.objects.filter(vacancy=vacancy).count()
    move(vacancy, user, action, note="理由" if action in ("reject", "suspend") else "")
    vacancy.refresh_from_db()
    assert vacancy.status == target
    log = Transition.objects.filter(vacancy=vacancy).order_by("-id")
    assert log.count() == before + 1
    assert (log[0].from_status, log[0].to_status, log[0].by) == (start, target, user)


@pytest.mark.parametrize(
    ("start", "action"),
    [
        ("draft", "approve"),
        ("draft", "fill"),
        ("draft", "reconfirm"),
        ("under_review", "submit"),
        ("published", "approve"),
        ("suspended", "suspend"),
        ("filled", "close"),
        ("filled", "reconfirm"),
        ("closed", "submit"),
    ],
)
def test_disallowed_transition_is_refused_and_not_logged(personas, draft, start, action):
    vacancy = bring_to(draft, start, personas)
    before = Transition.objects.filter(vacancy=vacancy).count()
    user = personas[HEAD if action == "approve" else COUNSELLOR]
    with pytest.raises(ValidationFailed) as refused:
        move(vacancy, user, action, note="理由")
    assert "action" in refused.value.errors
    vacancy.refresh_from_db()
    assert vacancy.status == start
    assert Transition.objects.filter(vacancy=vacancy).count() == before


def test_unknown_or_internal_action_names_the_field(personas, draft):
    for name in ("publish", "revise"):
        with pytest.raises(ValidationFailed) as refused:
            move(draft, personas[COUNSELLOR], name)
        assert "action" in refused.value.errors


def test_the_log_and_audit_trail_of_a_publication(personas, draft, notices):
    counsellor, head = personas[COUNSELLOR], personas[HEAD]
    move(draft, counsellor, "submit")
    move(draft, head, "approve", note="核实无误")
    draft.refresh_from_db()
    rows = list(draft.transitions.values_list("from_status", "to_status", "by", "note"))
    assert rows == [
        ("draft", "under_review", counsellor.pk, ""),
        ("under_review", "published", head.pk, "核实无误"),
    ]
    assert draft.published_at is not None
    assert draft.reconfirmed_at == draft.published_at
    assert draft.reviewed_by == head
    notes = list(
        AuditEntry.objects.filter(object_type="vacancies.vacancy", object_id=str(draft.pk)).values_list(
            "note", flat=True
        )
    )
    assert "submit" in notes and "approve" in notes
    result = {"vacancy": draft, "approved": True, "note": "核实无误"}
    assert notices == [(counsellor, "vacancy_review_result", result)]


def test_reject_needs_a_note_and_tells_the_creator(personas, draft, notices):
    move(draft, personas[COUNSELLOR], "submit")
    with pytest.raises(ValidationFailed) as refused:
        move(draft, personas[HEAD], "reject", note="  ")
    assert "note" in refused.value.errors
    move(draft, personas[HEAD], "reject", note="薪资写错")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.review_note == "薪资写错"
    assert notices[-1][0] == personas[COUNSELLOR]
    assert notices[-1][2]["approved"] is False


def test_staff_suspension_needs_a_note(personas, published):
    with pytest.raises(ValidationFailed) as refused:
        move(published, personas[COUNSELLOR], "suspend")
    assert "note" in refused.value.errors


def test_nobody_approves_a_vacancy_they_created(personas, employer):
    from tests.vacancies.vacancy_builders import vacancy_values

    head = personas[HEAD]
    own = services.vacancy_create(acting_user=head, values=vacancy_values(employer))
    move(own, head, "submit")
    with pytest.raises(NotAllowed):
        move(own, head, "approve")
    second_head = make_user("head_chengguan_2", "station_head", "540102002")
    move(own, second_head, "approve")
    own.refresh_from_db()
    assert own.status == Status.PUBLISHED


def test_a_reviewer_who_changed_it_cannot_approve_it(personas, draft):
    head = personas[HEAD]
    move(draft, personas[COUNSELLOR], "submit")
    draft.refresh_from_db()
    services.vacancy_update(
        acting_user=head, vacancy=draft, expected_version=draft.version, changes={"salary_max": 6500}
    )
    with pytest.raises(NotAllowed):
        move(draft, head, "approve")


def test_a_counsellor_cannot_review(personas, draft):
    move(draft, personas[COUNSELLOR], "submit")
    with pytest.raises(NotAllowed):
        move(draft, personas["counsellor_jiri"], "approve")
    with pytest.raises(NotAllowed):
        move(draft, personas[COUNSELLOR], "reject", note="x")


def test_a_user_of_a_sibling_unit_cannot_act(personas, draft):
    with pytest.raises(NotAllowed):
        move(draft, personas["counsellor_jiri"], "submit")


def test_a_stale_version_is_refused(personas, draft):
    version = draft.version
    move(draft, personas[COUNSELLOR], "submit")
    with pytest.raises(ConcurrentEdit):
        services.vacancy_transition(
            acting_user=personas[COUNSELLOR], vacancy=draft, action="close", expected_version=version
        )
    draft.refresh_from_db()
    assert draft.status == Status.UNDER_REVIEW


def test_approval_is_refused_while_vetting_finds_a_problem(personas, employer):
    from tests.vacancies.vacancy_builders import vacancy_values

    values = vacancy_values(employer, other_requirements="限男性，身体健康", salary_min=1800)
    vacancy = services.vacancy_create(acting_user=personas[COUNSELLOR], values=values)
    move(vacancy, personas[COUNSELLOR], "submit")
    with pytest.raises(ValidationFailed) as refused:
        move(vacancy, personas[HEAD], "approve")
    assert refused.value.code == "vetting_failed"
    assert set(refused.value.errors) == {"other_requirements", "salary_min"}
    vacancy.refresh_from_db()
    assert vacancy.status == Status.UNDER_REVIEW


def test_reconfirm_moves_a_suspended_vacancy_back_only_if_it_still_passes(personas, published):
    counsellor = personas[COUNSELLOR]
    move(published, counsellor, "suspend", note="暂停")
    # The employer lost its standing meanwhile: it may not come back.
    published.employer.is_active = False
    published.employer.save()
    with pytest.raises(ValidationFailed) as refused:
        move(published, counsellor, "reconfirm")
    assert "employer" in refused.value.errors
    published.employer.is_active = True
    published.employer.save()
    first = published.reconfirmed_at
    move(published, counsellor, "reconfirm")
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED
    assert published.reconfirmed_at > first


def test_editing_a_published_vacancy_sends_it_back_to_review(personas, published):
    counsellor = personas[COUNSELLOR]
    published.refresh_from_db()
    services.vacancy_update(
        acting_user=counsellor,
        vacancy=published,
        expected_version=published.version,
        changes={"salary_min": 4500},
    )
    published.refresh_from_db()
    assert published.status == Status.UNDER_REVIEW
    last = published.transitions.last()
    assert (last.from_status, last.to_status, last.by) == ("published", "under_review", counsellor)
    move(published, personas[HEAD], "approve")


def test_an_edit_that_changes_nothing_keeps_the_status(personas, published):
    published.refresh_from_db()
    services.vacancy_update(
        acting_user=personas[COUNSELLOR],
        vacancy=published,
        expected_version=published.version,
        changes={"salary_min": published.salary_min},
    )
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_final_vacancies_cannot_be_edited(personas, draft):
    move(draft, personas[COUNSELLOR], "close")
    draft.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.vacancy_update(
            acting_user=personas[COUNSELLOR],
            vacancy=draft,
            expected_version=draft.version,
            changes={"title_zh": "新标题"},
        )
