"""The hard constraints and the factor values, written once for every path.

Each function takes the two tables and index arrays `si`, `vi` that broadcast against each
other: (p,) and (p,) for pairs, (r, 1) and (1, c) for a dense block. The same formula on the
same numbers gives the same float32 result wherever a pair is scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from matching.engine.tables import EARTH_RADIUS_KM, Scoring, SeekerTable, VacancyTable, shared_levels
from matching.engine.types import CONSTRAINTS, FACTORS, MatchConfig

# Index arrays, or (slice, None) / (None, slice) to broadcast a whole table as rows or columns.
Idx = npt.NDArray[np.integer[Any]] | tuple[slice | None, slice | None]
Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float32]

# Taylor coefficients of asin(x)/x in x**2; below 0.25 the x**13 term is under 1e-9 of x.
_ASIN = tuple(np.float32(c) for c in (63 / 2816, 35 / 1152, 5 / 112, 3 / 40, 1 / 6, 1.0))
_ASIN_SERIES_LIMIT = 0.25


def at(values: npt.NDArray[Any], where: Idx) -> npt.NDArray[Any]:
    """values[where]: np.take for an index array, about 1.5x faster than fancy indexing."""
    if isinstance(where, np.ndarray):
        return np.take(values, where)
    return values[where]


def occupation_levels(s: SeekerTable, v: VacancyTable, si: Idx, vi: Idx) -> npt.NDArray[np.int8]:
    """Levels shared with the closest desired code (0 for a seeker without desires)."""
    code = at(v.code, vi)
    best = shared_levels(at(s.desired[:, 0], si), at(s.keep[:, 0], si), code)
    for slot in range(1, s.desired.shape[1]):
        np.maximum(best, shared_levels(at(s.desired[:, slot], si), at(s.keep[:, slot], si), code), out=best)
    return best


def occupation_ok(s: SeekerTable, si: Idx, levels: npt.NDArray[np.int8], depth: int) -> Bools:
    return ~s.has_desire[si] | (levels >= depth)


def location_ok(s: SeekerTable, v: VacancyTable, si: Idx, vi: Idx) -> Bools:
    return np.asarray((s.allowed[si] >> v.district_bit[vi]) & np.uint64(1), dtype=np.bool_)


def age_ok(s: SeekerTable, v: VacancyTable, si: Idx, vi: Idx) -> Bools:
    age = s.age[si]
    return (v.age_min[vi] <= age) & (age <= v.age_max[vi])


def education_ok(s: SeekerTable, v: VacancyTable, si: Idx, vi: Idx) -> Bools:
    return s.education[si] >= v.education_min[vi]


def language_ok(s: SeekerTable, v: VacancyTable, si: Idx, vi: Idx) -> Bools:
    return (s.tibetan[si] >= v.tibetan_required[vi]) & (s.chinese[si] >= v.chinese_required[vi])


def work_type_ok(s: SeekerTable, v: VacancyTable, si: Idx, vi: Idx) -> Bools:
    return np.asarray(s.any_work[si] | (s.work_mode[si] == v.work_type[vi]), dtype=np.bool_)


def salary_ok(s: SeekerTable, v: VacancyTable, si: Idx, vi: Idx) -> Bools:
    return v.salary_max[vi] >= s.salary_floor[si]


def constraint_masks(
    s: SeekerTable, v: VacancyTable, si: Idx, vi: Idx, levels: npt.NDArray[np.int8], config: MatchConfig
) -> list[Bools]:
    """One mask per hard constraint, in CONSTRAINTS order."""
    masks = {
        "occupation": occupation_ok(s, si, levels, config.occupation_depth),
        "location": location_ok(s, v, si, vi),
        "age": age_ok(s, v, si, vi),
        "education": education_ok(s, v, si, vi),
        "language": language_ok(s, v, si, vi),
        "work_type": work_type_ok(s, v, si, vi),
        "salary": salary_ok(s, v, si, vi),
        "open": v.open[vi],
    }
    return [masks[name] for name in CONSTRAINTS]


def filter_into(out: Bools, scratch: Bools, s: SeekerTable, v: VacancyTable, si: Idx, vi: Idx) -> None:
    """AND the age, education, language, work-type and salary constraints into `out`, in place.

    The dense block path calls this; location, occupation and openness come from the blocking.
    """
    age = s.age[si]
    np.less_equal(v.age_min[vi], age, out=scratch)
    np.logical_and(out, scratch, out=out)
    np.less_equal(age, v.age_max[vi], out=scratch)
    np.logical_and(out, scratch, out=out)
    np.greater_equal(s.education[si], v.education_min[vi], out=scratch)
    np.logical_and(out, scratch, out=out)
    np.greater_equal(s.tibetan[si], v.tibetan_required[vi], out=scratch)
    np.logical_and(out, scratch, out=out)
    np.greater_equal(s.chinese[si], v.chinese_required[vi], out=scratch)
    np.logical_and(out, scratch, out=out)
    np.equal(s.work_mode[si], v.work_type[vi], out=scratch)
    np.logical_or(scratch, s.any_work[si], out=scratch)
    np.logical_and(out, scratch, out=out)
    np.greater_equal(v.salary_max[vi], s.salary_floor[si], out=scratch)
    np.logical_and(out, scratch, out=out)


def asin(x: Floats) -> Floats:
    """arcsin for x in [0, 1]: a short series where it is exact to float32, numpy elsewhere."""
    x2 = x * x
    result = np.full_like(x, _ASIN[0])
    for c in _ASIN[1:]:
        result *= x2
        result += c
    result *= x
    far = x > _ASIN_SERIES_LIMIT
    if far.any():
        result[far] = np.arcsin(np.minimum(x[far], np.float32(1.0)))
    return result


def distance_km(s: SeekerTable, v: VacancyTable, si: Idx, vi: Idx) -> Floats:
    """Great-circle distance from the chord between unit vectors; NaN when a coordinate is unknown."""
    d = at(s.x, si) - at(v.x, vi)
    chord2 = d * d
    d = at(s.y, si) - at(v.y, vi)
    chord2 += d * d
    d = at(s.z, si) - at(v.z, vi)
    chord2 += d * d
    half = np.sqrt(chord2).astype(np.float32)
    half *= np.float32(0.5)
    with np.errstate(invalid="ignore"):
        km = asin(half)
    km *= np.float32(2 * EARTH_RADIUS_KM)
    return km


def same_district(s: SeekerTable, v: VacancyTable, si: Idx, vi: Idx) -> Bools:
    district = s.district[si]
    return np.asarray((district == v.district[vi]) & (district >= 0), dtype=np.bool_)


@dataclass
class Terms:
    """Weighted contributions of a set of pairs. The score adds them in field order, distance
    last: the rest is a lower bound of the score and the rest + distance weight an upper one."""

    head: Floats  # occupation + language
    salary: Floats
    experience: Floats
    skills: Floats  # held * weight / required (0 when nothing is required; see no_skills)
    constant: Floats  # the vacancy's (freshness + responsiveness) + no_skills
    distance: Floats | None
    occupation: Floats | None = None  # kept by the pair path, for reporting
    language: Floats | None = None


def distance_term(s: SeekerTable, v: VacancyTable, si: Idx, vi: Idx, sc: Scoring) -> Floats:
    km = distance_km(s, v, si, vi)
    value = np.exp(km * sc.distance_rate)
    value *= sc.distance
    unknown = np.isnan(value)
    if unknown.any():
        near = np.broadcast_to(same_district(s, v, si, vi), value.shape)[unknown]
        value[unknown] = np.where(near, sc.distance, sc.distance * np.float32(0.5))
    return np.asarray(value, dtype=np.float32)


def head_terms(
    s: SeekerTable, v: VacancyTable, si: Idx, vi: Idx, levels: npt.NDArray[np.int8], sc: Scoring
) -> tuple[Floats, Floats, Floats]:
    """(occupation, language, their sum): the first terms of the score, which depend on few
    distinct vacancy values and so can come from a per-chunk table."""
    occupation = levels.astype(np.float32) * sc.occupation
    language = at(sc.language, at(s.language, si) + at(v.language, vi))
    return occupation, language, occupation + language


def terms(
    s: SeekerTable,
    v: VacancyTable,
    si: Idx,
    vi: Idx,
    head: Floats,
    held: npt.NDArray[np.integer[Any]],
    sc: Scoring,
    with_distance: bool = True,
) -> Terms:
    """The pairs' contributions after `head` (from `head_terms`, directly or through a
    table); `held` counts the required skills held."""
    salary = at(v.salary_max, vi) * at(s.salary_rate, si)
    salary -= at(s.salary_offset, si)
    np.clip(salary, 0.0, sc.salary, out=salary)
    experience = at(s.experience, si) * at(v.experience_rate, vi)
    experience += at(v.experience_offset, vi)
    np.clip(experience, 0.0, sc.experience, out=experience)
    return Terms(
        head=head,
        salary=salary,
        experience=experience,
        skills=held.astype(np.float32) * at(v.skill_weight, vi),
        constant=at(v.constant, vi),
        distance=distance_term(s, v, si, vi, sc) if with_distance else None,
    )


def partial(t: Terms) -> Floats:
    """All contributions but distance, added in field order."""
    score = t.head.copy()
    for part in (t.salary, t.experience, t.skills, t.constant):
        score += part
    return score


def _present(part: Floats | None) -> Floats:
    if part is None:
        raise ValueError("These terms were computed without that part.")
    return part


def total(t: Terms) -> Floats:
    score = partial(t)
    score += _present(t.distance)
    return score


def contributions(t: Terms, v: VacancyTable, vi: Idx) -> Floats:
    """(p, FACTORS) weighted contributions; they add up to the score up to float rounding."""
    parts = {
        "occupation": _present(t.occupation),
        "skills": t.skills + v.no_skills[vi],
        "salary": t.salary,
        "distance": _present(t.distance),
        "language": _present(t.language),
        "experience": t.experience,
        "freshness": v.freshness[vi],
        "responsiveness": v.responsiveness[vi],
    }
    shape = t.salary.shape
    return np.stack([np.broadcast_to(parts[name], shape) for name in FACTORS], axis=-1).astype(np.float32)
