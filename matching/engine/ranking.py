"""Top-k vacancies per seeker and top-k seekers per vacancy, over blocked dense chunks."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.engine.blocks import Unit, block_vacancies, seeker_groups, seeker_units, vacancy_units
from matching.engine.factors import contributions
from matching.engine.kernel import EMPTY, ChunkResult, Context, evaluate, key_others, key_scores, merge_top
from matching.engine.pairs import pair_terms, subset
from matching.engine.tables import (
    allowed_districts,
    district_bit,
    language_base,
    scoring,
    seeker_table,
    sorted_unique,
    vacancy_table,
)
from matching.engine.types import FACTORS, MatchConfig, Ranking, Seekers, Vacancies

Ints = npt.NDArray[np.int64]
# Cells per chunk: a few MB of temporaries per worker, large enough to amortise numpy calls.
CELLS = 1 << 20


def depth(config: MatchConfig) -> int:
    return min(max(int(config.occupation_depth), 1), 4)


def make_context(
    seekers: Seekers, vacancies: Vacancies, config: MatchConfig, exclude: npt.ArrayLike | None = None
) -> Context:
    keys = (
        np.zeros(0, dtype=np.int64) if exclude is None else sorted_unique(np.asarray(exclude, dtype=np.int64))
    )
    base = language_base(
        seekers.tibetan, seekers.chinese, vacancies.tibetan_required, vacancies.chinese_required
    )
    return Context(
        config=config,
        scoring=scoring(config, base),
        seekers=seeker_table(seekers, config, base),
        vacancies=vacancy_table(vacancies, config, base),
        exclude=keys,
    )


@dataclass
class Best:
    """Per ranking row (seeker or vacancy index): its best keys and feasible counts."""

    top: npt.NDArray[np.uint64]  # (rows, k)
    feasible: Ints
    available: Ints


def _tasks(units: list[Unit], by_seeker: bool) -> Iterator[tuple[Unit, int, int]]:
    for unit in units:
        rows, cols = (unit.seekers, unit.vacancies) if by_seeker else (unit.vacancies, unit.seekers)
        step = max(1, CELLS // max(cols.shape[0], 1))
        for lo in range(0, rows.shape[0], step):
            yield unit, lo, min(lo + step, rows.shape[0])


def run_units(ctx: Context, units: list[Unit], by_seeker: bool, k: int, rows: int) -> Best:
    best = Best(
        top=np.full((rows, k), EMPTY, dtype=np.uint64),
        feasible=np.zeros(rows, dtype=np.int64),
        available=np.zeros(rows, dtype=np.int64),
    )

    def one(task: tuple[Unit, int, int]) -> ChunkResult:
        return evaluate(ctx, task[0], task[1], task[2], by_seeker, k)

    def take(result: ChunkResult) -> None:
        merge_top(best.top, result.rows, result.top)
        best.feasible[result.rows] += result.feasible
        best.available[result.rows] += result.available

    workers = max(1, int(ctx.config.workers))
    if workers == 1:
        for task in _tasks(units, by_seeker):
            take(one(task))
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(one, _tasks(units, by_seeker)):
                take(result)
    return best


def best_vacancies(ctx: Context, raw: Seekers, occupation: Ints, rows: Ints, eligible: Ints, k: int) -> Best:
    """Best k of the `eligible` vacancies for each seeker in `rows` (sorted, unique)."""
    blocking = block_vacancies(
        occupation, ctx.vacancies.district_bit.astype(np.int64), eligible, depth(ctx.config)
    )
    units = seeker_units(raw.occupations, ctx.seekers.allowed, rows, blocking, depth(ctx.config))
    return run_units(ctx, units, True, k, len(raw))


def ranking_from(ctx: Context, top: npt.NDArray[np.uint64], rows: Ints, by_seeker: bool) -> Ranking:
    """Rows' keys as a Ranking; factors recomputed per pair by the pair path."""
    keys = top[rows]
    filled = keys != EMPTY
    row = np.repeat(rows, filled.sum(axis=1))
    rank = np.nonzero(filled)[1]
    keys = keys[filled]
    other = key_others(keys)
    s, v = (row, other) if by_seeker else (other, row)
    parts = pair_terms(ctx.seekers, ctx.vacancies, s, v, ctx.scoring)
    factors = contributions(parts, ctx.vacancies, v).reshape(-1, len(FACTORS))
    return Ranking(
        row=row.astype(np.int32),
        other=other.astype(np.int32),
        rank=rank.astype(np.int16),
        score=key_scores(keys),
        factors=factors.astype(np.float32),
    )


def _rows(rows: npt.ArrayLike | None, n: int) -> Ints:
    if rows is None:
        return np.arange(n, dtype=np.int64)
    return sorted_unique(np.asarray(rows, dtype=np.int64))


def top_vacancies(
    seekers: Seekers,
    vacancies: Vacancies,
    config: MatchConfig,
    k: int,
    rows: npt.ArrayLike | None = None,
    exclude: npt.ArrayLike | None = None,
) -> Ranking:
    ctx = make_context(seekers, vacancies, config, exclude)
    seeker_rows = _rows(rows, len(seekers))
    eligible = np.flatnonzero(ctx.vacancies.open).astype(np.int64)
    occupation = vacancies.occupation.astype(np.int64)
    best = best_vacancies(ctx, seekers, occupation, seeker_rows, eligible, max(int(k), 0))
    return ranking_from(ctx, best.top, seeker_rows, True)


def top_candidates(
    seekers: Seekers, vacancies: Vacancies, config: MatchConfig, k: int, rows: npt.ArrayLike
) -> Ranking:
    # Tables only for the open vacancies asked about and the seekers who can reach them: a
    # new vacancy's candidates must not cost a pass over every seeker's derived values.
    vacancy_rows = _rows(rows, len(vacancies))
    vacancy_rows = vacancy_rows[vacancies.open[vacancy_rows]]
    some_vacancies = subset(vacancies, vacancy_rows)
    everyone = np.arange(len(some_vacancies), dtype=np.int64)
    bits = district_bit(some_vacancies.district).astype(np.int64)
    blocking = block_vacancies(some_vacancies.occupation.astype(np.int64), bits, everyone, depth(config))
    reached, group = seeker_groups(seekers.occupations, blocking.keys, depth(config))
    reach = np.bitwise_or.reduce(np.left_shift(np.uint64(1), bits.astype(np.uint64)), initial=np.uint64(0))
    near = (allowed_districts(seekers)[reached] & reach) != 0
    reached, group = reached[near], group[near]
    seeker_rows = sorted_unique(reached)
    some_seekers = subset(seekers, seeker_rows)
    ctx = make_context(some_seekers, some_vacancies, config)
    units = vacancy_units(np.searchsorted(seeker_rows, reached), group, blocking)
    best = run_units(ctx, units, False, max(int(k), 0), len(some_vacancies))
    ranking = ranking_from(ctx, best.top, everyone, False)
    ranking.row = vacancy_rows[ranking.row].astype(np.int32)
    ranking.other = seeker_rows[ranking.other].astype(np.int32)
    return ranking
