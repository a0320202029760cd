"""Blocking: only seekers and vacancies of one occupation group can pair.

A vacancy belongs to the group of its first `occupation_depth` levels. A desired code
reaches every group that agrees with it above its first wildcard level; a seeker without
desires reaches every group. Within a group, a seeker who accepts one district only sees
that district's vacancies; the others see the whole group and are checked per district.
Groups are disjoint in vacancies, so each pair is looked at in at most one unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.engine.tables import code_bytes, sorted_unique, unique_inverse, wildcard_level

Ints = npt.NDArray[np.int64]
WIDE = 64  # class of the seekers who accept several districts (travellers included)


@dataclass
class Unit:
    """Seekers x vacancies to evaluate densely. `vacancies` is sorted by district bit, and
    `segments[b]` = (bit, start, end) are its runs of one district."""

    seekers: Ints
    vacancies: Ints
    segments: list[tuple[int, int, int]]
    # The seekers accept every occupation: one unit over all groups, where the occupation
    # term is the same for every vacancy of a seeker.
    any_occupation: bool = False

    def columns_for(self, allowed: npt.NDArray[np.uint64]) -> tuple[Ints, list[tuple[int, int, int]]]:
        """The vacancies of the districts some of these seekers accept, and their segments."""
        reach = int(np.bitwise_or.reduce(allowed)) if allowed.size else 0
        kept = [(bit, a, b) for bit, a, b in self.segments if reach >> bit & 1]
        if len(kept) == len(self.segments):
            return self.vacancies, self.segments
        segments, start = [], 0
        for bit, a, b in kept:
            segments.append((bit, start, start + b - a))
            start += b - a
        columns = np.concatenate([self.vacancies[a:b] for _, a, b in kept]) if kept else self.vacancies[:0]
        return columns, segments


def group_keys(occupation: Ints, depth: int) -> Ints:
    return np.where(occupation >= 0, occupation // 10 ** (8 - 2 * depth), -1)


def seeker_groups(
    occupations: npt.NDArray[np.int32], keys: Ints, depth: int, spread: bool = True
) -> tuple[Ints, Ints]:
    """(seeker row, group) pairs, unique, for sorted unique group `keys`. A seeker who accepts
    every occupation pairs with every group, or (`spread=False`) once with group len(keys).

    Works on level bytes (`code_bytes`): a prefix of levels is then a shift, and sorted
    decimal keys stay sorted."""
    valid = occupations >= 0
    packed = code_bytes(occupations)
    level = np.minimum(wildcard_level(occupations), depth)
    anything = ~valid.any(axis=1) | (valid & (level == 0)).any(axis=1)
    if spread:
        rows = [np.repeat(np.flatnonzero(anything), keys.shape[0])]
        groups = [np.tile(np.arange(keys.shape[0], dtype=np.int64), int(anything.sum()))]
    else:
        rows = [np.flatnonzero(anything)]
        groups = [np.full(rows[0].shape[0], keys.shape[0], dtype=np.int64)]
    row, slot = np.nonzero(valid & ~anything[:, None])
    wanted, stated = packed[row, slot], level[row, slot]
    # Group keys as level bytes; a vacancy without occupation (key -1) matches no stated level.
    known = int(np.searchsorted(keys, 0))
    key_bytes = code_bytes(keys[known:] * 10 ** (8 - 2 * depth)) >> np.uint32(8 * (4 - depth))
    for w in range(1, depth + 1):
        at = stated == w
        prefix = wanted[at] >> np.uint32(8 * (4 - w))
        coarse = key_bytes >> np.uint32(8 * (depth - w))
        lo = np.searchsorted(coarse, prefix, side="left")
        count = np.searchsorted(coarse, prefix, side="right") - lo
        rows.append(np.repeat(row[at], count))
        groups.append(np.repeat(lo + known, count) + ramp(count))
    width = keys.shape[0] + 1
    pair = sorted_unique(np.concatenate(rows) * width + np.concatenate(groups))
    return pair // width, pair % width


def ramp(count: Ints) -> Ints:
    """0..count[i]-1 for each i, concatenated."""
    total = int(count.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)


def _runs(sorted_values: Ints) -> tuple[Ints, Ints]:
    """Start and end of each run of equal values."""
    if sorted_values.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    change = np.flatnonzero(sorted_values[1:] != sorted_values[:-1]) + 1
    starts = np.concatenate([[0], change]).astype(np.int64)
    ends = np.concatenate([change, [sorted_values.shape[0]]]).astype(np.int64)
    return starts, ends


def _single_bit(allowed: npt.NDArray[np.uint64]) -> Ints:
    """The bit index of a one-district mask, WIDE for several, -1 for none."""
    count = np.bitwise_count(allowed)
    bit = np.log2(np.maximum(allowed, np.uint64(1)).astype(np.float64)).astype(np.int64)
    return np.where(count == 1, bit, np.where(count == 0, -1, WIDE))


@dataclass
class Blocking:
    keys: Ints  # sorted group keys
    vacancies: list[Ints]  # per group, sorted by (district bit, index); then all of them
    bits: list[Ints]  # district bit of those vacancies


def block_vacancies(occupation: Ints, bit: Ints, eligible: Ints, depth: int) -> Blocking:
    key = group_keys(occupation[eligible], depth)
    keys, group = unique_inverse(key)
    order = np.lexsort((eligible, bit[eligible], group))
    vac = eligible[order]
    starts, ends = _runs(group[order])
    every = eligible[np.lexsort((eligible, bit[eligible]))]
    return Blocking(
        keys=keys.astype(np.int64),
        vacancies=[vac[a:b] for a, b in zip(starts, ends, strict=True)] + [every],
        bits=[bit[vac[a:b]] for a, b in zip(starts, ends, strict=True)] + [bit[every]],
    )


def segments_of(bits: Ints) -> list[tuple[int, int, int]]:
    starts, ends = _runs(bits)
    return [(int(bits[a]), int(a), int(b)) for a, b in zip(starts, ends, strict=True)]


def seeker_units(
    occupations: npt.NDArray[np.int32],
    allowed: npt.NDArray[np.uint64],
    rows: Ints,
    blocking: Blocking,
    depth: int,
) -> list[Unit]:
    """Units for ranking vacancies per seeker in `rows` (sorted seeker indexes)."""
    if rows.size == 0 or blocking.keys.size == 0:
        return []
    local, group = seeker_groups(occupations[rows], blocking.keys, depth, spread=False)
    seeker = rows[local]
    kind = _single_bit(allowed[seeker])
    keep = kind >= 0
    seeker, group, kind = seeker[keep], group[keep], kind[keep]
    # Seekers of several districts share one unit per group, ordered by their set of districts
    # so that a chunk of rows needs the columns of few districts (see `Unit.columns_for`).
    masks, mask = unique_inverse(allowed[seeker])
    order = np.where(kind == WIDE, WIDE + mask, kind)
    width = WIDE + masks.shape[0]
    n = int(rows.max()) + 1
    packed = np.sort((group * width + order) * n + seeker)
    seeker = packed % n
    cls = np.minimum(packed // n % width, WIDE)
    groups = packed // n // width
    units = []
    starts, ends = _runs(groups * (WIDE + 1) + cls)
    for a, b in zip(starts, ends, strict=True):
        g, k = int(groups[a]), int(cls[a])
        vac, bits = blocking.vacancies[g], blocking.bits[g]
        if k != WIDE:
            lo, hi = np.searchsorted(bits, k, side="left"), np.searchsorted(bits, k, side="right")
            vac, bits = vac[lo:hi], bits[lo:hi]
        if vac.size:
            every = g == blocking.keys.shape[0]
            units.append(Unit(seeker[a:b], vac, segments_of(bits), any_occupation=every))
    return units


def vacancy_units(seeker: Ints, group: Ints, blocking: Blocking) -> list[Unit]:
    """Units for ranking seekers per vacancy, from (seeker, group) pairs of `seeker_groups`."""
    if seeker.size == 0:
        return []
    width = int(seeker.max()) + 1
    packed = np.sort(group * width + seeker)
    seeker, group = packed % width, packed // width
    units = []
    starts, ends = _runs(group)
    for a, b in zip(starts, ends, strict=True):
        g = int(group[a])
        units.append(
            Unit(seekers=seeker[a:b], vacancies=blocking.vacancies[g], segments=segments_of(blocking.bits[g]))
        )
    return units
