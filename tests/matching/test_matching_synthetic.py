"""The matching bench's synthetic market, its true fit and its measures (small sizes, no database)."""

import dataclasses

import numpy as np
import pytest

from bench.matching_peers import occupation_range
from bench.matching_quality import (
    Reference,
    gini,
    independent_feasible,
    recall_and_ndcg,
    short_with_room,
    top_k_per_row,
)
from bench.matching_synthetic import DISTRICTS, VOCABULARY, generate, occupation_levels, pair_noise
from matching.engine.types import MatchConfig, Seekers, Vacancies, occupation_code


@pytest.fixture(scope="module")
def market():
    return generate(4000, 1500, seed=11)


def _fields_equal(a, b) -> bool:
    return all(np.array_equal(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))


def test_same_seed_same_market_other_seed_other_market(market):
    seekers, vacancies, truth = market
    again_seekers, again_vacancies, again_truth = generate(4000, 1500, seed=11)
    assert _fields_equal(seekers, again_seekers)
    assert _fields_equal(vacancies, again_vacancies)
    s, v = np.arange(50), np.arange(50) * 7
    assert np.array_equal(truth.utility(s, v), again_truth.utility(s, v))
    other, _, _ = generate(4000, 1500, seed=12)
    assert not np.array_equal(seekers.age, other.age)


def test_shapes_and_types_follow_the_engine_contract(market):
    seekers, vacancies, _ = market
    for data, cls, rows in ((seekers, Seekers, 4000), (vacancies, Vacancies, 1500)):
        hints = {f.name: f.type for f in dataclasses.fields(cls)}
        for name in hints:
            array = getattr(data, name)
            assert isinstance(array, np.ndarray), name
            expected = hints[name].split("np.")[-1].rstrip("]")
            assert array.dtype == np.dtype(getattr(np, expected)), (name, array.dtype)
        assert len(data) == rows
        assert data.skill_ptr.shape == (rows + 1,) and data.skill_ptr[0] == 0
        assert (np.diff(data.skill_ptr) >= 0).all() and data.skill_ptr[-1] == data.skill_ids.size
        assert data.skill_ids.min() >= 0 and data.skill_ids.max() < VOCABULARY
        for i in range(0, rows, 97):  # sets: each row sorted without repeats
            ids = data.skill_ids[data.skill_ptr[i] : data.skill_ptr[i + 1]]
            assert (np.diff(ids) > 0).all()
    assert seekers.occupations.shape == (4000, 3)
    assert np.array_equal(seekers.ids, np.arange(1, 4001))


def test_values_stay_in_their_ranges(market):
    seekers, vacancies, _ = market
    assert seekers.age.min() >= 16 and seekers.age.max() <= 60
    stated = seekers.salary_min[seekers.salary_min > 0]
    assert stated.min() >= 2500 and stated.max() <= 8000
    assert vacancies.salary_max.min() >= 2200 and vacancies.salary_max.max() <= 12000
    assert vacancies.headcount.min() >= 1 and vacancies.headcount.max() <= 10
    assert np.median(vacancies.headcount) <= 2  # skewed low
    assert vacancies.age_days.min() >= 0 and vacancies.age_days.max() <= 60
    assert vacancies.responsiveness.min() >= 0.2 and vacancies.responsiveness.max() <= 1
    for data in (seekers, vacancies):
        assert data.district.min() >= 0 and data.district.max() < len(DISTRICTS)
        centre = np.array([(lat, lon) for _, lat, lon in DISTRICTS])[data.district]
        assert np.abs(data.lat - centre[:, 0]).max() < 0.5 and np.abs(data.lon - centre[:, 1]).max() < 0.5
    listed = seekers.desired_districts[seekers.desired_districts > 0].astype(np.int64)
    home = seekers.district[seekers.desired_districts > 0].astype(np.int64)
    assert ((listed >> home) & 1 == 1).all() and (listed < 2 ** len(DISTRICTS)).all()
    for column in ("education", "tibetan", "chinese", "work_mode"):
        assert getattr(seekers, column).min() >= 0
    assert seekers.education.max() <= 7 and seekers.tibetan.max() <= 3 and seekers.work_mode.max() <= 3
    assert set(np.unique(vacancies.work_type)) <= {1, 2, 3}


def test_shares_are_the_ones_the_brief_describes():
    seekers, vacancies, _ = generate(20_000, 10_000, seed=3)
    assert 0.57 < (seekers.district == 0).mean() < 0.63
    assert 0.57 < (vacancies.district == 0).mean() < 0.63
    assert 0.03 < (seekers.occupations < 0).all(axis=1).mean() < 0.07
    assert 0.10 <= seekers.travels.mean() <= 0.20
    assert 0.27 < (seekers.desired_districts > 0).mean() < 0.33
    assert 0.93 < vacancies.open.mean() < 0.97
    assert 0.32 < (vacancies.tibetan_required > 0).mean() < 0.38
    major = vacancies.occupation // 1_000_000
    assert set(np.unique(major)) == {2, 4, 5, 6}
    assert (major == 4).mean() > 0.35
    construction = np.isin(vacancies.occupation // 10_000, [629, 630]).mean()
    assert 0.15 < construction < 0.25
    # Rural counties are more Tibetan-only than the city.
    rural = seekers.district >= 2
    assert (seekers.chinese[rural] == 0).mean() > 3 * (seekers.chinese[~rural] == 0).mean()


def test_occupation_codes_are_units_or_whole_groups(market):
    seekers, vacancies, _ = market
    code = vacancies.occupation
    assert ((code // 10_000 % 100 > 0) & (code // 100 % 100 > 0) & (code % 100 > 0)).all()
    desired = seekers.occupations[seekers.occupations >= 0]
    small, unit = desired // 100 % 100, desired % 100
    assert ((small > 0) | (unit == 0)).all()  # a missing level has nothing below it
    assert (unit == 0).mean() > 0.1 and (unit > 0).mean() > 0.5
    padding = seekers.occupations < 0
    assert (padding[:, :-1] <= padding[:, 1:]).all()  # -1 only after the stated ones
    counts = (~padding).sum(axis=1)
    assert set(np.unique(counts)) == {0, 1, 2, 3}


def test_occupation_levels_count_from_the_top():
    desired = np.array(
        [
            [occupation_code("4-03-02-01"), -1, -1],
            [occupation_code("4-03"), -1, -1],
            [occupation_code("4-03-01-01"), occupation_code("6-29-01-01"), -1],
            [-1, -1, -1],
            [occupation_code("5-03-02-01"), -1, -1],
        ],
        dtype=np.int32,
    )
    vacancy = np.full(5, occupation_code("4-03-02-01"), dtype=np.int32)
    assert occupation_levels(desired, vacancy).tolist() == [4, 4, 2, 0, 0]
    assert occupation_levels(desired, vacancy, wildcard=0.5).tolist() == [4, 3, 2, 0, 0]


def test_true_utility_is_fixed_per_pair_and_follows_the_occupation(market):
    seekers, vacancies, truth = market
    rng = np.random.default_rng(0)
    s = rng.integers(0, len(seekers), 5000)
    v = rng.integers(0, len(vacancies), 5000)
    utility = truth.utility(s, v)
    order = rng.permutation(5000)
    assert np.array_equal(truth.utility(s[order], v[order]), utility[order])
    noise = pair_noise(s, v, len(vacancies), 11)
    assert noise.min() >= -1 and noise.max() < 1 and noise.std() > 0.4
    levels = occupation_levels(seekers.occupations[s], vacancies.occupation[v])
    assert utility[levels >= 3].mean() > utility[levels == 0].mean() + 0.3


def test_independent_feasibility_on_hand_made_pairs():
    seekers, vacancies, _ = generate(2, 2, seed=1)
    seekers.occupations[:] = [[occupation_code("4-03"), -1, -1], [-1, -1, -1]]
    seekers.district[:] = [0, 4]
    seekers.desired_districts[:] = 0
    seekers.travels[:] = False
    seekers.age[:] = 30
    seekers.education[:] = 3
    seekers.tibetan[:] = 3
    seekers.chinese[:] = 1
    seekers.work_mode[:] = 0
    seekers.salary_min[:] = [4000, 0]
    vacancies.occupation[:] = [occupation_code("4-03-02-01"), occupation_code("4-07-01-01")]
    vacancies.district[:] = 0
    vacancies.age_min[:], vacancies.age_max[:] = 0, 200
    vacancies.education_min[:] = 0
    vacancies.tibetan_required[:], vacancies.chinese_required[:] = 0, 1
    vacancies.salary_max[:] = [3600, 3000]  # 3600 = 4000 less 10 %
    vacancies.open[:] = True
    s, v = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    config = MatchConfig()
    assert independent_feasible(seekers, vacancies, s, v, config).tolist() == [True, False, False, False]
    seekers.travels[1] = True
    assert independent_feasible(seekers, vacancies, s, v, config).tolist() == [True, False, True, True]
    seekers.desired_districts[0] = 1 << 3  # a listed district replaces the residence
    assert independent_feasible(seekers, vacancies, s, v, config).tolist() == [False, False, True, True]
    seekers.desired_districts[0] = 1 << 3 | 1
    vacancies.chinese_required[0] = 2
    assert independent_feasible(seekers, vacancies, s, v, config).tolist() == [False, False, False, True]


def test_independent_feasibility_broadcasts_like_pairs(market):
    seekers, vacancies, _ = market
    rows, columns = np.arange(0, 4000, 40), np.arange(1500)
    grid = independent_feasible(seekers, vacancies, rows[:, None], columns[None, :], MatchConfig())
    s, v = np.repeat(rows, 1500), np.tile(columns, len(rows))
    flat = independent_feasible(seekers, vacancies, s, v, MatchConfig())
    assert grid.shape == (len(rows), 1500)
    assert np.array_equal(grid.ravel(), flat)
    assert 0.005 < flat.mean() < 0.5  # neither everything nor nothing passes


def test_occupation_range_for_the_sql_peer():
    assert occupation_range(occupation_code("4-03-02-01"), 2) == (4030000, 4039999)
    assert occupation_range(occupation_code("4-03-02-01"), 4) == (4030201, 4030201)
    assert occupation_range(occupation_code("4"), 2) == (4000000, 4999999)
    assert occupation_range(-1, 2) == (None, None)


def test_ranking_measures():
    relevant = np.array([[3, 1, 2, -1, -1], [-1, -1, -1, -1, -1], [9, 8, 7, 6, 5]])
    perfect = relevant.copy()
    assert recall_and_ndcg(perfect, relevant) == pytest.approx((1.0, 1.0))
    swapped = np.array([[1, 3, 2, -1, -1], [0, 0, 0, 0, 0], [0, 1, 2, 3, 4]])
    recall, ndcg = recall_and_ndcg(swapped, relevant)
    assert recall == pytest.approx(0.5) and 0.4 < ndcg < 0.5
    assert gini(np.ones(10)) == pytest.approx(0.0)
    assert gini(np.array([0, 0, 0, 10])) == pytest.approx(0.75)
    top = top_k_per_row(np.array([0, 0, 0, 1]), np.array([5, 6, 7, 8]), np.array([0.1, 0.9, 0.5, 0.2]), 3, 2)
    assert top.tolist() == [[6, 7], [8, -1], [-1, -1]]


def test_short_with_room_finds_seekers_left_short_beside_free_places():
    none = np.zeros((3, 5), dtype=np.int64)
    ref = Reference(
        rows=np.array([10, 11, 12]),
        feasible=np.array([2, 3, 1]),
        relevant=none,
        occupation_only=none,
        random_feasible=none,
        disagreements=0,
        pairs_checked=0,
        pair_row=np.array([0, 0, 1, 1, 1, 2]),
        pair_vacancy=np.array([0, 1, 0, 1, 2, 2]),
    )
    need = np.full(13, 5)
    assigned = np.zeros(13, dtype=np.int64)
    assigned[[10, 11, 12]] = [2, 1, 0]  # row 0 has all it could; rows 1 and 2 are short
    given = np.sort(np.array([0 * 3 + 0, 0 * 3 + 1, 1 * 3 + 1]))
    room = np.array([1, 0, 0])  # only vacancy 0 has a place left
    assert short_with_room(ref, need, assigned, given, room) == (2, 1)  # row 1 could have had vacancy 0
    room = np.array([0, 0, 0])
    assert short_with_room(ref, need, assigned, given, room) == (2, 0)
