"""Builders for the ratio tests: key-group persons, vacancies, recommendations and pushes."""

import datetime
import itertools
from zoneinfo import ZoneInfo

from keygroups.models import Category
from keygroups.services import membership_add_manual
from notifications.models import Push, PushStatus, dedupe_key
from recommendations.models import Origin, Recommendation, State
from tests.factories import person, valid_id_number
from tests.vacancies.vacancy_builders import make_employer, vacancy_values
from vacancies.models import Vacancy

LHASA = ZoneInfo("Asia/Shanghai")
_sequence = itertools.count(1)


def at(text: str) -> datetime.datetime:
    """Lhasa time from "YYYY-MM-DD" (10 in the morning) or "YYYY-MM-DD HH:MM:SS"."""
    day, _, time = text.partition(" ")
    return datetime.datetime.fromisoformat(f"{day}T{time or '10:00:00'}").replace(tzinfo=LHASA)


def veteran(user, unit_code: str, name_zh: str = "扎西"):
    """A person in the veterans' key group since September (so in it all autumn)."""
    p = outsider(user, unit_code, name_zh)
    membership_add_manual(
        acting_user=user,
        person=p,
        category=Category.objects.get(code="veteran"),
        started_on=datetime.date(2026, 9, 1),
        evidence="退役证 2019-001",
    )
    return p


def outsider(user, unit_code: str, name_zh: str = "扎西"):
    sequence = next(_sequence)
    return person(
        user=user, unit_code=unit_code, name_zh=name_zh, id_number=valid_id_number(sequence=sequence)
    )


def vacancies(n: int) -> list[Vacancy]:
    employer = make_employer()
    return [Vacancy.objects.create(**vacancy_values(employer, title_zh=f"岗位{i}")) for i in range(1, n + 1)]


# What each state needs by the model's constraints, beyond shown_at.
_STATE_EXTRAS = {
    State.DECLINED: {"decline_reason": "pay"},
    State.REJECTED: {"reject_reason": "experience"},
    State.WITHDRAWN: {"withdraw_reason": "mistake"},
}
_EMPLOYER_STATES = {
    State.REFERRED,
    State.INTERVIEW,
    State.REJECTED,
    State.NO_RESPONSE,
    State.HIRED,
    State.NOT_HIRED,
}


def recommend(who, vacancy, state=State.SHOWN, *, shown=None, matched=None) -> Recommendation:
    """A recommendation in `state`; `shown` and `matched` are local "YYYY-MM-DD[ HH:MM:SS]"."""
    values = dict(_STATE_EXTRAS.get(state, {}))
    shown_at = at(shown) if shown else None
    if state in _EMPLOYER_STATES:
        values["referred_at"] = shown_at + datetime.timedelta(days=1)
    if state == State.HIRED:
        values["hired_on"] = (shown_at + datetime.timedelta(days=3)).date()
    rec = Recommendation.objects.create(
        person=who, vacancy=vacancy, state=state, origin=Origin.BATCH, score=0.8, shown_at=shown_at, **values
    )
    if matched:
        # matched_at is stamped on creation; a test of another month moves it.
        Recommendation.objects.filter(pk=rec.pk).update(matched_at=at(matched))
    return rec


def push(who, item_id, when=None, *, item_type="vacancy", channel="database", status=PushStatus.SENT):
    return Push.objects.create(
        person=who,
        item_type=item_type,
        item_id=item_id,
        channel=channel,
        language="zh-hans",
        subject="s",
        body="b",
        status=status,
        attempts=1,
        sent_at=at(when) if status == PushStatus.SENT else None,
        dedupe_key=dedupe_key(person_id=who.pk, item_type=item_type, item_id=item_id, channel=channel),
    )
