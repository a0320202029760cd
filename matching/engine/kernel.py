"""One dense chunk of a unit: filter every cell, score the feasible ones, keep each row's best k.

Results travel as uint64 keys `(descending score bits) << 32 | other index`, so that one
integer sort orders by score (higher first), then by index (lower first).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.engine.blocks import Unit, ramp
from matching.engine.factors import Idx as Where
from matching.engine.factors import distance_term, filter_into, occupation_levels, partial, terms
from matching.engine.pairs import held_counts
from matching.engine.tables import Scoring, SeekerTable, VacancyTable, take, unique_inverse
from matching.engine.types import MatchConfig

Ints = npt.NDArray[np.int64]
Keys = npt.NDArray[np.uint64]
EMPTY = np.uint64(0xFFFF_FFFF_FFFF_FFFF)
_LOW = np.uint64(0xFFFF_FFFF)
_SIGN = np.uint64(0x8000_0000)
# Above this many 64-bit words of local skill bits, count skills by lookup instead.
MAX_SKILL_WORDS = 8
# At most this many columns per group when bounding each row's k-th best from group maxima.
GROUP = 32
ROWS: Where = (slice(None), None)
COLUMNS: Where = (None, slice(None))


@dataclass
class Context:
    config: MatchConfig
    scoring: Scoring
    seekers: SeekerTable
    vacancies: VacancyTable
    exclude: Ints  # sorted pair keys seeker * m + vacancy

    @property
    def m(self) -> int:
        return int(self.vacancies.open.shape[0])


@dataclass
class ChunkResult:
    rows: Ints  # ranking rows (seeker or vacancy indexes), unique
    top: Keys  # (rows, k) best keys, EMPTY padding
    feasible: Ints  # feasible cells per row
    available: Ints  # feasible and not excluded


def descending_bits(score: npt.NDArray[np.float32]) -> Keys:
    """32-bit unsigned integers that sort like the scores, highest first."""
    bits = np.ascontiguousarray(score, dtype=np.float32).view(np.uint32).astype(np.uint64)
    return _LOW - np.where(bits & _SIGN, ~bits & _LOW, bits | _SIGN)


def score_keys(score: npt.NDArray[np.float32], other: Ints) -> Keys:
    return descending_bits(score) << np.uint64(32) | other.astype(np.uint64)


def key_scores(keys: Keys) -> npt.NDArray[np.float32]:
    ascending = _LOW - (keys >> np.uint64(32))
    bits = np.where(ascending & _SIGN, ascending & ~_SIGN, ~ascending & _LOW)
    return bits.astype(np.uint32).view(np.float32)


def key_others(keys: Keys) -> Ints:
    return (keys & _LOW).astype(np.int64)


def row_top(row: Ints, keys: Keys, rows: int, k: int) -> Keys:
    """The k smallest keys of each row; `row` must be sorted."""
    out = np.full((rows, k), EMPTY, dtype=np.uint64)
    if row.size == 0 or k == 0:
        return out
    counts = np.bincount(row, minlength=rows)
    width = int(counts.max())
    pos = np.arange(row.shape[0], dtype=np.int64) - (np.cumsum(counts) - counts)[row]
    grid = np.full((rows, width), EMPTY, dtype=np.uint64)
    grid[row, pos] = keys
    if width > k:
        grid = np.partition(grid, k - 1, axis=1)[:, :k]
    grid.sort(axis=1)
    out[:, : grid.shape[1]] = grid
    return out


def chunk_top(
    row: Ints, column: Ints, score: npt.NDArray[np.float32], rows: int, others: Ints, k: int
) -> Keys:
    """row_top for the cells of a chunk, as one sort of (row, score, column) packed in 64 bits
    when they fit; `others[column]` is the ranked index, and ties go to the lower one."""
    column_bits = max(int(others.shape[0] - 1).bit_length(), 1)
    row_bits = max(int(rows - 1).bit_length(), 1)
    if row_bits + 32 + column_bits > 64 or k == 0:
        return row_top(row, score_keys(score, others[column]), rows, k)
    order = np.argsort(others, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0])
    low, high = np.uint64(column_bits), np.uint64(32 + column_bits)
    packed = row.astype(np.uint64) << high | descending_bits(score) << low | rank[column].astype(np.uint64)
    packed.sort()
    at = (packed >> high).astype(np.int64)
    position = np.arange(packed.shape[0]) - np.searchsorted(at, at)
    keep = position < k
    packed = packed[keep]
    out = np.full((rows, k), EMPTY, dtype=np.uint64)
    other = others[order][(packed & ((np.uint64(1) << low) - np.uint64(1))).astype(np.int64)]
    out[at[keep], position[keep]] = (packed >> low & _LOW) << np.uint64(32) | other.astype(np.uint64)
    return out


def merge_top(best: Keys, where: Ints, top: Keys) -> None:
    """best[where] := the k smallest of best[where] and top (rows in `where` are unique)."""
    both = np.concatenate([best[where], top], axis=1)
    both.sort(axis=1)
    best[where] = both[:, : best.shape[1]]


def _head_table(
    s: SeekerTable, v: VacancyTable, sc: Scoring, any_occupation: bool
) -> tuple[npt.NDArray[np.float32], Ints]:
    """(head[seeker, kind], kind of each vacancy): occupation + language per distinct
    (code, language requirement) of the chunk's vacancies, rather than per cell. Seekers who
    accept every occupation share levels across codes: the kinds are then languages alone."""
    if any_occupation:
        kinds, kind = unique_inverse(v.language.astype(np.int64))
        first = np.zeros((1, 1), dtype=np.int64)  # the level is the same for every vacancy
        levels = np.broadcast_to(occupation_levels(s, v, ROWS, first), (s.age.shape[0], kinds.shape[0]))
        language_kinds = kinds.astype(np.int32)
    else:
        pairs, kind = unique_inverse(v.code.astype(np.int64) << 32 | v.language.astype(np.int64))
        codes, code = unique_inverse(pairs >> 32)
        some = np.zeros(codes.shape[0], dtype=np.int64)  # a vacancy with each code: any will do
        some[code[kind]] = np.arange(kind.shape[0])
        levels = occupation_levels(s, v, ROWS, some[None, :])[:, code]
        language_kinds = (pairs & 0xFFFF_FFFF).astype(np.int32)
    occupation = levels.astype(np.float32) * sc.occupation
    language = sc.language[s.language[:, None] + language_kinds[None, :]]
    return occupation + language, kind


def _skill_counts(s: SeekerTable, v: VacancyTable, ls: Ints, lv: Ints) -> npt.NDArray[np.int16]:
    """Required skills held per pair, from bitsets over the ids the chunk's vacancies require."""
    ids, v_bit = unique_inverse(v.skill_ids)
    words = (ids.shape[0] + 63) // 64
    if words == 0:
        return np.zeros(ls.shape[0], dtype=np.int16)
    if words > MAX_SKILL_WORDS:
        return held_counts(s, v, ls, lv)
    v_row = np.repeat(np.arange(v.skill_ptr.shape[0] - 1), np.diff(v.skill_ptr))
    required = _bitsets(v_row, v_bit, v.skill_ptr.shape[0] - 1, words)
    at = np.minimum(np.searchsorted(ids, s.skill_ids), ids.shape[0] - 1)
    hit = ids[at] == s.skill_ids
    s_row = np.repeat(np.arange(s.skill_ptr.shape[0] - 1), np.diff(s.skill_ptr))
    held = _bitsets(s_row[hit], at[hit], s.skill_ptr.shape[0] - 1, words)
    counts = np.zeros(ls.shape[0], dtype=np.int16)
    for w in range(words):
        counts += np.bitwise_count(np.take(held[w], ls) & np.take(required[w], lv))
    return counts


def _bitsets(row: Ints, bit: Ints, rows: int, words: int) -> Keys:
    """(words, rows) uint64 with `bit` set in each `row`."""
    out = np.zeros((words, rows), dtype=np.uint64)
    values = np.left_shift(np.uint64(1), (bit & 63).astype(np.uint64))
    np.bitwise_or.at(out, (bit >> 6, row), values)
    return out


def _excluded(ctx: Context, s_idx: Ints, v_idx: Ints) -> tuple[Ints, Ints]:
    """(row, column) cells of the chunk (seekers in rows) named in `exclude`."""
    ex, m = ctx.exclude, ctx.m
    lo = np.searchsorted(ex, s_idx * m)
    count = np.searchsorted(ex, (s_idx + 1) * m) - lo
    if not count.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    row = np.repeat(np.arange(s_idx.shape[0], dtype=np.int64), count)
    vac = ex[np.repeat(lo, count) + ramp(count)] - s_idx[row] * m
    order = np.argsort(v_idx)
    at = np.minimum(np.searchsorted(v_idx[order], vac), v_idx.shape[0] - 1)
    found = v_idx[order[at]] == vac
    return row[found], order[at[found]]


def _contenders(
    rl: Ints,
    cl: Ints,
    low: npt.NDArray[np.float32],
    high: npt.NDArray[np.float32],
    shape: tuple[int, int],
    k: int,
) -> tuple[Ints, npt.NDArray[np.float32]]:
    """Cells whose score may be among their row's k best, given lower and upper bounds of
    each score: the upper bound reaches the k-th largest of the row's group maxima of lower
    bounds (itself at most the row's k-th best score, and returned per row). Cheaper than a
    partition of all cells."""
    rows, cols = shape
    # Smaller groups bound tighter and cost a larger partition; a few groups per wanted cell.
    shift = min(GROUP, cols // (4 * k)).bit_length() - 1  # groups of 2**shift columns
    if shift < 1 or rl.size == 0:
        return np.arange(rl.shape[0]), np.full(rows, -np.inf, dtype=np.float32)
    groups = ((cols - 1) >> shift) + 1
    # Cells come sorted by (row, column), so each group of columns is one run: reduceat.
    group = rl * groups + (cl >> shift)
    starts = np.flatnonzero(np.concatenate([[True], group[1:] != group[:-1]]))
    maxima = np.full(rows * groups, -np.inf, dtype=np.float32)
    maxima[group[starts]] = np.maximum.reduceat(low, starts)
    bound = np.partition(maxima.reshape(rows, groups), groups - k, axis=1)[:, groups - k]
    return np.flatnonzero(high >= np.take(bound, rl)), bound


def _location_into(
    mask: npt.NDArray[np.bool_],
    allowed: npt.NDArray[np.uint64],
    segments: list[tuple[int, int, int]],
    offset: int,
    by_seeker: bool,
) -> None:
    """AND the location constraint into `mask`, one run of same-district vacancies at a time."""
    length = mask.shape[1] if by_seeker else mask.shape[0]
    for bit, a, b in segments:
        a, b = max(a - offset, 0), min(b - offset, length)
        if a >= b:
            continue
        ok = ((allowed >> np.uint64(bit)) & np.uint64(1)).astype(bool)
        if not ok.all():
            if by_seeker:
                mask[:, a:b] &= ok[:, None]
            else:
                mask[a:b, :] &= ok[None, :]


def evaluate(ctx: Context, unit: Unit, lo: int, hi: int, by_seeker: bool, k: int) -> ChunkResult:
    """Rows lo:hi of the unit (seekers if `by_seeker`, else vacancies) against all its columns."""
    segments = unit.segments
    if by_seeker:
        s_idx = unit.seekers[lo:hi]
        v_idx, segments = unit.columns_for(ctx.seekers.allowed[s_idx])
        si, vi = ROWS, COLUMNS
        shape = (s_idx.shape[0], v_idx.shape[0])
    else:
        s_idx, v_idx = unit.seekers, unit.vacancies[lo:hi]
        si, vi = COLUMNS, ROWS
        shape = (v_idx.shape[0], s_idx.shape[0])
    rows = s_idx if by_seeker else v_idx
    if 0 in shape:
        nothing = np.zeros(shape[0], dtype=np.int64)
        return ChunkResult(
            rows=rows, top=np.full((shape[0], k), EMPTY, dtype=np.uint64), feasible=nothing, available=nothing
        )
    s_tab, v_tab = take(ctx.seekers, s_idx), take(ctx.vacancies, v_idx)
    mask = np.ones(shape, dtype=bool)
    filter_into(mask, np.empty(shape, dtype=bool), s_tab, v_tab, si, vi)
    _location_into(mask, s_tab.allowed, segments, 0 if by_seeker else lo, by_seeker)
    excluded = np.zeros(shape[0], dtype=np.int64)
    if by_seeker and ctx.exclude.size:
        er, ec = _excluded(ctx, s_idx, v_idx)
        excluded = np.bincount(er[mask[er, ec]], minlength=shape[0]).astype(np.int64)
        mask[er, ec] = False
    flat = np.flatnonzero(mask)
    del mask
    available = np.bincount(flat // shape[1], minlength=shape[0]).astype(np.int64)
    if k == 0:
        empty = np.zeros((shape[0], 0), dtype=np.uint64)
        return ChunkResult(rows=rows, top=empty, feasible=available + excluded, available=available)
    rl = flat // shape[1]
    cl = flat - rl * shape[1]
    ls, lv = (rl, cl) if by_seeker else (cl, rl)
    table, kind = _head_table(s_tab, v_tab, ctx.scoring, unit.any_occupation)
    head = np.take(table, ls * table.shape[1] + np.take(kind, lv))
    held = _skill_counts(s_tab, v_tab, ls, lv)
    # Distance, the dearest term, only for pairs that can still reach their row's k best.
    cheap = partial(terms(s_tab, v_tab, ls, lv, head, held, ctx.scoring, with_distance=False))
    near, bound = _contenders(rl, cl, cheap, cheap + ctx.scoring.distance, shape, k)
    rl, cl, ls, lv = rl[near], cl[near], ls[near], lv[near]
    score = cheap[near]
    score += distance_term(s_tab, v_tab, ls, lv, ctx.scoring)
    pick, _ = _contenders(rl, cl, score, score, shape, k)
    columns = v_idx if by_seeker else s_idx
    return ChunkResult(
        rows=rows,
        top=chunk_top(rl[pick], cl[pick], score[pick], shape[0], columns, k),
        feasible=available + excluded,
        available=available,
    )
