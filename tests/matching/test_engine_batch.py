"""The capacity-capped batch: caps, load, coverage, exclusions, and the diagnosis."""

import numpy as np
import pytest

from matching import engine
from matching.engine import ranking as ranking_module
from matching.engine.types import CONSTRAINTS, MatchConfig
from tests.matching.engine_builders import only, pairs, seekers, vacancies
from tests.matching.test_engine_ranking import random_market


def test_cap_keeps_the_best_scoring_seekers():
    # One vacancy, cap 2 (headcount 1 x 2): the two with the most experience get it.
    s = seekers(*({"experience": float(e)} for e in (1, 4, 2, 5, 3)))
    v = vacancies({"experience_min": 10.0})
    result = engine.batch(s, v, only("experience", capacity_multiple=2.0), np.ones(5))
    assert sorted(result.ranking.row.tolist()) == [1, 3]
    assert result.load.tolist() == [2]
    assert result.assigned.tolist() == [0, 1, 0, 1, 0]
    assert result.feasible.tolist() == [1, 1, 1, 1, 1]


def test_cap_rounds_up_and_load_counts_against_it():
    s = seekers(*({} for _ in range(6)))
    v = vacancies({"headcount": 3})
    config = MatchConfig(capacity_multiple=0.5)  # ceil(1.5) = 2
    assert engine.batch(s, v, config, np.ones(6)).load.tolist() == [2]
    result = engine.batch(s, v, config, np.ones(6), load=np.array([1]))
    assert result.assigned.sum() == 1
    assert result.load.tolist() == [2]  # absolute: the earlier partitions' result counts
    assert engine.batch(s, v, config, np.ones(6), load=np.array([5])).assigned.sum() == 0


def test_a_seeker_turned_away_goes_to_the_next_vacancy():
    # Both prefer vacancy 0 (fresher); it holds one. The weaker seeker ends at vacancy 1.
    s = seekers({"experience": 5.0}, {"experience": 1.0})
    v = vacancies({"age_days": 0.0, "experience_min": 5.0}, {"age_days": 50.0, "experience_min": 5.0})
    weights = {"freshness": 1.0, "experience": 0.1}
    result = engine.batch(s, v, MatchConfig(weights=weights, capacity_multiple=1.0), np.ones(2))
    assert dict(zip(result.ranking.row.tolist(), result.ranking.other.tolist(), strict=True)) == {0: 0, 1: 1}


def test_need_and_exclude():
    s = seekers({}, {}, {})
    v = vacancies(*({"age_days": float(d), "headcount": 10} for d in range(4)))
    m = len(v)
    result = engine.batch(
        s, v, only("freshness"), np.array([2, 0, 3]), exclude=np.array([0 * m + 0, 2 * m + 1])
    )
    got = {i: result.ranking.other[result.ranking.row == i].tolist() for i in range(3)}
    assert got == {0: [1, 2], 1: [], 2: [0, 2, 3]}
    assert result.assigned.tolist() == [2, 0, 3]
    assert result.feasible.tolist() == [4, 4, 4]
    assert result.available.tolist() == [3, 4, 3]
    assert result.ranking.rank.tolist() == [0, 1, 0, 1, 2]


def test_nobody_short_while_a_feasible_vacancy_has_room(monkeypatch):
    monkeypatch.setattr(ranking_module, "CELLS", 5000)
    s, v = random_market(np.random.default_rng(11), 500, 200)
    config = MatchConfig(capacity_multiple=2.0, workers=2)
    need = np.random.default_rng(1).integers(0, 6, len(s))
    result = engine.batch(s, v, config, need)
    cap = np.ceil(2.0 * v.headcount)
    assert (result.load <= cap).all()
    assert (result.assigned <= need).all()
    assert engine.feasible(s, v, result.ranking.row, result.ranking.other, config).all()
    si, vi = pairs(len(s), len(v))
    ok = engine.feasible(s, v, si, vi, config)
    assert result.feasible.tolist() == np.bincount(si[ok], minlength=len(s)).tolist()
    given = set(zip(result.ranking.row.tolist(), result.ranking.other.tolist(), strict=True))
    room = result.load < cap
    for i, j in zip(si[ok], vi[ok], strict=True):
        if result.assigned[i] < need[i] and room[j]:
            assert (int(i), int(j)) in given
    # Capacity binds here (cap 2 per head): some are short, most are served.
    assert 0 < (result.assigned < np.minimum(need, result.feasible)).sum()
    assert result.assigned.sum() > 0.5 * np.minimum(need, result.feasible).sum()


def test_results_ordered_by_score_per_seeker():
    s, v = random_market(np.random.default_rng(5), 200, 150)
    result = engine.batch(s, v, MatchConfig(), np.full(len(s), 4))
    r = result.ranking
    for i in np.unique(r.row):
        scores = r.score[r.row == i]
        assert (np.diff(scores) <= 0).all()
        assert r.rank[r.row == i].tolist() == list(range(scores.size))


def test_diagnosis_names_the_binding_constraint():
    s = seekers({"salary_min": 8000.0}, {})
    v = vacancies({"salary_max": 5000.0}, {"salary_max": 6000.0, "education_min": 5}, {"open": False})
    d = engine.diagnose(s, v, np.array([0, 1]), MatchConfig(), 2)
    assert d.feasible.tolist() == [0, 1]
    assert d.without[0, CONSTRAINTS.index("salary")] == 1
    assert d.without[0, CONSTRAINTS.index("education")] == 0
    assert d.without[0, CONSTRAINTS.index("open")] == 0  # closed and too low paid
    assert CONSTRAINTS[d.binding[0]] == "salary"
    # Seeker 1: dropping education or openness frees one each; the first named wins.
    assert d.without[1].tolist() == [1, 1, 1, 2, 1, 1, 1, 2]
    assert CONSTRAINTS[d.binding[1]] == "education"
    assert engine.diagnose(s, v, np.array([1]), MatchConfig(), 1).binding.tolist() == [-1]  # k feasible


def test_diagnosis_when_no_single_constraint_frees_anything():
    s = seekers({"age": 70, "education": 0})
    v = vacancies({"age_max": 60, "education_min": 3})
    d = engine.diagnose(s, v, np.array([0]), MatchConfig(), 1)
    assert d.feasible.tolist() == [0]
    assert d.without.tolist() == [[0] * len(CONSTRAINTS)]
    assert d.binding.tolist() == [-1]


@pytest.mark.parametrize("rows", [np.array([3, 0, 3]), np.arange(40)])
def test_diagnosis_counts_match_pairs(rows):
    s, v = random_market(np.random.default_rng(3), 40, 120)
    config = MatchConfig()
    d = engine.diagnose(s, v, rows, config, 5)
    for position, i in enumerate(rows):
        ok = engine.feasible(s, v, np.full(len(v), i), np.arange(len(v)), config)
        assert d.feasible[position] == ok.sum()


def test_scarce_places_go_round_before_anyone_gets_a_second():
    # Six places (six vacancies, cap 1 each) for three seekers who want five each. Seeker 2
    # scores best everywhere: plain deferred acceptance would give it five and seeker 0
    # nothing. Level by level, each gets two.
    s = seekers(*({"experience": float(e)} for e in (1, 2, 3)))
    v = vacancies(*({"experience_min": 10.0} for _ in range(6)))
    result = engine.batch(s, v, only("experience", capacity_multiple=1.0), np.full(3, 5))
    assert result.assigned.tolist() == [2, 2, 2]
    assert result.load.tolist() == [1] * 6


def test_the_best_scoring_seeker_still_leads_within_a_level():
    # Seven places for three: after two each, the seventh goes to the best scorer.
    s = seekers(*({"experience": float(e)} for e in (1, 2, 3)))
    v = vacancies(*({"experience_min": 10.0} for _ in range(7)))
    result = engine.batch(s, v, only("experience", capacity_multiple=1.0), np.full(3, 5))
    assert result.assigned.tolist() == [2, 2, 3]
