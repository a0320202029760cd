"""Running the engine on the register: for one person, for one vacancy, and the nightly batch.

The engine (matching.engine) is pure numpy; `matching.adapter` turns rows into its
arrays. This module chooses the rows (scope, open vacancies, who still needs
recommendations this month, what was recommended before), runs the engine and records
the results as `recommendations.Recommendation` rows in state "matched".
"""

import datetime
import logging
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import audit_change
from core.errors import NotAllowed, ValidationFailed
from core.scope import scoped, unit_in_scope
from matching import adapter, engine
from matching.engine.types import CONSTRAINTS, Facts
from matching.explain import factors_at, facts_at, shortfall
from network.models import Level, OrgUnit
from people.choices import EmploymentStatus
from people.models import Person
from recommendations.models import OPEN_STATES, MatchRun, Origin, Recommendation, State
from vacancies.models import Vacancy

log = logging.getLogger(__name__)

NOT_OPEN = _("This vacancy is not open for recommendations.")
NOT_FEASIBLE = _("This person does not meet the vacancy's requirements.")

RUN = "matching.run_matching"
VIEW = "matching.view_matches"


@dataclass
class Result:
    score: float
    factors: dict
    facts: dict
    vacancy: Vacancy | None = None
    person: Person | None = None


@dataclass
class Matches:
    results: list[Result]
    # Feasible open vacancies for the person (seeker side only), and why so few.
    feasible: int | None = None
    shortfall: str = ""
    target: int = 0
    extra: dict = field(default_factory=dict)


def target_per_month() -> int:
    return settings.STANDARD["MATCHED_VACANCIES_PER_MONTH"]


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise NotAllowed()


def occupation_prefix(code: str, depth: int) -> str:
    """ "4-03-02-01" at depth 2 -> "4-03"; a group shallower than the depth is its own prefix."""
    return "-".join([part for part in code.split("-") if part.strip("0")][:depth])


def _vacancies_for(person: Person, depth: int):
    """Published vacancies that can pass the occupation filter (the engine re-checks)."""
    vacancies = adapter.vacancy_queryset()
    codes = [o.code for o in person.desired_occupations.all()][: adapter.MAX_DESIRED]
    if codes:
        wanted = Q()
        for code in codes:
            prefix = occupation_prefix(code, depth)
            wanted |= Q(occupation__code=prefix) | Q(occupation__code__startswith=f"{prefix}-")
        vacancies = vacancies.filter(wanted)
    return vacancies


def _recent_pairs(person_ids, today: datetime.date) -> set[tuple[int, int]]:
    """(person, vacancy) pairs not to recommend again: open, or matched within REPEAT_AFTER_DAYS."""
    since = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=settings.MATCHING["REPEAT_AFTER_DAYS"]), datetime.time()
        )
    )
    recent = Recommendation.objects.filter(person_id__in=person_ids).filter(
        Q(state__in=OPEN_STATES) | Q(matched_at__gte=since)
    )
    return set(recent.values_list("person_id", "vacancy_id"))


def _exclude_keys(pairs, seeker_index: dict[int, int], vacancy_index: dict[int, int], m: int) -> np.ndarray:
    keys = [
        seeker_index[p] * m + vacancy_index[v] for p, v in pairs if p in seeker_index and v in vacancy_index
    ]
    return np.array(sorted(keys), dtype=np.int64)


def _occupation_names(person: Person) -> str:
    return "、".join(
        f"{o.code} {o.name}" for o in list(person.desired_occupations.all())[: adapter.MAX_DESIRED]
    )


def _prepare_person(person: Person, today: datetime.date):
    config = adapter.config_from_settings()
    geography = adapter.Geography()
    vocabulary = adapter.Vocabulary()
    person = adapter.person_queryset().get(pk=person.pk)
    seeker_rows = adapter.load_seekers([person], today=today, geography=geography, vocabulary=vocabulary)
    vacancy_rows = adapter.load_vacancies(
        _vacancies_for(person, config.occupation_depth),
        now=timezone.now(),
        geography=geography,
        vocabulary=vocabulary,
    )
    return config, person, seeker_rows, vacancy_rows


def _results(ranking, seekers, vacancies, config, *, vacancy_rows=None, persons=None) -> list[Result]:
    if ranking.row.size == 0:
        return []
    if vacancy_rows is not None:
        s_idx, v_idx = ranking.row, ranking.other
    else:
        s_idx, v_idx = ranking.other, ranking.row
    facts = engine.explain(seekers, vacancies, s_idx, v_idx, config)
    results = []
    for i in range(ranking.row.size):
        result = Result(
            score=round(float(ranking.score[i]), 4),
            factors=factors_at(ranking.factors, i),
            facts=facts_at(facts, i),
        )
        if vacancy_rows is not None:
            result.vacancy = vacancy_rows[int(v_idx[i])]
        else:
            result.person = persons[int(s_idx[i])]
        results.append(result)
    return results


def recommend_for_person(
    *, user, person: Person, limit: int, today: datetime.date | None = None, exclude_recommended: bool = False
) -> Matches:
    """The best `limit` open vacancies for the person, with factors and facts; nothing stored."""
    _require(user, VIEW)
    if not unit_in_scope(user, person.unit):
        raise NotAllowed()
    today = today or timezone.localdate()
    config, person, seeker_rows, vacancy_rows = _prepare_person(person, today)
    seekers, vacancies = seeker_rows.seekers, vacancy_rows.vacancies
    exclude = None
    if exclude_recommended and len(vacancies):
        vacancy_index = {v.pk: j for j, v in enumerate(vacancy_rows.rows)}
        exclude = _exclude_keys(
            _recent_pairs([person.pk], today), {person.pk: 0}, vacancy_index, len(vacancies)
        )
    ranking = engine.top_vacancies(seekers, vacancies, config, limit, exclude=exclude)
    results = _results(ranking, seekers, vacancies, config, vacancy_rows=vacancy_rows.rows)
    matches = Matches(results=results, target=target_per_month())
    diagnosis = engine.diagnose(seekers, vacancies, np.array([0], dtype=np.int32), config, target_per_month())
    matches.feasible = int(diagnosis.feasible[0])
    if diagnosis.binding[0] >= 0:
        matches.shortfall = shortfall(
            int(diagnosis.binding[0]),
            occupations=_occupation_names(person),
            salary=person.salary_expectation,
            found=matches.feasible,
        )
        matches.extra["binding"] = CONSTRAINTS[int(diagnosis.binding[0])]
    return matches


def _candidate_persons(user, vacancy: Vacancy, depth: int):
    """Persons in the user's area who look for work and may want this occupation."""
    prefixes = []
    parts = vacancy.occupation.code.split("-")
    for level in range(1, 5):
        prefixes.append("-".join(parts[:level]))
    persons = scoped(adapter.person_queryset(), user).filter(
        employment_status=EmploymentStatus.UNEMPLOYED, able_and_willing=True
    )
    # A wish for a group matches every occupation in it; a wish sharing `depth` levels passes.
    shared = "-".join(parts[:depth])
    wish = Q(desired_occupations__code__in=prefixes) | Q(desired_occupations__code__startswith=f"{shared}-")
    no_wish = Q(desired_occupations__isnull=True)
    return persons.filter(wish | no_wish).distinct()


def candidates_for_vacancy(
    *, user, vacancy: Vacancy, limit: int, today: datetime.date | None = None
) -> Matches:
    """The best `limit` job seekers in the user's area for the vacancy; nothing stored."""
    _require(user, VIEW)
    today = today or timezone.localdate()
    config = adapter.config_from_settings()
    geography = adapter.Geography()
    vocabulary = adapter.Vocabulary()
    vacancy = (
        adapter.vacancy_queryset().model.objects.select_related("occupation", "employer").get(pk=vacancy.pk)
    )
    vacancy_rows = adapter.load_vacancies(
        [vacancy], now=timezone.now(), geography=geography, vocabulary=vocabulary
    )
    seeker_rows = adapter.load_seekers(
        _candidate_persons(user, vacancy, config.occupation_depth),
        today=today,
        geography=geography,
        vocabulary=vocabulary,
    )
    seekers, vacancies = seeker_rows.seekers, vacancy_rows.vacancies
    if not len(seekers):
        return Matches(results=[], target=limit)
    ranking = engine.top_candidates(seekers, vacancies, config, limit, np.array([0], dtype=np.int32))
    results = _results(ranking, seekers, vacancies, config, persons=seeker_rows.persons)
    return Matches(results=results, target=limit)


def _new_recommendations(run: MatchRun, rows: list[tuple[int, int, Result]], origin: str, user) -> int:
    """Insert matched recommendations; a pair that became open meanwhile is skipped."""
    objects = [
        Recommendation(
            person_id=person_id,
            vacancy_id=vacancy_id,
            state=State.MATCHED,
            origin=origin,
            run=run,
            score=result.score,
            factors=result.factors,
            facts=result.facts,
            created_by=user,
        )
        for person_id, vacancy_id, result in rows
    ]
    before = Recommendation.objects.filter(run=run).count()
    Recommendation.objects.bulk_create(objects, batch_size=1000, ignore_conflicts=True)
    return Recommendation.objects.filter(run=run).count() - before


@transaction.atomic
def match_person(
    *, acting_user, person: Person, request=None, today: datetime.date | None = None
) -> MatchRun:
    """A counsellor's on-demand run: store the best new vacancies (the monthly target's worth)."""
    _require(acting_user, RUN)
    if not unit_in_scope(acting_user, person.unit):
        raise NotAllowed()
    today = today or timezone.localdate()
    matches = recommend_for_person(
        user=acting_user, person=person, limit=target_per_month(), today=today, exclude_recommended=True
    )
    run = MatchRun.objects.create(kind=MatchRun.Kind.PERSON, by=acting_user, seekers=1)
    run.created = _new_recommendations(
        run, [(person.pk, r.vacancy.pk, r) for r in matches.results], Origin.ON_DEMAND, acting_user
    )
    run.vacancies = matches.feasible or 0
    run.short = int(run.created < target_per_month())
    run.stats = {"feasible": matches.feasible, "shortfall": matches.shortfall}
    run.finished_at = timezone.now()
    run.save()
    audit_change(actor=acting_user, action=Action.CREATE, instance=run, request=request)
    return run


@transaction.atomic
def recommend_candidate(*, acting_user, vacancy: Vacancy, person: Person, request=None) -> Recommendation:
    """Record the counsellor's choice of a candidate from a vacancy's list."""
    from recommendations.services import recommendation_create

    _require(acting_user, RUN)
    if not unit_in_scope(acting_user, person.unit):
        raise NotAllowed()
    config = adapter.config_from_settings()
    geography = adapter.Geography()
    vocabulary = adapter.Vocabulary()
    person = adapter.person_queryset().get(pk=person.pk)
    seekers = adapter.load_seekers(
        [person], today=timezone.localdate(), geography=geography, vocabulary=vocabulary
    )
    vacancies = adapter.load_vacancies(
        adapter.vacancy_queryset().filter(pk=vacancy.pk),
        now=timezone.now(),
        geography=geography,
        vocabulary=vocabulary,
    )
    if not len(vacancies.vacancies):
        raise ValidationFailed(errors={"vacancy": [str(NOT_OPEN)]})
    pair = np.array([0], dtype=np.int32)
    if not engine.feasible(seekers.seekers, vacancies.vacancies, pair, pair, config)[0]:
        raise ValidationFailed(errors={"person": [str(NOT_FEASIBLE)]})
    score, factors = engine.score_pairs(seekers.seekers, vacancies.vacancies, pair, pair, config)
    facts: Facts = engine.explain(seekers.seekers, vacancies.vacancies, pair, pair, config)
    return recommendation_create(
        person=person,
        vacancy=vacancies.rows[0],
        score=round(float(score[0]), 4),
        factors=factors_at(factors, 0),
        facts=facts_at(facts, 0),
        origin=Origin.CANDIDATES,
        acting_user=acting_user,
    )


# --- The nightly batch ------------------------------------------------------------------


def key_group_seekers(district: OrgUnit, today: datetime.date):
    """Key-group persons filed in the district who look for work (the 1:5 population)."""
    from notifications.selectors import key_group_in_month

    return (
        adapter.person_queryset()
        .filter(unit__path__startswith=district.path, employment_status=EmploymentStatus.UNEMPLOYED)
        .filter(able_and_willing=True)
        .filter(key_group_in_month(today))
    )


def _matched_this_month(person_ids, today: datetime.date) -> dict[int, int]:
    start = timezone.make_aware(datetime.datetime.combine(today.replace(day=1), datetime.time()))
    rows = (
        Recommendation.objects.filter(person_id__in=person_ids, matched_at__gte=start)
        .exclude(state=State.WITHDRAWN)
        .values("person_id")
        .annotate(n=Count("vacancy_id", distinct=True))
    )
    return {row["person_id"]: row["n"] for row in rows}


def start_nightly_batch(*, today: datetime.date | None = None, run_now: bool = False) -> MatchRun:
    """Create the batch header and one partition per district (queued, or run here)."""
    from django_q.tasks import async_task

    today = today or timezone.localdate()
    header = MatchRun.objects.create(kind=MatchRun.Kind.BATCH, batch_label=today.isoformat())
    districts = OrgUnit.objects.filter(level=Level.DISTRICT, is_active=True).order_by("path")
    for district in districts:
        if run_now:
            run_batch_partition(header_id=header.pk, district_code=district.code, today=today)
        else:
            async_task(
                "matching.tasks.batch_partition",
                header.pk,
                district.code,
                today.isoformat(),
                task_name=f"matching-{today:%Y%m%d}-{district.code}",
            )
    return header


def run_batch_partition(*, header_id: int, district_code: str, today: datetime.date) -> MatchRun:
    """Score the district's key-group seekers against every open vacancy, then, under the
    batch header's lock, share the vacancies' capacity with the partitions written before."""
    district = OrgUnit.objects.get(code=district_code)
    config = adapter.config_from_settings()
    geography = adapter.Geography()
    vocabulary = adapter.Vocabulary()
    persons = list(key_group_seekers(district, today))
    target = target_per_month()
    done = _matched_this_month([p.pk for p in persons], today)
    persons = [p for p in persons if done.get(p.pk, 0) < target]
    seeker_rows = adapter.load_seekers(persons, today=today, geography=geography, vocabulary=vocabulary)
    vacancy_rows = adapter.load_vacancies(
        adapter.vacancy_queryset(), now=timezone.now(), geography=geography, vocabulary=vocabulary
    )
    seekers, vacancies = seeker_rows.seekers, vacancy_rows.vacancies
    seeker_index = {p.pk: i for i, p in enumerate(persons)}
    vacancy_index = {v.pk: j for j, v in enumerate(vacancy_rows.rows)}
    exclude = _exclude_keys(
        _recent_pairs(list(seeker_index), today), seeker_index, vacancy_index, len(vacancies)
    )
    need = np.array([target - done.get(p.pk, 0) for p in persons], dtype=np.int32)
    with transaction.atomic():
        header = MatchRun.objects.select_for_update().get(pk=header_id)
        load = np.zeros(len(vacancies), dtype=np.int32)
        given = (
            Recommendation.objects.filter(run__batch_label=header.batch_label, run__kind=MatchRun.Kind.BATCH)
            .values("vacancy_id")
            .annotate(n=Count("id"))
        )
        for row in given:
            if row["vacancy_id"] in vacancy_index:
                load[vacancy_index[row["vacancy_id"]]] = row["n"]
        run = MatchRun.objects.create(
            kind=MatchRun.Kind.BATCH,
            batch_label=header.batch_label,
            district=district,
            seekers=len(seekers),
            vacancies=len(vacancies),
        )
        rows = []
        short = 0
        if len(seekers) and len(vacancies):
            result = engine.batch(seekers, vacancies, config, need, exclude=exclude, load=load)
            ranking = result.ranking
            facts = engine.explain(seekers, vacancies, ranking.row, ranking.other, config)
            for i in range(ranking.row.size):
                person = persons[int(ranking.row[i])]
                vacancy = vacancy_rows.rows[int(ranking.other[i])]
                rows.append(
                    (
                        person.pk,
                        vacancy.pk,
                        Result(
                            score=round(float(ranking.score[i]), 4),
                            factors=factors_at(ranking.factors, i),
                            facts=facts_at(facts, i),
                        ),
                    )
                )
            short = int(np.count_nonzero(result.assigned < need))
        elif len(seekers):
            short = len(seekers)
        run.created = _new_recommendations(run, rows, Origin.BATCH, None)
        run.short = short
        run.finished_at = timezone.now()
        run.save()
        header.created += run.created
        header.seekers += run.seekers
        header.short += run.short
        header.vacancies = max(header.vacancies, run.vacancies)
        header.finished_at = run.finished_at
        header.save()
    log.info(
        "matching %s %s: %d seekers, %d recommendations",
        header.batch_label,
        district_code,
        run.seekers,
        run.created,
    )
    return run
