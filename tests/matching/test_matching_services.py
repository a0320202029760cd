"""Matching on the register: the adapter, on-demand runs for a person and a vacancy, and
the nightly batch by district."""

import datetime

import pytest
import time_machine
from django.utils import translation

from core.errors import NotAllowed, ValidationFailed
from matching import adapter, services
from matching.explain import explanation
from recommendations.models import MatchRun, Origin, Recommendation, State
from tests.matching.matching_builders import FLIGHT_ATTENDANT, PASTRY, published_vacancy, seeker
from tests.vacancies.vacancy_builders import COOK, make_employer
from vacancies.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]


@pytest.fixture
def head(personas):
    return personas["head_chengguan"]


@pytest.fixture
def tashi(counsellor):
    # Born 1990: 36 in 2026; lives and is filed in 八廓街道 (城关区); wants to cook.
    return seeker(user=counsellor, skills="中式烹调、刀工", experience_years=3, disability="2")


@pytest.fixture
def market(head):
    """One vacancy that fits Tashi in every way, and one that breaks each hard rule once."""
    employer = make_employer()
    fits = {
        "cook": published_vacancy(head=head, employer=employer, skills="中式烹调、面点", title_zh="厨师"),
        "pastry": published_vacancy(
            head=head, employer=employer, occupation=PASTRY, skills="中式烹调、面点", title_zh="面点师"
        ),
    }
    breaks = {
        "occupation": published_vacancy(head=head, employer=employer, occupation=FLIGHT_ATTENDANT),
        "location": published_vacancy(head=head, employer=employer, work_unit="540122"),  # 当雄县
        "age": published_vacancy(head=head, employer=employer, age_min=18, age_max=30, age_reason="体力"),
        "education": published_vacancy(head=head, employer=employer, education_min="bachelor"),
        "language": published_vacancy(head=head, employer=employer, chinese_required="fluent"),
        "salary": published_vacancy(head=head, employer=employer, salary_min=2500, salary_max=3000),
    }
    draft = published_vacancy(head=head, employer=employer)
    draft.status = Status.SUSPENDED
    draft.save()
    return fits, breaks


def test_a_person_gets_only_vacancies_that_pass_every_hard_rule(counsellor, tashi, market):
    fits, _ = market
    matches = services.recommend_for_person(user=counsellor, person=tashi, limit=10)
    assert {r.vacancy.pk for r in matches.results} == {v.pk for v in fits.values()}
    assert matches.feasible == 2
    scores = [r.score for r in matches.results]
    assert scores == sorted(scores, reverse=True)
    # The same unit occupation scores above the neighbour in the small group.
    assert matches.results[0].vacancy.pk == fits["cook"].pk
    cook = matches.results[0]
    assert cook.facts["occupation_levels"] == 4
    assert (cook.facts["skills_required"], cook.facts["skills_held"]) == (2, 1)
    assert cook.score == pytest.approx(sum(cook.factors.values()), abs=1e-3)


def test_work_type_and_pay_are_hard_rules_too(counsellor, head):
    person = seeker(user=counsellor, work_mode="full_time", salary_expectation=5000)
    part_time = published_vacancy(head=head, work_type="part_time")
    low_pay = published_vacancy(head=head, salary_min=2200, salary_max=4000)  # below 5000 less 10 %
    just_enough = published_vacancy(head=head, salary_min=3000, salary_max=4500)  # 4500 = 5000 less 10 %
    found = {
        r.vacancy.pk for r in services.recommend_for_person(user=counsellor, person=person, limit=5).results
    }
    assert just_enough.pk in found
    assert not {part_time.pk, low_pay.pk} & found


def test_reasons_read_in_the_readers_language(counsellor, tashi, market):
    result = services.recommend_for_person(user=counsellor, person=tashi, limit=1).results[0]
    with translation.override("zh-hans"):
        chinese = [row["text"] for row in explanation(result.facts, result.factors)]
    with translation.override("bo"):
        tibetan = [row["text"] for row in explanation(result.facts, result.factors)]
    assert len(chinese) == 8
    assert chinese != tibetan
    assert any("2" in text and "1" in text for text in chinese)  # "要求的2项技能…具备1项"
    assert all(any("\u0f00" <= ch <= "\u0fff" for ch in text) for text in tibetan)


def test_too_few_feasible_names_the_binding_constraint(counsellor, tashi, market):
    matches = services.recommend_for_person(user=counsellor, person=tashi, limit=5)
    assert matches.feasible == 2 < matches.target
    assert matches.shortfall
    assert matches.extra["binding"] in {"location", "occupation", "age", "education", "language", "salary"}


def test_a_person_outside_the_area_is_refused(personas, tashi, market):
    with pytest.raises(NotAllowed):
        services.recommend_for_person(user=personas["counsellor_jiri"], person=tashi, limit=5)


def test_an_on_demand_run_stores_new_matches_once(counsellor, tashi, market):
    run = services.match_person(acting_user=counsellor, person=tashi)
    assert run.created == 2
    stored = Recommendation.objects.filter(person=tashi)
    assert {r.state for r in stored} == {State.MATCHED}
    assert {r.origin for r in stored} == {Origin.ON_DEMAND}
    assert all(r.factors and r.facts for r in stored)
    again = services.match_person(acting_user=counsellor, person=tashi)
    assert again.created == 0
    assert stored.count() == 2


def test_candidates_come_from_the_callers_area_and_look_for_work(personas, counsellor, head, market):
    fits, _ = market
    near = seeker(user=counsellor, sequence=2)
    seeker(user=counsellor, sequence=3, employment_status="employed")
    other_area = seeker(user=personas["counsellor_jiri"], sequence=4, unit_code="540102003")
    found = services.candidates_for_vacancy(user=counsellor, vacancy=fits["cook"], limit=20)
    ids = {r.person.pk for r in found.results}
    assert near.pk in ids
    assert other_area.pk not in ids
    assert all(r.person.employment_status == "unemployed" for r in found.results)
    district = services.candidates_for_vacancy(
        user=personas["district_chengguan"], vacancy=fits["cook"], limit=20
    )
    assert other_area.pk in {r.person.pk for r in district.results}


def test_recommending_a_candidate_records_the_engines_verdict(counsellor, tashi, market):
    fits, breaks = market
    recommendation = services.recommend_candidate(acting_user=counsellor, vacancy=fits["cook"], person=tashi)
    assert recommendation.origin == Origin.CANDIDATES
    assert recommendation.facts["occupation_levels"] == 4
    with pytest.raises(ValidationFailed):
        services.recommend_candidate(acting_user=counsellor, vacancy=breaks["location"], person=tashi)


# The batch runs for a given day: the seekers' key-group membership starts on the local
# date they are registered, so the clock is frozen on that day (Lhasa is UTC+8: after 16:00
# UTC a real clock is already on the next day, and nobody is a member yet on the 28th).
@time_machine.travel(datetime.datetime(2026, 11, 28, 2, tzinfo=datetime.UTC), tick=False)
def test_the_nightly_batch_covers_key_group_seekers_and_respects_capacity(settings, counsellor, head):
    settings.MATCHING = {**settings.MATCHING, "CAPACITY_MULTIPLE": 1}
    employer = make_employer()
    vacancies = [published_vacancy(head=head, employer=employer, headcount=1) for _ in range(6)]
    persons = [seeker(user=counsellor, sequence=n, disability="2") for n in range(1, 4)]
    not_key_group = seeker(user=counsellor, sequence=9)
    header = services.start_nightly_batch(today=datetime.date(2026, 11, 28), run_now=True)
    header.refresh_from_db()
    made = Recommendation.objects.filter(origin=Origin.BATCH)
    assert not made.filter(person=not_key_group).exists()
    per_vacancy = [made.filter(vacancy=v).count() for v in vacancies]
    assert max(per_vacancy) <= 1  # capacity multiple 1 x headcount 1
    # Six places for three people who each want five: two each, and the batch says so.
    assert sorted(made.filter(person__in=persons).values_list("person", flat=True)) == sorted(
        [p.pk for p in persons for _ in range(2)]
    )
    assert header.created == 6
    assert header.short == 3
    partitions = MatchRun.objects.filter(batch_label="2026-11-28", district__isnull=False)
    assert partitions.count() >= 8


def test_the_batch_tops_up_only_what_the_month_still_needs(settings, counsellor, head):
    employer = make_employer()
    for _ in range(8):
        published_vacancy(head=head, employer=employer, headcount=3)
    person = seeker(user=counsellor, disability="2")
    services.match_person(acting_user=counsellor, person=person)
    assert Recommendation.objects.filter(person=person).count() == 5
    services.start_nightly_batch(today=datetime.date.today(), run_now=True)
    assert Recommendation.objects.filter(person=person).count() == 5


def test_skill_items_split_lists_in_both_scripts():
    assert adapter.skill_items("电工证、焊工 ; Driving，ཁ་ལོ་བ། འཚོ་མ་བཟོ།") == [
        "电工证",
        "焊工",
        "driving",
        "ཁ་ལོ་བ",
        "འཚོ་མ་བཟོ",
    ]


def test_daily_and_hourly_pay_become_monthly(settings):
    settings.STANDARD = {**settings.STANDARD, "WORKDAYS_PER_MONTH": "21.75"}
    assert adapter.monthly_pay(200, "day") == pytest.approx(4350)
    assert adapter.monthly_pay(25, "hour") == pytest.approx(4350)
    assert adapter.monthly_pay(5000, "month") == 5000


def test_occupation_prefix_at_depth():
    assert services.occupation_prefix(COOK, 2) == "4-03"
    assert services.occupation_prefix("4-03-00-00", 3) == "4-03"
    assert services.occupation_prefix("4", 2) == "4"
