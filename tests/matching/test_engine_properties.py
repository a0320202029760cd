"""Random small markets against a pure-Python restatement of the matching rules.

The reference below is written from the rules (docs of matching.engine.types), row by row,
with Python floats; it shares no code with the engine.
"""

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import engine
from matching.engine.types import FACTORS, MatchConfig
from tests.matching.engine_builders import seekers, vacancies

TOLERANCE = 1e-4


def levels(code: int) -> list[int]:
    return [code // 1_000_000, code // 10_000 % 100, code // 100 % 100, code % 100]


def shared(desired: int, code: int) -> int:
    count, wild = 0, False
    for want, have in zip(levels(desired), levels(code), strict=True):
        wild = wild or want == 0
        if not (wild or want == have):
            break
        count += 1
    return count


def closeness(s, i, v, j) -> int:
    desires = [int(d) for d in s.occupations[i] if d >= 0]
    return max((shared(d, int(v.occupation[j])) for d in desires), default=0)


def ref_feasible(s, i, v, j, config) -> bool:
    desires = [int(d) for d in s.occupations[i] if d >= 0]
    if not v.open[j]:
        return False
    if desires and closeness(s, i, v, j) < config.occupation_depth:
        return False
    mask = int(s.desired_districts[i])
    allowed = {d for d in range(32) if mask >> d & 1} if mask else {int(s.district[i])}
    if not (s.travels[i] or int(v.district[j]) in allowed):
        return False
    if not v.age_min[j] <= s.age[i] <= v.age_max[j]:
        return False
    if s.education[i] < v.education_min[j]:
        return False
    if s.tibetan[i] < v.tibetan_required[j] or s.chinese[i] < v.chinese_required[j]:
        return False
    if s.work_mode[i] != 0 and s.work_mode[i] != v.work_type[j]:
        return False
    expected = float(s.salary_min[i])
    return expected == 0 or float(v.salary_max[j]) >= expected * (1 - config.salary_tolerance)


def haversine(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def ref_score(s, i, v, j, config) -> float:
    def ids(table, row):
        return set(table.skill_ids[table.skill_ptr[row] : table.skill_ptr[row + 1]].tolist())

    required, held = ids(v, j), ids(s, i)
    expected, pay = float(s.salary_min[i]), float(v.salary_max[j])
    tol = config.salary_tolerance
    coords = [float(s.lat[i]), float(s.lon[i]), float(v.lat[j]), float(v.lon[j])]
    if any(math.isnan(c) for c in coords):
        distance = 1.0 if s.district[i] == v.district[j] else 0.5
    else:
        distance = math.exp(-haversine(*coords) / config.distance_scale_km)
    margins = [int(s.tibetan[i]) - int(v.tibetan_required[j]), int(s.chinese[i]) - int(v.chinese_required[j])]
    minimum, years = float(v.experience_min[j]), float(s.experience[i])
    values = {
        "occupation": closeness(s, i, v, j) / 4,
        "skills": len(required & held) / len(required) if required else 1.0,
        "salary": 1.0 if expected == 0 else min(1.0, max(0.0, (pay / expected - (1 - tol)) / (0.5 + tol))),
        "distance": distance,
        "language": sum(min(1.0, 0.5 + 0.25 * m) for m in margins) / 2,
        "experience": min(1.0, years / minimum) if minimum > 0 else min(1.0, 0.5 + years / 10),
        "freshness": math.exp(-float(v.age_days[j]) / config.freshness_scale_days),
        "responsiveness": min(1.0, max(0.0, float(v.responsiveness[j]))),
    }
    return sum(config.weights[name] * values[name] for name in FACTORS)


def ref_table(s, v, config):
    """{(i, j): score} for every feasible pair."""
    return {
        (i, j): ref_score(s, i, v, j, config)
        for i in range(len(s))
        for j in range(len(v))
        if ref_feasible(s, i, v, j, config)
    }


codes = st.builds(
    lambda major, medium, small, unit: f"{major}-{medium:02d}-{small:02d}-{unit:02d}",
    st.sampled_from([2, 4]),
    st.integers(0, 2),
    st.integers(0, 2),
    st.integers(0, 2),
)
maybe_nan = st.one_of(st.just(math.nan), st.floats(29.0, 30.5))
seeker_rows = st.fixed_dictionaries(
    {
        "occupations": st.lists(codes, max_size=3),
        "district": st.integers(0, 3),
        "desired_districts": st.lists(st.integers(0, 3), max_size=3),
        "travels": st.booleans(),
        "age": st.integers(16, 65),
        "education": st.integers(0, 7),
        "tibetan": st.integers(0, 3),
        "chinese": st.integers(0, 3),
        "work_mode": st.integers(0, 3),
        "salary_min": st.sampled_from([0.0, 2000.0, 3600.0, 4000.0, 5000.0]),
        "experience": st.sampled_from([0.0, 0.5, 1.0, 3.0, 12.0]),
        "lat": st.one_of(st.just(math.nan), st.floats(29.0, 30.5)),
        "lon": st.floats(90.5, 91.8),
        "skills": st.lists(st.integers(0, 6), max_size=4),
    }
)
vacancy_rows = st.fixed_dictionaries(
    {
        "occupation": codes,
        "district": st.integers(-1, 3),
        "age_min": st.sampled_from([0, 18, 25]),
        "age_max": st.sampled_from([30, 45, 200]),
        "education_min": st.integers(0, 5),
        "tibetan_required": st.integers(0, 3),
        "chinese_required": st.integers(0, 3),
        "work_type": st.integers(1, 3),
        "salary_max": st.sampled_from([1800.0, 3240.0, 3600.0, 4500.0, 6000.0]),
        "experience_min": st.sampled_from([0.0, 1.0, 2.0]),
        "age_days": st.sampled_from([0.0, 3.0, 30.0, 90.0]),
        "responsiveness": st.sampled_from([0.0, 0.4, 1.0, 1.3]),
        "headcount": st.integers(1, 3),
        "open": st.booleans(),
        "lat": st.floats(29.0, 30.5),
        "lon": st.one_of(st.just(math.nan), st.floats(90.5, 91.8)),
        "skills": st.lists(st.integers(0, 6), max_size=3),
    }
)
configs = st.builds(
    lambda depth, tolerance, weights, scales, multiple, workers: MatchConfig(
        occupation_depth=depth,
        salary_tolerance=tolerance,
        weights=dict(zip(FACTORS, weights, strict=True)),
        distance_scale_km=scales[0],
        freshness_scale_days=scales[1],
        capacity_multiple=multiple,
        workers=workers,
    ),
    st.integers(1, 4),
    st.sampled_from([0.0, 0.1, 0.25]),
    st.lists(st.sampled_from([0.0, 0.05, 0.3, 1.0]), min_size=len(FACTORS), max_size=len(FACTORS)),
    st.tuples(st.sampled_from([5.0, 30.0, 200.0]), st.sampled_from([10.0, 30.0])),
    st.sampled_from([0.5, 1.0, 2.0]),
    st.sampled_from([1, 2]),
)
markets = st.tuples(
    st.lists(seeker_rows, min_size=1, max_size=7).map(lambda rows: seekers(*rows)),
    st.lists(vacancy_rows, min_size=1, max_size=7).map(lambda rows: vacancies(*rows)),
    configs,
)
# Markets are built row by row in Python: on a loaded machine that can trip the "too slow"
# health check, which says nothing about the engine.
property_settings = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_top(result, table, k, by_seeker):
    """Results are feasible, scored right, sorted, and a best-k: nothing left out beats them."""
    rows = {}
    for row, other, rank, score in zip(result.row, result.other, result.rank, result.score, strict=True):
        pair = (int(row), int(other)) if by_seeker else (int(other), int(row))
        assert pair in table, f"infeasible result {pair}"
        assert abs(float(score) - table[pair]) <= TOLERANCE
        rows.setdefault(int(row), []).append((int(rank), int(other), float(score)))
    candidates = {}
    for (i, j), score in table.items():
        row, other = (i, j) if by_seeker else (j, i)
        candidates.setdefault(row, []).append((score, other))
    for row, options in candidates.items():
        got = sorted(rows.get(row, []))
        assert [rank for rank, _, _ in got] == list(range(len(got)))
        assert len(got) == min(k, len(options))
        scores = [score for _, _, score in got]
        assert scores == sorted(scores, reverse=True)
        chosen = {other for _, other, _ in got}
        weakest = min(scores, default=math.inf)
        for score, other in options:
            if other not in chosen:
                assert score <= weakest + TOLERANCE
        # Exact ties go to the lower index.
        for (_, a, sa), (_, b, sb) in zip(got, got[1:], strict=False):
            assert sa > sb or a < b
    assert set(rows) <= set(candidates)


@property_settings
@given(market=markets, k=st.integers(1, 4))
def test_pairs_agree_with_the_reference(market, k):
    s, v, config = market
    table = ref_table(s, v, config)
    si = np.repeat(np.arange(len(s)), len(v))
    vi = np.tile(np.arange(len(v)), len(s))
    ok = engine.feasible(s, v, si, vi, config)
    assert {(int(i), int(j)) for i, j in zip(si[ok], vi[ok], strict=True)} == set(table)
    score, factors = engine.score_pairs(s, v, si[ok], vi[ok], config)
    for i, j, got, parts in zip(si[ok], vi[ok], score, factors, strict=True):
        assert abs(float(got) - table[(int(i), int(j))]) <= TOLERANCE
        assert abs(float(parts.sum()) - float(got)) <= TOLERANCE


@property_settings
@given(market=markets, k=st.integers(1, 4))
def test_top_vacancies_and_candidates_are_the_best_feasible(market, k):
    s, v, config = market
    table = ref_table(s, v, config)
    check_top(engine.top_vacancies(s, v, config, k), table, k, by_seeker=True)
    check_top(engine.top_candidates(s, v, config, k, np.arange(len(v))), table, k, by_seeker=False)


@property_settings
@given(market=markets, need=st.lists(st.integers(0, 4), min_size=7, max_size=7), data=st.data())
def test_batch_respects_caps_and_leaves_nobody_short_beside_room(market, need, data):
    s, v, config = market
    n, m = len(s), len(v)
    want = np.array(need[:n])
    load = np.array(data.draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)))
    excluded = data.draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, m - 1)), max_size=4))
    exclude = np.array(sorted(i * m + j for i, j in excluded), dtype=np.int64)
    table = ref_table(s, v, config)
    result = engine.batch(s, v, config, want, exclude=exclude, load=load)

    cap = [math.ceil(config.capacity_multiple * int(h)) for h in v.headcount]
    given_pairs = list(zip(result.ranking.row.tolist(), result.ranking.other.tolist(), strict=True))
    assert len(set(given_pairs)) == len(given_pairs)
    given_to = np.bincount(result.ranking.other, minlength=m)
    for j in range(m):
        assert given_to[j] <= max(0, cap[j] - load[j])
        assert result.load[j] == load[j] + given_to[j]
    for i, j in given_pairs:
        assert (i, j) in table and (i, j) not in excluded
    for i, j in given_pairs:
        assert abs(float(result.ranking.score[given_pairs.index((i, j))]) - table[(i, j)]) <= TOLERANCE
    assert result.assigned.tolist() == np.bincount(result.ranking.row, minlength=n).tolist()
    assert (result.assigned <= want).all()
    assert result.feasible.tolist() == [sum(1 for (a, _) in table if a == i) for i in range(n)]
    for i, j in table:
        has_room = load[j] + given_to[j] < cap[j]
        if result.assigned[i] < want[i] and has_room and (i, j) not in excluded:
            assert (i, j) in given_pairs, f"seeker {i} short while vacancy {j} has room"
