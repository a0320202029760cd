"""Each hard constraint alone, on one seeker and one vacancy."""

import numpy as np
import pytest

from matching import engine
from matching.engine.types import MatchConfig
from tests.matching.engine_builders import seekers, vacancies


def ok(seeker: dict, vacancy: dict, **config) -> bool:
    s, v = seekers(seeker), vacancies(vacancy)
    cfg = MatchConfig(**config)
    pair = engine.feasible(s, v, np.array([0]), np.array([0]), cfg)[0]
    # The ranking paths must agree with the pair path.
    ranked = engine.top_vacancies(s, v, cfg, 1).row.size == 1
    candidates = engine.top_candidates(s, v, cfg, 1, np.array([0])).row.size == 1
    assert pair == ranked == candidates
    return bool(pair)


@pytest.mark.parametrize(
    ("desired", "code", "depth", "expected"),
    [
        (["4-03-02-01"], "4-03-05-01", 2, True),  # two levels shared
        (["4-03-02-01"], "4-04-02-01", 2, False),  # medium differs
        (["4-03-02-01"], "4-03-05-01", 3, False),
        (["4-03-02-01"], "4-03-02-01", 4, True),
        (["4-00-00-00"], "4-07-01-01", 2, True),  # the whole major group
        (["4"], "4-07-01-01", 4, True),
        (["4-03"], "4-03-05-01", 3, True),  # wildcard below the medium group
        (["4-03"], "4-04-05-01", 1, True),
        (["4-03"], "4-04-05-01", 2, False),
        (["4-00-02-01"], "4-05-07-07", 4, True),  # a 0 level and all below it match anything
        ([], "6-29-01-01", 4, True),  # no preference
        (["2-02-01-01", "4-03-01-01"], "4-03-09-09", 2, True),  # any desire will do
        (["2-02-01-01", "5-01-01-01"], "4-03-09-09", 1, False),
    ],
)
def test_occupation(desired, code, depth, expected):
    assert ok({"occupations": desired}, {"occupation": code}, occupation_depth=depth) is expected


@pytest.mark.parametrize(
    ("seeker", "district", "expected"),
    [
        ({"district": 2}, 2, True),
        ({"district": 2}, 3, False),
        ({"district": 2, "travels": True}, 3, True),
        ({"district": 2, "desired_districts": [3, 4]}, 4, True),
        ({"district": 2, "desired_districts": [3, 4]}, 2, False),  # a stated set replaces residence
        ({"district": 2, "travels": True}, -1, True),  # unknown place of work: travellers only
        ({"district": 2}, -1, False),
        ({"district": -1}, 0, False),
    ],
)
def test_location(seeker, district, expected):
    assert ok(seeker, {"district": district}) is expected


@pytest.mark.parametrize(
    ("age", "low", "high", "expected"),
    [(18, 18, 35, True), (35, 18, 35, True), (17, 18, 35, False), (36, 18, 35, False), (60, 0, 200, True)],
)
def test_age(age, low, high, expected):
    assert ok({"age": age}, {"age_min": low, "age_max": high}) is expected


@pytest.mark.parametrize(("have", "need", "expected"), [(3, 3, True), (4, 3, True), (2, 3, False)])
def test_education(have, need, expected):
    assert ok({"education": have}, {"education_min": need}) is expected


@pytest.mark.parametrize(
    ("seeker", "vacancy", "expected"),
    [
        ({"tibetan": 2, "chinese": 1}, {"tibetan_required": 2, "chinese_required": 1}, True),
        ({"tibetan": 1, "chinese": 3}, {"tibetan_required": 2, "chinese_required": 0}, False),
        ({"tibetan": 3, "chinese": 0}, {"tibetan_required": 0, "chinese_required": 1}, False),
    ],
)
def test_language(seeker, vacancy, expected):
    assert ok(seeker, vacancy) is expected


@pytest.mark.parametrize(
    ("mode", "kind", "expected"), [(0, 2, True), (2, 2, True), (1, 2, False), (3, 1, False)]
)
def test_work_type(mode, kind, expected):
    assert ok({"work_mode": mode}, {"work_type": kind}) is expected


@pytest.mark.parametrize(
    ("expected_pay", "pay", "tolerance", "expected"),
    [
        (0.0, 100.0, 0.1, True),  # no expectation stated
        (5000.0, 4500.0, 0.1, True),  # exactly at the tolerance
        (5000.0, 4499.0, 0.1, False),
        (5000.0, 4999.0, 0.0, False),
        (5000.0, 5000.0, 0.0, True),
        (4000.0, 3000.0, 0.25, True),
    ],
)
def test_salary(expected_pay, pay, tolerance, expected):
    assert ok({"salary_min": expected_pay}, {"salary_max": pay}, salary_tolerance=tolerance) is expected


def test_closed_vacancy():
    assert ok({}, {"open": True}) is True
    assert ok({}, {"open": False}) is False


def test_all_must_hold():
    s = seekers({"age": 30, "education": 3}, {"age": 70, "education": 3}, {"age": 30, "education": 1})
    v = vacancies({"age_max": 60, "education_min": 2})
    result = engine.feasible(s, v, np.arange(3), np.zeros(3, dtype=np.int64), MatchConfig())
    assert result.tolist() == [True, False, False]
