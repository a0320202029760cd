"""Batch recommendations under a per-vacancy cap, by seeker-proposing deferred acceptance.

Plain top-k sends hundreds of seekers to the same few vacancies. Here each seeker proposes
down a pool of their best vacancies; a vacancy keeps its best-scoring proposers up to its
cap and rejects the rest, who propose further down. A seeker who runs out of pool while
still short gets a fresh pool among the vacancies that still have room, so at the end no
seeker is short while a feasible vacancy of theirs has room.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from matching.engine.blocks import ramp
from matching.engine.kernel import EMPTY, Context, key_others, row_top
from matching.engine.ranking import best_vacancies, make_context, ranking_from
from matching.engine.tables import sorted_unique, unique_inverse
from matching.engine.types import BatchResult, MatchConfig, Seekers, Vacancies

Ints = npt.NDArray[np.int64]
Keys = npt.NDArray[np.uint64]
POOL_MIN, POOL_MAX = 16, 64
_LOW = np.uint64(0xFFFF_FFFF)


def capacity(config: MatchConfig, headcount: npt.NDArray[np.int32]) -> Ints:
    # Rounded first, so that 1.1 * 10 does not become 11.000000000000002 and then 12.
    return np.ceil(np.round(config.capacity_multiple * headcount.astype(np.float64), 9)).astype(np.int64)


def pool_size(need: Ints) -> int:
    top = int(need.max()) if need.size else 0
    return max(top, min(POOL_MAX, max(POOL_MIN, 3 * top)))


@dataclasses.dataclass
class Holders:
    """The accepted (seeker, vacancy) pairs; `key` orders them for the vacancy."""

    seeker: Ints
    vacancy: Ints
    key: Keys  # descending score bits << 32 | seeker: smaller is preferred
    mine: Keys  # descending score bits << 32 | vacancy: the seeker's order


def _pair_keys(vacancy: Ints, seeker: Ints, n: int) -> Ints:
    return vacancy * n + seeker


def _accept(holders: Holders, proposal: Holders, room: Ints, n: int) -> Holders:
    """Holders after the proposals: each proposed-to vacancy keeps its best `room` candidates."""
    touched = np.zeros(room.shape[0], dtype=bool)
    touched[proposal.vacancy] = True
    stay = ~touched[holders.vacancy]
    seeker, vacancy, key, mine = (
        np.concatenate([getattr(holders, name)[~stay], getattr(proposal, name)])
        for name in ("seeker", "vacancy", "key", "mine")
    )
    count = np.bincount(vacancy, minlength=room.shape[0])
    keep = count[vacancy] <= room[vacancy]
    crowded = np.flatnonzero(~keep)
    if crowded.size:
        # Group the crowded candidates by vacancy (one integer sort), keep each group's best.
        order = (
            np.sort(vacancy[crowded].astype(np.uint64) << np.uint64(32) | crowded.astype(np.uint64)) & _LOW
        )
        order = order.astype(np.int64)
        groups, group = unique_inverse(vacancy[order])
        limit = room[groups]
        best = row_top(group.astype(np.int64), key[order], groups.shape[0], max(int(limit.max()), 1))
        within = (np.arange(best.shape[1])[None, :] < limit[:, None]) & (best != EMPTY)
        winners = _pair_keys(np.repeat(groups, within.sum(axis=1)), key_others(best[within]), n)
        winners = np.sort(winners)
        mine_keys = _pair_keys(vacancy[crowded], seeker[crowded], n)
        at = np.minimum(np.searchsorted(winners, mine_keys), max(winners.shape[0] - 1, 0))
        keep[crowded] = winners[at] == mine_keys if winners.size else False
    return Holders(
        seeker=np.concatenate([holders.seeker[stay], seeker[keep]]),
        vacancy=np.concatenate([holders.vacancy[stay], vacancy[keep]]),
        key=np.concatenate([holders.key[stay], key[keep]]),
        mine=np.concatenate([holders.mine[stay], mine[keep]]),
    )


def _empty_holders() -> Holders:
    none = np.zeros(0, dtype=np.int64)
    return Holders(seeker=none, vacancy=none.copy(), key=np.zeros(0, np.uint64), mine=np.zeros(0, np.uint64))


def _propose(pools: Keys, next_at: Ints, need: Ints, held: Ints) -> Holders | None:
    """Each short seeker's next proposals, as many as they are short; None when nobody can."""
    length = (pools != EMPTY).sum(axis=1)
    short = np.maximum(need - held, 0)
    count = np.minimum(short, length - next_at).clip(min=0)
    who = np.flatnonzero(count)
    if who.size == 0:
        return None
    seeker = np.repeat(who, count[who])
    position = np.repeat(next_at[who], count[who]) + ramp(count[who])
    next_at[who] += count[who]
    mine = pools[seeker, position]
    return Holders(
        seeker=seeker,
        vacancy=key_others(mine),
        key=(mine >> np.uint64(32)) << np.uint64(32) | seeker.astype(np.uint64),
        mine=mine,
    )


def batch(
    seekers: Seekers,
    vacancies: Vacancies,
    config: MatchConfig,
    need: npt.ArrayLike,
    exclude: npt.ArrayLike | None = None,
    load: npt.ArrayLike | None = None,
) -> BatchResult:
    n, m = len(seekers), len(vacancies)
    want = np.maximum(np.asarray(need, dtype=np.int64).reshape(n), 0)
    given = np.zeros(m, dtype=np.int64) if load is None else np.asarray(load, dtype=np.int64).reshape(m)
    room = np.maximum(capacity(config, vacancies.headcount) - given, 0)
    ctx = make_context(seekers, vacancies, config, exclude)
    occupation = vacancies.occupation.astype(np.int64)
    open_rows = np.flatnonzero(ctx.vacancies.open).astype(np.int64)
    size = pool_size(want)

    first = best_vacancies(ctx, seekers, occupation, np.arange(n, dtype=np.int64), open_rows, size)
    pools = np.where(want[:, None] > 0, first.top, EMPTY)
    next_at = np.zeros(n, dtype=np.int64)
    holders = _settle(_empty_holders(), pools, next_at, want, room)
    while True:
        # A seeker whose pool was full may have more feasible vacancies: look again among
        # those with room, leaving out the ones the seeker holds. Every pair is proposed at
        # most once, so this ends.
        held = np.bincount(holders.seeker, minlength=n)
        rows = np.flatnonzero((held < want) & (next_at >= size) & (pools[:, -1] != EMPTY)).astype(np.int64)
        if rows.size == 0:
            break
        left = room - np.bincount(holders.vacancy, minlength=m)
        with_room = open_rows[left[open_rows] > 0]
        taken = holders.seeker * m + holders.vacancy
        again = dataclasses.replace(ctx, exclude=sorted_unique(np.concatenate([ctx.exclude, taken])))
        fresh = best_vacancies(again, seekers, occupation, rows, with_room, size).top[rows]
        if (fresh == EMPTY).all():
            break
        pools[rows] = fresh
        next_at[rows] = 0
        holders = _settle(holders, pools, next_at, want, room)
    return _result(ctx, holders, first.feasible, first.available, want, given)


def _settle(holders: Holders, pools: Keys, next_at: Ints, need: Ints, room: Ints) -> Holders:
    """Proposal rounds until nobody short has anything left to propose."""
    n = pools.shape[0]
    while True:
        held = np.bincount(holders.seeker, minlength=n)
        proposal = _propose(pools, next_at, need, held)
        if proposal is None:
            return holders
        holders = _accept(holders, proposal, room, n)


def _result(
    ctx: Context, holders: Holders, feasible: Ints, available: Ints, need: Ints, given: Ints
) -> BatchResult:
    n, m = feasible.shape[0], given.shape[0]
    index = np.arange(holders.seeker.shape[0], dtype=np.uint64)
    order = (np.sort(holders.seeker.astype(np.uint64) << np.uint64(32) | index) & _LOW).astype(np.int64)
    width = max(int(need.max()) if need.size else 0, 1)
    top = row_top(holders.seeker[order], holders.mine[order], n, width)
    rows = np.flatnonzero((top != EMPTY).any(axis=1)).astype(np.int64)
    return BatchResult(
        ranking=ranking_from(ctx, top, rows, True),
        feasible=feasible.astype(np.int32),
        assigned=np.bincount(holders.seeker, minlength=n).astype(np.int32),
        load=(given + np.bincount(holders.vacancy, minlength=m)).astype(np.int32),
        available=available.astype(np.int32),
    )
