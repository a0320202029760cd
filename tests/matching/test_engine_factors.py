"""Each factor alone (weight 1, the others 0), with numbers worked out by hand."""

import math

import numpy as np
import pytest

from matching import engine
from matching.engine.types import FACTORS, MatchConfig
from tests.matching.engine_builders import LHASA, only, seekers, vacancies


def value(factor: str, seeker: dict, vacancy: dict, **config) -> float:
    cfg = only(factor, **config)
    s, v = seekers(seeker), vacancies(vacancy)
    score, parts = engine.score_pairs(s, v, np.array([0]), np.array([0]), cfg)
    assert parts[0, FACTORS.index(factor)] == pytest.approx(score[0], abs=1e-6)
    assert parts.sum() == pytest.approx(score[0], abs=1e-6)
    if engine.feasible(s, v, np.array([0]), np.array([0]), cfg)[0]:
        ranked = engine.top_vacancies(s, v, cfg, 1)
        assert ranked.score[0] == pytest.approx(score[0], abs=1e-6)
    return float(score[0])


@pytest.mark.parametrize(
    ("desired", "code", "expected"),
    [
        (["4-03-02-01"], "4-03-02-01", 1.0),
        (["4-03-02-01"], "4-03-02-05", 0.75),
        (["4-03-02-01"], "4-03-07-05", 0.5),
        (["4-03"], "4-03-07-05", 1.0),  # wildcard levels count as shared
        (["4-03-07-00"], "4-03-07-05", 1.0),
        (["2-02-01-01", "4-03-02-09"], "4-03-02-01", 0.75),  # the closest desire
        ([], "4-03-02-01", 0.0),  # no preference
    ],
)
def test_occupation(desired, code, expected):
    assert value("occupation", {"occupations": desired}, {"occupation": code}) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("held", "required", "expected"),
    [
        ([1, 2, 3], [1, 2], 1.0),
        ([1], [1, 2, 3, 4], 0.25),
        ([5], [1, 2], 0.0),
        ([], [], 1.0),  # nothing required
        ([1, 1, 1], [1, 1, 2], 0.5),  # sets: repeats count once
        ([900, 70_000], [70_000, 3], 0.5),  # any ids
    ],
)
def test_skills(held, required, expected):
    assert value("skills", {"skills": held}, {"skills": required}) == pytest.approx(expected)


def test_skills_many_distinct_ids_in_one_ranking():
    # 200 distinct required ids: more than the chunk's bitset words, counted by lookup.
    rows = [{"skills": list(range(i, i + 4))} for i in range(0, 800, 4)]
    v = vacancies(*rows)
    s = seekers({"skills": [0, 1, 4, 796, 797, 798]})
    ranking = engine.top_vacancies(s, v, only("skills"), 3)
    assert ranking.other.tolist() == [199, 0, 1]
    assert ranking.score.tolist() == pytest.approx([0.75, 0.5, 0.25])


@pytest.mark.parametrize(
    ("expected_pay", "pay", "tolerance", "expected"),
    [
        (0.0, 3000.0, 0.1, 1.0),
        (5000.0, 5000.0, 0.1, (1.0 - 0.9) / 0.6),
        (5000.0, 4500.0, 0.1, 0.0),
        (5000.0, 6500.0, 0.1, (1.3 - 0.9) / 0.6),
        (5000.0, 8000.0, 0.1, 1.0),
        (4000.0, 5000.0, 0.0, 0.5),
    ],
)
def test_salary(expected_pay, pay, tolerance, expected):
    got = value("salary", {"salary_min": expected_pay}, {"salary_max": pay}, salary_tolerance=tolerance)
    assert got == pytest.approx(expected, abs=1e-6)


def haversine(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@pytest.mark.parametrize(
    ("there", "scale"),
    [
        (LHASA, 30.0),
        ((29.75, 91.13), 30.0),
        ((29.36, 90.72), 30.0),
        ((29.36, 90.72), 5.0),
        ((39.9, 116.4), 500.0),
    ],
)
def test_distance(there, scale):
    expected = math.exp(-haversine(*LHASA, *there) / scale)
    got = value("distance", {}, {"lat": there[0], "lon": there[1]}, distance_scale_km=scale)
    assert got == pytest.approx(expected, abs=1e-5)  # float32 coordinates: centimetres


@pytest.mark.parametrize(
    ("seeker", "vacancy", "expected"),
    [
        ({"lat": math.nan}, {"district": 0}, 1.0),  # unknown: same district
        ({"lat": math.nan}, {"district": 1}, 0.5),
        ({}, {"lon": math.nan, "district": 1}, 0.5),
    ],
)
def test_distance_unknown(seeker, vacancy, expected):
    assert value("distance", {"travels": True, **seeker}, vacancy) == pytest.approx(expected)


def test_distance_fact():
    s, v = seekers({}), vacancies({"lat": 29.75}, {"lat": math.nan})
    facts = engine.explain(s, v, np.array([0, 0]), np.array([0, 1]), MatchConfig())
    assert facts.distance_km[0] == pytest.approx(haversine(*LHASA, 29.75, LHASA[1]), abs=1e-3)
    assert math.isnan(facts.distance_km[1])


@pytest.mark.parametrize(
    ("have", "need", "expected"),
    [
        ((3, 3), (1, 1), 1.0),  # margins 2 and 2: min(1, 1.0) each
        ((1, 1), (1, 1), 0.5),
        ((2, 3), (1, 1), (0.75 + 1.0) / 2),
        ((0, 2), (0, 1), (0.5 + 0.75) / 2),
    ],
)
def test_language(have, need, expected):
    seeker = {"tibetan": have[0], "chinese": have[1]}
    vacancy = {"tibetan_required": need[0], "chinese_required": need[1]}
    assert value("language", seeker, vacancy) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("years", "minimum", "expected"),
    [(1.0, 2.0, 0.5), (3.0, 2.0, 1.0), (2.0, 0.0, 0.7), (0.0, 0.0, 0.5), (8.0, 0.0, 1.0)],
)
def test_experience(years, minimum, expected):
    assert value("experience", {"experience": years}, {"experience_min": minimum}) == pytest.approx(expected)


@pytest.mark.parametrize(("days", "scale"), [(0.0, 30.0), (30.0, 30.0), (45.0, 10.0)])
def test_freshness(days, scale):
    got = value("freshness", {}, {"age_days": days}, freshness_scale_days=scale)
    assert got == pytest.approx(math.exp(-days / scale))


@pytest.mark.parametrize(("answered", "expected"), [(0.3, 0.3), (1.5, 1.0), (-0.2, 0.0)])
def test_responsiveness(answered, expected):
    assert value("responsiveness", {}, {"responsiveness": answered}) == pytest.approx(expected)


def test_weighted_sum():
    weights = {"occupation": 0.5, "skills": 0.25, "freshness": 2.0}
    cfg = MatchConfig(weights=weights)
    s = seekers({"occupations": ["4-03-02-09"], "skills": [1]})
    v = vacancies({"occupation": "4-03-02-01", "skills": [1, 2], "age_days": 30.0})
    score, parts = engine.score_pairs(s, v, np.array([0]), np.array([0]), cfg)
    expected = 0.5 * 0.75 + 0.25 * 0.5 + 2.0 * math.exp(-1)
    assert score[0] == pytest.approx(expected, abs=1e-6)
    assert parts[0].tolist() == pytest.approx([0.375, 0.125, 0, 0, 0, 0, 2 * math.exp(-1), 0], abs=1e-6)


def test_negative_weight_refused():
    with pytest.raises(ValueError, match="distance"):
        engine.score_pairs(
            seekers({}), vacancies({}), np.array([0]), np.array([0]), MatchConfig(weights={"distance": -1.0})
        )


def test_facts():
    s = seekers(
        {"occupations": ["4-03-02-09"], "skills": [1, 3], "tibetan": 3, "chinese": 1, "experience": 2.5}
    )
    v = vacancies(
        {
            "occupation": "4-03-02-01",
            "skills": [1, 2, 3],
            "tibetan_required": 1,
            "chinese_required": 1,
            "experience_min": 2.0,
            "salary_max": 6000.0,
            "age_days": 4.0,
            "responsiveness": 0.25,
        }
    )
    facts = engine.explain(s, v, np.array([0]), np.array([0]), MatchConfig())
    assert facts.occupation_levels.tolist() == [3]
    assert (facts.skills_required[0], facts.skills_held[0]) == (3, 2)
    assert (facts.tibetan_margin[0], facts.chinese_margin[0]) == (2, 0)
    assert facts.salary_max[0] == 6000.0
    assert facts.same_district[0]
    assert facts.distance_km[0] == pytest.approx(0.0, abs=1e-3)
    assert (facts.experience[0], facts.experience_min[0]) == (2.5, 2.0)
    assert (facts.age_days[0], facts.responsiveness[0]) == (4.0, 0.25)
