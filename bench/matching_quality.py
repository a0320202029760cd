"""Quality and fairness measures for the matching bench, written apart from the engine.

`independent_feasible` restates the hard constraints of `matching.engine.types` from the
contract alone, so the bench can check the engine's results with code that shares
nothing with it. The rest: the true top-k per seeker, recall and nDCG, exposure Gini.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bench.matching_synthetic import Truth, occupation_levels
from matching.engine.types import MatchConfig, Ranking, Seekers, Vacancies

FeasibleFn = Callable[
    [Seekers, Vacancies, npt.NDArray[np.int64], npt.NDArray[np.int64], MatchConfig], np.ndarray
]


def independent_feasible(
    seekers: Seekers,
    vacancies: Vacancies,
    s: npt.NDArray[np.integer],
    v: npt.NDArray[np.integer],
    config: MatchConfig,
) -> npt.NDArray[np.bool_]:
    """Pairs (s[i], v[i]) that meet every hard constraint; s and v may also broadcast, e.g.
    (c, 1) against (1, m) for every pair of c seekers and m vacancies."""
    s = np.asarray(s, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    ok = _occupation_ok(seekers.occupations[s], vacancies.occupation[v], config.occupation_depth)
    ok &= vacancies.open[v]
    home = seekers.district[s].astype(np.int64)
    place = vacancies.district[v].astype(np.int64)
    # Listed districts replace the residence; an empty list means the residence alone.
    stated = seekers.desired_districts[s].astype(np.int64)
    where = np.where(stated == 0, home == place, (stated >> place) & 1 == 1)
    ok &= seekers.travels[s] | where
    age = seekers.age[s]
    ok &= (vacancies.age_min[v] <= age) & (age <= vacancies.age_max[v])
    ok &= seekers.education[s] >= vacancies.education_min[v]
    ok &= seekers.tibetan[s] >= vacancies.tibetan_required[v]
    ok &= seekers.chinese[s] >= vacancies.chinese_required[v]
    mode = seekers.work_mode[s]
    ok &= (mode == 0) | (mode == vacancies.work_type[v])
    expected = seekers.salary_min[s].astype(np.float64)
    pay = vacancies.salary_max[v].astype(np.float64)
    # A thousandth of a yuan of slack: pay exactly at the tolerance counts as enough
    # whatever the float rounding of the product.
    ok &= (expected <= 0) | (pay >= expected * (1.0 - config.salary_tolerance) - 1e-3)
    return ok


def _occupation_ok(desired: np.ndarray, occupation: np.ndarray, depth: int) -> npt.NDArray[np.bool_]:
    """Some desire agrees with the vacancy on the first `depth` levels; a 0 level matches anything.

    `desired` has the three desires on its last axis; `occupation` broadcasts against the rest.
    """
    divisors = (1_000_000, 10_000, 100, 1)[:depth]
    vac = occupation.astype(np.int64)
    have = [vac // d % 100 if d < 1_000_000 else vac // d for d in divisors]
    ok = np.broadcast_to(
        (desired < 0).all(axis=-1), np.broadcast_shapes(desired.shape[:-1], vac.shape)
    ).copy()
    for column in range(desired.shape[-1]):
        code = desired[..., column].astype(np.int64)
        match = code >= 0
        for level, d in enumerate(divisors):
            want = code // d % 100 if d < 1_000_000 else code // d
            match = match & ((want == 0) | (want == have[level]))
        ok |= match
    return ok


def ranking_matrix(ranking: Ranking, rows: npt.NDArray[np.integer], k: int) -> npt.NDArray[np.int64]:
    """The ranking's `other` column as a (len(rows), k) matrix in rank order, -1 where short."""
    out = np.full((len(rows), k), -1, dtype=np.int64)
    position = np.full(int(max(rows.max(initial=0), ranking.row.max(initial=0))) + 1, -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    where = position[ranking.row]
    keep = (where >= 0) & (ranking.rank < k)
    out[where[keep], ranking.rank[keep].astype(np.int64)] = ranking.other[keep]
    return out


def top_k_per_row(
    row: npt.NDArray[np.int64],
    other: npt.NDArray[np.int64],
    value: npt.NDArray[np.floating],
    rows: int,
    k: int,
) -> npt.NDArray[np.int64]:
    """Best k `other` per row (0..rows-1) by descending value, as a (rows, k) matrix, -1 where short."""
    order = np.lexsort((-value, row))
    row, other = row[order], other[order]
    start = np.searchsorted(row, np.arange(rows))
    rank = np.arange(row.shape[0]) - start[row]
    keep = rank < k
    out = np.full((rows, k), -1, dtype=np.int64)
    out[row[keep], rank[keep]] = other[keep]
    return out


@dataclass
class Reference:
    """Per sampled seeker: the truly best feasible vacancies and two naive rankings."""

    rows: npt.NDArray[np.int64]
    feasible: npt.NDArray[np.int64]  # feasible open vacancies per sampled seeker
    relevant: npt.NDArray[np.int64]  # (r, k) true top-k, -1 where short
    occupation_only: npt.NDArray[np.int64]
    random_feasible: npt.NDArray[np.int64]
    disagreements: int  # pairs where the engine's feasible and the independent check differ
    pair_row: npt.NDArray[np.int64]  # every feasible pair: position in `rows` …
    pair_vacancy: npt.NDArray[np.int64]  # … and vacancy index
    pairs_checked: int


def reference(
    truth: Truth,
    rows: npt.NDArray[np.int64],
    config: MatchConfig,
    engine_feasible: FeasibleFn,
    k: int = 5,
    seed: int = 7,
    chunk: int = 50,
) -> Reference:
    """Score every pair of the sampled seekers with every vacancy (in chunks of seekers)."""
    seekers, vacancies = truth.seekers, truth.vacancies
    m = len(vacancies)
    rng = np.random.default_rng(seed)
    parts: dict[str, list[np.ndarray]] = {
        key: [] for key in ("feasible", "relevant", "occupation", "random", "pair_row", "pair_vacancy")
    }
    disagreements = 0
    for begin in range(0, len(rows), chunk):
        block = rows[begin : begin + chunk]
        local = np.repeat(np.arange(len(block)), m)
        s = block[local]
        v = np.tile(np.arange(m, dtype=np.int64), len(block))
        mine = independent_feasible(seekers, vacancies, block[:, None], v[None, :m], config).ravel()
        theirs = np.asarray(engine_feasible(seekers, vacancies, s, v, config), dtype=bool)
        disagreements += int((mine != theirs).sum())
        local, s, v = local[mine], s[mine], v[mine]
        parts["feasible"].append(np.bincount(local, minlength=len(block)))
        parts["pair_row"].append(local + begin)
        parts["pair_vacancy"].append(v)
        parts["relevant"].append(top_k_per_row(local, v, truth.utility(s, v), len(block), k))
        levels = occupation_levels(seekers.occupations[s], vacancies.occupation[v])
        ties = rng.random(s.shape[0])
        parts["occupation"].append(top_k_per_row(local, v, levels + 0.5 * ties, len(block), k))
        parts["random"].append(top_k_per_row(local, v, ties, len(block), k))
    return Reference(
        rows=rows,
        feasible=np.concatenate(parts["feasible"]),
        relevant=np.vstack(parts["relevant"]),
        occupation_only=np.vstack(parts["occupation"]),
        random_feasible=np.vstack(parts["random"]),
        disagreements=disagreements,
        pair_row=np.concatenate(parts["pair_row"]),
        pair_vacancy=np.concatenate(parts["pair_vacancy"]),
        pairs_checked=len(rows) * m,
    )


def short_with_room(
    ref: Reference,
    need: npt.NDArray[np.integer],
    assigned: npt.NDArray[np.integer],
    given: npt.NDArray[np.int64],
    room: npt.NDArray[np.integer],
) -> tuple[int, int]:
    """Of the sampled seekers given fewer than min(need, feasible): how many, and how many of
    them had a feasible vacancy with room left that they were not given.

    `given` holds the results as pair keys `position in ref.rows * m + vacancy`; `room` is the
    places left per vacancy after the batch.
    """
    m = room.shape[0]
    short = assigned[ref.rows] < np.minimum(need[ref.rows], ref.feasible)
    open_pair = short[ref.pair_row] & (room[ref.pair_vacancy] > 0)
    keys = ref.pair_row[open_pair] * m + ref.pair_vacancy[open_pair]
    missed = ref.pair_row[open_pair][~np.isin(keys, given)]
    return int(short.sum()), int(np.unique(missed).size)


def recall_and_ndcg(recommended: np.ndarray, relevant: np.ndarray) -> tuple[float, float]:
    """Mean recall@k and nDCG@k over rows with at least one relevant item.

    Graded gain: the true best of k gets k, the next k-1 … (2**gain - 1), the rest 0; the
    ideal ordering is the true one, so a perfect ranking scores 1.
    """
    k = relevant.shape[1]
    has = relevant[:, 0] >= 0
    recommended, relevant = recommended[has], relevant[has]
    grade = np.where(relevant >= 0, k - np.arange(k)[None, :], 0)
    hits = (recommended[:, :, None] == relevant[:, None, :]) & (recommended[:, :, None] >= 0)
    gain = (hits * (2.0 ** grade[:, None, :] - 1)).sum(axis=2)
    discount = 1.0 / np.log2(np.arange(k) + 2.0)
    ideal = ((2.0**grade - 1) * discount).sum(axis=1)
    ndcg = (gain * discount).sum(axis=1) / ideal
    recall = hits.any(axis=1).sum(axis=1) / (relevant >= 0).sum(axis=1)
    return float(recall.mean()), float(ndcg.mean())


def gini(values: npt.NDArray[np.number]) -> float:
    """Gini coefficient of non-negative values: 0 all equal, near 1 all on one."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    total = x.sum()
    if x.size == 0 or total == 0:
        return 0.0
    n = x.size
    return float((2 * np.arange(1, n + 1) - n - 1).dot(x) / (n * total))
