"""Batch recommendations under a per-vacancy cap, by seeker-proposing deferred acceptance,
level by level so that scarce places go round: everybody who can get a first result gets
it before anybody gets a second, and so on up to the need.

Plain top-k sends hundreds of seekers to the same few vacancies. Here each seeker proposes
down a pool of their best vacancies; a vacancy keeps its best-scoring proposers up to its
cap and rejects the rest, who propose further down. A seeker who runs out of pool while
still short gets a fresh pool among the vacancies that still have room, so at the end no
seeker is short while a feasible vacancy of theirs has room. Then augmenting paths serve
more seekers: a holder with another vacancy of theirs with room moves there, and a seeker
left short takes the place.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import maximum_flow  # type: ignore[import-untyped]

from matching.engine.kernel import EMPTY, Context, key_others, row_top
from matching.engine.ranking import best_vacancies, make_context, ranking_from
from matching.engine.tables import sorted_unique
from matching.engine.types import BatchResult, MatchConfig, Seekers, Vacancies

Ints = npt.NDArray[np.int64]
Keys = npt.NDArray[np.uint64]
POOL_MIN, POOL_MAX = 32, 64
_LOW = np.uint64(0xFFFF_FFFF)
_HIGH = np.uint64(32)


def capacity(config: MatchConfig, headcount: npt.NDArray[np.int32]) -> Ints:
    # Rounded first, so that 1.1 * 10 does not become 11.000000000000002 and then 12.
    return np.ceil(np.round(config.capacity_multiple * headcount.astype(np.float64), 9)).astype(np.int64)


def pool_size(need: Ints) -> int:
    top = int(need.max()) if need.size else 0
    return max(top, min(POOL_MAX, max(POOL_MIN, 3 * top)))


@dataclasses.dataclass
class Holders:
    """The accepted (seeker, vacancy) pairs."""

    seeker: Ints
    vacancy: Ints
    key: Keys  # descending score bits << 32 | seeker: the vacancy prefers smaller
    mine: Keys  # descending score bits << 32 | vacancy: the seeker prefers smaller


def _empty() -> Holders:
    none = np.zeros(0, dtype=np.int64)
    return Holders(seeker=none, vacancy=none.copy(), key=np.zeros(0, np.uint64), mine=np.zeros(0, np.uint64))


def _member(values: Ints, sorted_set: Ints) -> npt.NDArray[np.bool_]:
    if sorted_set.size == 0:
        return np.zeros(values.shape[0], dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), sorted_set.shape[0] - 1)
    return np.asarray(sorted_set[at] == values, dtype=np.bool_)


_SCORE_DROP = np.uint64(3)
_LEVEL_AT = np.uint64(61)
MAX_LEVEL = 7
# Levels after which fresh pools and augmenting paths run, besides the last. (1,) leaves
# fewer seekers with nothing (7,030 against 9,445 of 100,000 on the bench market, where
# 6,600 have no feasible vacancy at all) for about 3 s more CPU; measured in
# docs/performance.md.
FULL_LEVELS: tuple[int, ...] = ()


def _vacancy_key(mine: Keys, seeker: Ints, level: npt.ArrayLike = 1) -> Keys:
    """What a vacancy prefers, smallest first: a seeker's r-th result before anyone's
    (r+1)-th (levels in the top 3 bits), then the higher score, then the lower index.

    The levels make the batch fair when places are scarce: everybody who can get one
    result gets it before anybody gets a second, and so on up to the need.
    """
    levels = np.minimum(np.asarray(level, dtype=np.int64), MAX_LEVEL).astype(np.uint64)
    score = (mine >> _HIGH) >> _SCORE_DROP
    key = np.left_shift(levels, _LEVEL_AT) | np.left_shift(score, _HIGH) | seeker.astype(np.uint64)
    return np.asarray(key, dtype=np.uint64)


@dataclasses.dataclass
class Market:
    """Deferred acceptance over fixed pools; `cutoff[v]` is the worst key a full vacancy holds
    (it only ever improves, so a proposal that would be refused now is refused for good)."""

    pools: Keys  # (n, P) each seeker's best vacancies as seeker-side keys, best first
    length: Ints  # filled entries per pool
    next_at: Ints  # next pool entry to consider
    need: Ints
    room: Ints
    holders: Holders
    cutoff: Keys
    level: int = 1

    @classmethod
    def start(cls, pools: Keys, need: Ints, room: Ints) -> Market:
        market = cls(
            pools=pools,
            length=(pools != EMPTY).sum(axis=1),
            next_at=np.zeros(pools.shape[0], dtype=np.int64),
            need=need,
            room=room,
            holders=_empty(),
            cutoff=np.zeros(0, dtype=np.uint64),
        )
        market.recompute_cutoffs()
        return market

    def recompute_cutoffs(self) -> None:
        h = self.holders
        worst = np.zeros(self.room.shape[0], dtype=np.uint64)
        np.maximum.at(worst, h.vacancy, h.key)
        full = np.bincount(h.vacancy, minlength=self.room.shape[0]) >= self.room
        self.cutoff = np.where(full, worst, EMPTY)

    def held(self) -> Ints:
        return np.bincount(self.holders.seeker, minlength=self.pools.shape[0])

    def settle(self) -> None:
        """Proposal rounds until nobody short has a pool entry that could still be accepted."""
        while (proposal := self._propose()) is not None:
            self._accept(proposal)

    def augment(self) -> None:
        """Max-flow over the pools from the current holders, along paths of up to three edges:
        short seeker -> full vacancy -> its holder -> another vacancy of the holder's with room
        (or short seeker -> vacancy with room). Nobody loses a result; loads only grow."""
        h, room = self.holders, self.room
        n, m = self.pools.shape[0], room.shape[0]
        short = self.need - self.held()
        left = room - np.bincount(h.vacancy, minlength=m)
        if not (short > 0).any() or not (left > 0).any():
            return
        seeker, slot = np.nonzero(self.pools != EMPTY)
        mine = self.pools[seeker, slot]
        vacancy = key_others(mine)
        useful = (left[vacancy] > 0) | (short[seeker] > 0)
        useful &= ~_member(seeker * m + vacancy, np.sort(h.seeker * m + h.vacancy))
        seeker, vacancy, mine = seeker[useful], vacancy[useful], mine[useful]
        source, sink = n + m, n + m + 1
        wanting, open_ = np.flatnonzero(short > 0), np.flatnonzero(left > 0)
        tail = np.concatenate([np.full(wanting.shape[0], source), seeker, n + h.vacancy, n + open_])
        head = np.concatenate([wanting, n + vacancy, h.seeker, np.full(open_.shape[0], sink)])
        ones = np.ones(seeker.shape[0] + h.seeker.shape[0], dtype=np.int64)
        capacity_ = np.concatenate([short[wanting], ones, left[open_]]).astype(np.int32)
        graph = csr_matrix((capacity_, (tail, head)), shape=(n + m + 2, n + m + 2))
        result = maximum_flow(graph, source, sink)
        if result.flow_value == 0:
            return
        flow = result.flow.tocoo()
        used = flow.data > 0
        a, b = flow.row[used].astype(np.int64), flow.col[used].astype(np.int64)
        added = (a < n) & (b >= n) & (b < n + m)
        dropped = (a >= n) & (a < n + m) & (b < n)
        keep = ~_member(h.seeker * m + h.vacancy, np.sort(b[dropped] * m + (a[dropped] - n)))
        new = _member(seeker * m + vacancy, np.sort(a[added] * m + (b[added] - n)))
        self.holders = Holders(
            seeker=np.concatenate([h.seeker[keep], seeker[new]]),
            vacancy=np.concatenate([h.vacancy[keep], vacancy[new]]),
            key=np.concatenate([h.key[keep], _vacancy_key(mine[new], seeker[new], self.level)]),
            mine=np.concatenate([h.mine[keep], mine[new]]),
        )
        self.recompute_cutoffs()

    def _propose(self) -> Holders | None:
        short = self.need - self.held()
        who = np.flatnonzero((short > 0) & (self.next_at < self.length))
        if who.size == 0:
            return None
        pool = self.pools[who]
        position = np.arange(pool.shape[1])[None, :]
        vacancy = np.where(pool != EMPTY, key_others(pool), 0)
        viable = (position >= self.next_at[who][:, None]) & (pool != EMPTY)
        held = self.held()[who]
        viable &= _vacancy_key(pool, who[:, None], (held + 1)[:, None]) < self.cutoff[vacancy]
        chosen = viable & (np.cumsum(viable, axis=1) <= short[who][:, None])
        taken = chosen.sum(axis=1)
        last = pool.shape[1] - 1 - np.argmax(chosen[:, ::-1], axis=1)
        # Entries passed over are refused for good; a seeker who took fewer than short saw all.
        self.next_at[who] = np.where(taken == short[who], last + 1, self.length[who])
        row, column = np.nonzero(chosen)
        if row.size == 0:
            return None
        seeker, mine = who[row], pool[row, column]
        # The j-th entry a seeker proposes now would be its (held + j)-th result.
        level = held[row] + np.cumsum(chosen, axis=1)[row, column]
        return Holders(
            seeker=seeker, vacancy=key_others(mine), key=_vacancy_key(mine, seeker, level), mine=mine
        )

    def _accept(self, proposal: Holders) -> None:
        """Each proposed-to vacancy keeps its best `room` candidates among holders and proposers."""
        h, room = self.holders, self.room
        touched = np.zeros(room.shape[0], dtype=bool)
        touched[proposal.vacancy] = True
        stay = ~touched[h.vacancy]
        seeker, vacancy, key, mine = (
            np.concatenate([getattr(h, name)[~stay], getattr(proposal, name)])
            for name in ("seeker", "vacancy", "key", "mine")
        )
        count = np.bincount(vacancy, minlength=room.shape[0])
        keep = count[vacancy] <= room[vacancy]
        crowded = np.flatnonzero(~keep)
        if crowded.size:
            # Order by key, then group by vacancy with one integer sort that keeps that order;
            # the first `room` of each group stay.
            by_key = crowded[np.argsort(key[crowded], kind="stable")]
            packed = vacancy[by_key].astype(np.uint64) << _HIGH | np.arange(by_key.shape[0], dtype=np.uint64)
            ranked = by_key[(np.sort(packed) & _LOW).astype(np.int64)]
            group = vacancy[ranked]
            first = np.flatnonzero(np.concatenate([[True], group[1:] != group[:-1]]))
            rank = np.arange(ranked.shape[0]) - np.repeat(first, np.diff(np.append(first, ranked.shape[0])))
            keep[ranked[rank < room[group]]] = True
        self.holders = Holders(
            seeker=np.concatenate([h.seeker[stay], seeker[keep]]),
            vacancy=np.concatenate([h.vacancy[stay], vacancy[keep]]),
            key=np.concatenate([h.key[stay], key[keep]]),
            mine=np.concatenate([h.mine[stay], mine[keep]]),
        )
        worst = np.zeros(room.shape[0], dtype=np.uint64)
        np.maximum.at(worst, vacancy[keep], key[keep])
        full = touched & (np.bincount(vacancy[keep], minlength=room.shape[0]) >= room)
        self.cutoff[full] = worst[full]


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

    first = best_vacancies(ctx, seekers, occupation, np.flatnonzero(want > 0), open_rows, size)
    if (want == 0).any():  # their feasible counts only
        counted = best_vacancies(ctx, seekers, occupation, np.flatnonzero(want == 0), open_rows, 0)
        first.feasible += counted.feasible
        first.available += counted.available
    market = Market.start(np.where(want[:, None] > 0, first.top, EMPTY), np.minimum(want, 1), room)
    top_level = int(want.max()) if want.size else 0
    for level in range(1, top_level + 1):
        # Level by level: first one result each, then two, ... (see _vacancy_key).
        market.level = level
        market.need = np.minimum(want, level)
        # Fresh pools and augmenting paths (max flow) cost a pass over the whole market:
        # at the end (and after FULL_LEVELS); the levels between only propose down the
        # pools they have.
        if level in FULL_LEVELS or level == top_level:
            _fill(market, ctx, seekers, occupation, open_rows, room, size)
        else:
            market.settle()
    return _result(ctx, market.holders, first.feasible, first.available, want, given)


def _fill(
    market: Market,
    ctx: Context,
    seekers: Seekers,
    occupation: Ints,
    open_rows: Ints,
    room: Ints,
    size: int,
) -> None:
    m = room.shape[0]
    want = market.need
    market.settle()
    # Deferred acceptance first, by score; then also along augmenting paths, which serve
    # seekers it leaves short by moving a holder to another vacancy of theirs with room.
    for reshuffle in (False, True):
        while True:
            if reshuffle:
                market.augment()
            # A seeker whose pool was full may have more feasible vacancies: look again among
            # those with room, leaving out the ones the seeker holds. A full vacancy stays
            # full, so every pair is proposed at most once and this ends.
            rows = np.flatnonzero((market.held() < want) & (market.length == size)).astype(np.int64)
            if rows.size == 0:
                break
            left = room - np.bincount(market.holders.vacancy, minlength=m)
            with_room = open_rows[left[open_rows] > 0]
            taken = market.holders.seeker * m + market.holders.vacancy
            again = dataclasses.replace(ctx, exclude=sorted_unique(np.concatenate([ctx.exclude, taken])))
            fresh = best_vacancies(again, seekers, occupation, rows, with_room, size).top[rows]
            market.pools[rows] = fresh
            market.length[rows] = (fresh != EMPTY).sum(axis=1)
            market.next_at[rows] = 0
            if not market.length[rows].any():
                break
            market.settle()


def _result(
    ctx: Context, holders: Holders, feasible: Ints, available: Ints, need: Ints, given: Ints
) -> BatchResult:
    n, m = feasible.shape[0], given.shape[0]
    index = np.arange(holders.seeker.shape[0], dtype=np.uint64)
    order = (np.sort(holders.seeker.astype(np.uint64) << _HIGH | index) & _LOW).astype(np.int64)
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
