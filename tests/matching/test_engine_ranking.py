"""Top-k per seeker and per vacancy: order, ties, exclusions, rows."""

import numpy as np
import pytest

from matching import engine
from matching.engine import ranking as ranking_module
from matching.engine.types import FACTORS, MatchConfig
from tests.matching.engine_builders import only, pairs, seekers, vacancies


def test_higher_score_first_then_lower_index():
    # Vacancies 1 and 3 are identical and the best; 0 and 2 tie lower.
    v = vacancies({"age_days": 10.0}, {"age_days": 0.0}, {"age_days": 10.0}, {"age_days": 0.0})
    result = engine.top_vacancies(seekers({}), v, only("freshness"), 4)
    assert result.other.tolist() == [1, 3, 0, 2]
    assert result.rank.tolist() == [0, 1, 2, 3]
    assert result.row.tolist() == [0, 0, 0, 0]
    assert result.score[0] == result.score[1] > result.score[2] == result.score[3]


def test_candidates_tie_on_lower_seeker_index():
    s = seekers({"age": 40}, {"age": 30}, {"age": 40}, {"age": 30})
    result = engine.top_candidates(s, vacancies({}), MatchConfig(), 3, np.array([0]))
    assert result.other.tolist() == [0, 1, 2]
    assert result.row.tolist() == [0, 0, 0]


def test_rows_and_results_sorted_by_row():
    s = seekers({}, {"age": 80}, {})
    v = vacancies({"age_max": 60, "age_days": 5.0}, {"age_max": 60})
    result = engine.top_vacancies(s, v, MatchConfig(), 5, rows=np.array([2, 1]))
    assert result.row.tolist() == [2, 2]  # seeker 1 has nothing; seeker 0 was not asked
    assert result.other.tolist() == [1, 0]


def test_fewer_feasible_than_k():
    result = engine.top_vacancies(seekers({}), vacancies({}, {"open": False}), MatchConfig(), 10)
    assert result.other.tolist() == [0]


def test_exclude_skips_pairs_and_the_next_one_moves_up():
    s = seekers({}, {})
    v = vacancies({"age_days": 0.0}, {"age_days": 5.0}, {"age_days": 9.0})
    m = len(v)
    exclude = np.array([0 * m + 0, 1 * m + 1])
    result = engine.top_vacancies(s, v, only("freshness"), 2, exclude=exclude)
    assert result.row.tolist() == [0, 0, 1, 1]
    assert result.other.tolist() == [1, 2, 0, 2]


def test_factors_add_up_to_the_score():
    s = seekers({"occupations": ["4-03-02-09"], "skills": [1]}, {"salary_min": 4000.0, "experience": 2.0})
    v = vacancies(
        {"skills": [1, 2], "lat": 29.7, "age_days": 3.0}, {"salary_max": 6000.0, "experience_min": 1.0}
    )
    result = engine.top_vacancies(s, v, MatchConfig(), 2)
    assert result.factors.shape == (result.row.size, len(FACTORS))
    np.testing.assert_allclose(result.factors.sum(axis=1), result.score, atol=1e-6)
    score, factors = engine.score_pairs(s, v, result.row, result.other, MatchConfig())
    np.testing.assert_allclose(score, result.score, atol=1e-6)
    np.testing.assert_allclose(factors, result.factors, atol=1e-6)


def test_candidates_of_a_closed_vacancy_are_none():
    result = engine.top_candidates(seekers({}), vacancies({"open": False}), MatchConfig(), 5, np.array([0]))
    assert result.row.size == 0


def random_market(rng: np.random.Generator, n: int, m: int):
    """A small market with crowded groups and districts, as the bench shapes it, in builder rows."""
    groups = ["4-01", "4-03", "6-29", "2-02"]
    seeker_rows = []
    for _ in range(n):
        wanted = [f"{rng.choice(groups)}-{rng.integers(0, 3):02d}-{rng.integers(0, 3):02d}"]
        seeker_rows.append(
            {
                "occupations": wanted if rng.random() < 0.9 else [],
                "district": int(rng.choice(3, p=[0.7, 0.2, 0.1])),
                "desired_districts": [int(d) for d in rng.choice(3, size=rng.integers(0, 3))],
                "travels": bool(rng.random() < 0.15),
                "age": int(rng.integers(16, 60)),
                "education": int(rng.integers(0, 8)),
                "tibetan": int(rng.integers(0, 4)),
                "chinese": int(rng.integers(0, 4)),
                "work_mode": int(rng.choice(4, p=[0.6, 0.2, 0.1, 0.1])),
                "salary_min": float(rng.choice([0, 3000, 4000, 5000])),
                "experience": float(rng.integers(0, 10)),
                "lat": 29.65 + rng.normal() * 0.05,
                "lon": 91.13 + rng.normal() * 0.05,
                "skills": [int(x) for x in rng.choice(90, size=rng.integers(0, 4), replace=False)],
            }
        )
    vacancy_rows = []
    for _ in range(m):
        vacancy_rows.append(
            {
                "occupation": f"{rng.choice(groups)}-{rng.integers(1, 3):02d}-{rng.integers(1, 3):02d}",
                "district": int(rng.choice(3, p=[0.6, 0.3, 0.1])),
                "age_max": int(rng.choice([35, 45, 200])),
                "education_min": int(rng.integers(0, 4)),
                "chinese_required": int(rng.integers(0, 3)),
                "work_type": int(rng.choice([1, 2, 3], p=[0.8, 0.1, 0.1])),
                "salary_max": float(rng.choice([3000, 4500, 6000])),
                "experience_min": float(rng.integers(0, 3)),
                "age_days": float(rng.integers(0, 60)),
                "responsiveness": float(rng.random()),
                "headcount": int(rng.integers(1, 3)),
                "open": bool(rng.random() < 0.95),
                "lat": 29.65 + rng.normal() * 0.05,
                "lon": 91.13 + rng.normal() * 0.05,
                "skills": [int(x) for x in rng.choice(90, size=rng.integers(0, 3), replace=False)],
            }
        )
    return seekers(*seeker_rows), vacancies(*vacancy_rows)


def brute_force(s, v, config, k, by_seeker=True):
    """Top k from every pair through the pair functions: (row, other, score) sorted."""
    si, vi = pairs(len(s), len(v))
    ok = engine.feasible(s, v, si, vi, config)
    si, vi = si[ok], vi[ok]
    score, _ = engine.score_pairs(s, v, si, vi, config)
    row, other = (si, vi) if by_seeker else (vi, si)
    order = np.lexsort((other, -score, row))
    row, other, score = row[order], other[order], score[order]
    first = np.searchsorted(row, row)
    keep = np.arange(row.size) - first < k
    return row[keep], other[keep], score[keep]


@pytest.mark.parametrize(("k", "cells", "workers"), [(1, 1 << 20, 1), (3, 4096, 2), (8, 700, 2)])
def test_blocked_ranking_equals_every_pair(monkeypatch, k, cells, workers):
    # Small chunks force many chunks per unit; more than 32 * k vacancies per group exercise
    # the bounds that skip cells.
    monkeypatch.setattr(ranking_module, "CELLS", cells)
    s, v = random_market(np.random.default_rng(k), 400, 600)
    config = MatchConfig(workers=workers)
    row, other, score = brute_force(s, v, config, k)
    result = engine.top_vacancies(s, v, config, k)
    assert result.row.tolist() == row.tolist()
    assert result.other.tolist() == other.tolist()
    np.testing.assert_allclose(result.score, score, atol=1e-6)

    row, other, score = brute_force(s, v, config, k, by_seeker=False)
    result = engine.top_candidates(s, v, config, k, np.arange(len(v)))
    assert result.row.tolist() == row.tolist()
    assert result.other.tolist() == other.tolist()


def test_deterministic_whatever_the_threads(monkeypatch):
    monkeypatch.setattr(ranking_module, "CELLS", 2000)
    s, v = random_market(np.random.default_rng(7), 300, 300)
    one = engine.top_vacancies(s, v, MatchConfig(workers=1), 4)
    two = engine.top_vacancies(s, v, MatchConfig(workers=2), 4)
    assert one.other.tolist() == two.other.tolist()
    assert one.score.tobytes() == two.score.tobytes()


def test_seekers_whose_districts_have_no_vacancy_of_their_group():
    s = seekers({"desired_districts": [1, 2]}, {"desired_districts": [0, 2]})
    v = vacancies({"district": 0}, {"district": 3})
    result = engine.top_vacancies(s, v, MatchConfig(), 2, exclude=np.array([3]))
    assert result.row.tolist() == [1]
    assert result.other.tolist() == [0]
    batch = engine.batch(s, v, MatchConfig(), np.array([1, 1]), exclude=np.array([3]))
    assert batch.assigned.tolist() == [0, 1]


def test_empty_inputs():
    s, v, config = seekers({}, {"occupations": ["4-03"]}), vacancies({}), MatchConfig()
    none = np.zeros(0, dtype=np.int64)
    assert engine.top_vacancies(s, vacancies(), config, 5).row.size == 0
    assert engine.top_vacancies(seekers(), v, config, 5).row.size == 0
    assert engine.top_vacancies(s, v, config, 0).row.size == 0
    assert engine.top_candidates(s, v, config, 5, none).row.size == 0
    assert engine.top_candidates(seekers(), v, config, 5, np.array([0])).row.size == 0
    assert engine.batch(s, vacancies(), config, np.array([2, 2])).assigned.tolist() == [0, 0]
    assert engine.batch(s, v, config, np.array([0, 0])).ranking.row.size == 0
    assert engine.diagnose(s, vacancies(), np.array([0]), config, 3).feasible.tolist() == [0]
    assert engine.score_pairs(s, v, none, none, config)[1].shape == (0, len(FACTORS))
