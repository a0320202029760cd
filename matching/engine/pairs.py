"""Feasibility, scores and facts for given (seeker, vacancy) index pairs."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from matching.engine.factors import (
    Terms,
    constraint_masks,
    contributions,
    distance_km,
    head_terms,
    occupation_levels,
    same_district,
    terms,
    total,
)
from matching.engine.tables import (
    Scoring,
    SeekerTable,
    VacancyTable,
    csr_take,
    language_base,
    scoring,
    seeker_table,
    unique_inverse,
    vacancy_table,
)
from matching.engine.types import Facts, MatchConfig, Seekers, Vacancies

Raw = TypeVar("Raw", Seekers, Vacancies)
Idx = npt.NDArray[np.integer[Any]]


def subset(rows: Raw, idx: npt.NDArray[np.int64]) -> Raw:
    """The input rows `idx` as a new Seekers/Vacancies (skills included)."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(rows):
        if f.name not in ("skill_ptr", "skill_ids"):
            values[f.name] = getattr(rows, f.name)[idx]
    values["skill_ptr"], values["skill_ids"] = csr_take(
        rows.skill_ptr.astype(np.int64), rows.skill_ids.astype(np.int32), idx
    )
    return type(rows)(**values)


@dataclasses.dataclass
class PairTables:
    seekers: SeekerTable
    vacancies: VacancyTable
    scoring: Scoring
    si: npt.NDArray[np.int64]
    vi: npt.NDArray[np.int64]


def pair_tables(seekers: Seekers, vacancies: Vacancies, s: Idx, v: Idx, config: MatchConfig) -> PairTables:
    """Tables for only the seekers and vacancies the pairs name, and the pairs' rows in them."""
    s, v = np.broadcast_arrays(np.asarray(s, dtype=np.int64), np.asarray(v, dtype=np.int64))
    s_rows, si = unique_inverse(s.ravel())
    v_rows, vi = unique_inverse(v.ravel())
    some_seekers, some_vacancies = subset(seekers, s_rows), subset(vacancies, v_rows)
    base = language_base(
        some_seekers.tibetan,
        some_seekers.chinese,
        some_vacancies.tibetan_required,
        some_vacancies.chinese_required,
    )
    return PairTables(
        seekers=seeker_table(some_seekers, config, base),
        vacancies=vacancy_table(some_vacancies, config, base),
        scoring=scoring(config, base),
        si=si,
        vi=vi,
    )


def held_counts(s: SeekerTable, v: VacancyTable, si: Idx, vi: Idx) -> npt.NDArray[np.int16]:
    """How many of the vacancy's required skills the seeker holds, per pair (exact, any vocabulary)."""
    si, vi = np.broadcast_arrays(np.asarray(si, dtype=np.int64), np.asarray(vi, dtype=np.int64))
    si, vi = si.ravel(), vi.ravel()
    held_row = np.repeat(np.arange(s.skill_ptr.shape[0] - 1, dtype=np.int64), np.diff(s.skill_ptr))
    held_keys = held_row << 32 | s.skill_ids.astype(np.int64)  # sorted: rows in order, ids sorted
    required = np.diff(v.skill_ptr)[vi]
    pair = np.repeat(np.arange(si.shape[0], dtype=np.int64), required)
    offsets = np.arange(pair.shape[0], dtype=np.int64) - np.repeat(np.cumsum(required) - required, required)
    ids = v.skill_ids[v.skill_ptr[vi[pair]] + offsets].astype(np.int64)
    query = si[pair] << 32 | ids
    if held_keys.size == 0:
        return np.zeros(si.shape[0], dtype=np.int16)
    at = np.minimum(np.searchsorted(held_keys, query), held_keys.shape[0] - 1)
    hit = held_keys[at] == query
    return np.bincount(pair[hit], minlength=si.shape[0]).astype(np.int16)


def feasible(
    seekers: Seekers, vacancies: Vacancies, s: Idx, v: Idx, config: MatchConfig
) -> npt.NDArray[np.bool_]:
    t = pair_tables(seekers, vacancies, s, v, config)
    levels = occupation_levels(t.seekers, t.vacancies, t.si, t.vi)
    masks = constraint_masks(t.seekers, t.vacancies, t.si, t.vi, levels, config)
    return np.asarray(np.logical_and.reduce(masks), dtype=np.bool_)


def score_pairs(
    seekers: Seekers, vacancies: Vacancies, s: Idx, v: Idx, config: MatchConfig
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """(score[p], weighted contributions[p, FACTORS]) whether or not the pairs are feasible."""
    t = pair_tables(seekers, vacancies, s, v, config)
    parts = pair_terms(t.seekers, t.vacancies, t.si, t.vi, t.scoring)
    return total(parts), contributions(parts, t.vacancies, t.vi)


def pair_terms(s: SeekerTable, v: VacancyTable, si: Idx, vi: Idx, sc: Scoring) -> Terms:
    """Terms with occupation levels and held skills counted per pair."""
    occupation, language, head = head_terms(s, v, si, vi, occupation_levels(s, v, si, vi), sc)
    parts = terms(s, v, si, vi, head, held_counts(s, v, si, vi), sc)
    parts.occupation, parts.language = occupation, language
    return parts


def explain(seekers: Seekers, vacancies: Vacancies, s: Idx, v: Idx, config: MatchConfig) -> Facts:
    t = pair_tables(seekers, vacancies, s, v, config)
    sk, vk, si, vi = t.seekers, t.vacancies, t.si, t.vi
    s, v = np.broadcast_arrays(np.asarray(s, dtype=np.int64), np.asarray(v, dtype=np.int64))
    return Facts(
        occupation_levels=occupation_levels(sk, vk, si, vi).astype(np.int8),
        skills_required=vk.skill_count[vi].astype(np.int16),
        skills_held=held_counts(sk, vk, si, vi),
        salary_max=vacancies.salary_max[v].astype(np.float32),
        salary_min=seekers.salary_min[s].astype(np.float32),
        distance_km=distance_km(sk, vk, si, vi).astype(np.float32),
        same_district=same_district(sk, vk, si, vi),
        tibetan_margin=(seekers.tibetan[s].astype(np.int16) - vacancies.tibetan_required[v]).astype(np.int8),
        chinese_margin=(seekers.chinese[s].astype(np.int16) - vacancies.chinese_required[v]).astype(np.int8),
        experience=seekers.experience[s].astype(np.float32),
        experience_min=vacancies.experience_min[v].astype(np.float32),
        age_days=vacancies.age_days[v].astype(np.float32),
        responsiveness=vacancies.responsiveness[v].astype(np.float32),
    )
