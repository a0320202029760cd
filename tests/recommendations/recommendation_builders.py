"""Build a recommendation in any state in one line, through the real services (like the
les-emplois factory traits `was_hired`, `sent_by_prescriber`)."""

import datetime
import itertools

from django.utils import timezone

from network.models import OrgUnit
from recommendations import services, workflow
from recommendations.models import Origin, Recommendation, State
from tests.factories import person as register_person
from tests.factories import valid_id_number
from tests.vacancies.vacancy_builders import make_employer, move, vacancy_values
from vacancies import services as vacancy_services
from vacancies.models import Vacancy

_serial = itertools.count(1)

# The steps that lead from "matched" to each state: (action, reason, needs a date).
PATHS: dict[str, list[str]] = {
    State.MATCHED: [],
    State.SHOWN: ["show"],
    State.INTERESTED: ["show", "interested"],
    State.DECLINED: ["show", "decline"],
    State.REFERRED: ["refer"],
    State.INTERVIEW: ["refer", "interview"],
    State.REJECTED: ["refer", "reject"],
    State.NO_RESPONSE: ["refer", "expire_employer"],
    State.HIRED: ["refer", "hire"],
    State.NOT_HIRED: ["refer", "interview", "not_hired"],
    State.WITHDRAWN: ["withdraw"],
}
# A reason each reasoned action accepts.
REASONS = {"decline": "pay", "reject": "filled", "withdraw": "mistake"}


def seeker(user, unit_code: str = "540102002", **values):
    """A job seeker (unemployed by default) filed at the unit, with a unique ID number."""
    n = next(_serial)
    return register_person(
        user=user,
        unit_code=unit_code,
        id_number=valid_id_number(birth="19950512", sequence=n),
        **values,
    )


def published_vacancy(counsellor, head, unit_code: str = "540102002", **values) -> Vacancy:
    """A vacancy entered by the counsellor and approved by the station head."""
    employer = make_employer(unit_code=unit_code, address="拉萨市城关区北京中路 8 号")
    vacancy = vacancy_services.vacancy_create(
        acting_user=counsellor, values=vacancy_values(employer, **values)
    )
    move(vacancy, counsellor, "submit")
    return move(vacancy, head, "approve")


def act(user, recommendation: Recommendation, action: str, **kwargs) -> Recommendation:
    """One step as `user`, with the version read fresh and the usual reason and date."""
    recommendation.refresh_from_db()
    declared = workflow.ACTIONS[action]
    if declared.reason_choices is not None:
        kwargs.setdefault("reason", REASONS[action])
    if declared.needs_date:
        kwargs.setdefault("on", timezone.localdate())
    if action == "hire":
        kwargs.setdefault("confirm", True)
    return services.recommendation_act(
        acting_user=user,
        recommendation=recommendation,
        action=action,
        version=recommendation.version,
        **kwargs,
    )


def system_step(recommendation: Recommendation, action: str) -> Recommendation:
    """A step only the system takes (expiry), applied as the nightly job would."""
    recommendation.refresh_from_db()
    reason = "no_response"
    return services._apply(
        workflow.ACTIONS[action],
        recommendation=recommendation,
        by=None,
        expected_version=recommendation.version,
        reason=reason,
        today=timezone.localdate(),
        now=timezone.now(),
    )


def recommendation(
    state: str = State.MATCHED,
    *,
    counsellor,
    head=None,
    person=None,
    vacancy=None,
    score: float = 0.8,
    origin: str = Origin.ON_DEMAND,
) -> Recommendation:
    """A recommendation in `state`, reached through the real steps."""
    if vacancy is None:
        vacancy = published_vacancy(counsellor, head)
    if person is None:
        person = seeker(counsellor)
    result = services.recommendation_create(
        person=person,
        vacancy=vacancy,
        score=score,
        factors={"occupation": 0.3},
        facts={},
        origin=origin,
        acting_user=counsellor,
    )
    for action in PATHS[state]:
        if workflow.ACTIONS[action].system_only:
            result = system_step(result, action)
        else:
            result = act(counsellor, result, action)
    result.refresh_from_db()
    assert result.state == state
    return result


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
