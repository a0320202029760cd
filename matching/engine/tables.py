"""Per-seeker and per-vacancy values derived once from the input arrays.

Every path of the engine (pairs, blocks, diagnosis) reads these, so a pair gets the same
numbers whichever path scores it. Each table can be built for a subset of rows (`idx`) and
sliced with `take`; the values of one row never depend on the others.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from matching.engine.types import FACTORS, MatchConfig, Seekers, Vacancies

EARTH_RADIUS_KM = 6371.0
# Bit of `allowed` that stands for "district unknown": only seekers who travel reach it.
UNKNOWN_DISTRICT_BIT = 63
ALL_DISTRICTS = np.uint64(0xFFFF_FFFF_FFFF_FFFF)
# Level bytes of a vacancy without occupation and of an empty desire slot: real levels are
# below 100, and the two differ, so neither matches anything but a full wildcard.
NO_CODE = 0xFEFE_FEFE
NO_DESIRE = 0xFFFF_FFFF
# Byte masks that keep the levels of a desired code before its first 0 level.
_KEEP = np.array([0, 0xFF00_0000, 0xFFFF_0000, 0xFFFF_FF00, 0xFFFF_FFFF], dtype=np.uint32)

Index = npt.NDArray[np.int64]
T = TypeVar("T", "SeekerTable", "VacancyTable")


def code_bytes(code: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.uint32]:
    """Packed decimal code -> one byte per level (major, medium, small, unit).

    A negative code (no occupation) becomes NO_CODE, whose bytes no stated level equals.
    """
    c = np.maximum(code, 0).astype(np.uint32)  # codes are below 10**8
    major, rest = np.divmod(c, np.uint32(1_000_000))
    medium, rest = np.divmod(rest, np.uint32(10_000))
    small, unit = np.divmod(rest, np.uint32(100))
    packed = major << np.uint32(24) | medium << np.uint32(16) | small << np.uint32(8) | unit
    return np.where(code >= 0, packed, np.uint32(NO_CODE)).astype(np.uint32)


def wildcard_level(code: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.int8]:
    """Index (0..4) of the first 0 level of a code: that level and those below match anything."""
    packed = code_bytes(np.maximum(code, 0))
    level = np.full(packed.shape, 4, dtype=np.int8)
    for index, shift in ((3, 0), (2, 8), (1, 16), (0, 24)):
        level[(packed >> np.uint32(shift)) & np.uint32(0xFF) == 0] = index
    return level


def shared_levels(
    desired: npt.NDArray[np.uint32], keep: npt.NDArray[np.uint32], code: npt.NDArray[np.uint32]
) -> npt.NDArray[np.int8]:
    """Levels (0..4) a vacancy code shares with one desired code, counted from the top."""
    x = (desired ^ code) & keep
    levels = (x < 1 << 24).astype(np.int8)
    levels += x < 1 << 16
    levels += x < 1 << 8
    levels += x == 0
    return levels


def sorted_unique(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """np.unique by sorting (numpy's hash-based unique is very slow on packed int64 keys)."""
    ordered = np.sort(values)
    if ordered.size:
        ordered = ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])]
    return ordered


def unique_inverse(values: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], npt.NDArray[np.int64]]:
    """(sorted distinct values, index of each value among them)."""
    distinct = sorted_unique(values)
    return distinct, np.searchsorted(distinct, values).astype(np.int64)


def dedupe_csr(
    ptr: npt.NDArray[np.int64], ids: npt.NDArray[np.int32]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """Each row's ids sorted and without repeats (skills are sets)."""
    n = ptr.shape[0] - 1
    row = np.repeat(np.arange(n, dtype=np.int64), np.diff(ptr))
    keys = sorted_unique(row << 32 | ids.astype(np.int64))
    out_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys >> 32, minlength=n), out=out_ptr[1:])
    return out_ptr, (keys & 0xFFFF_FFFF).astype(np.int32)


def csr_take(
    ptr: npt.NDArray[np.int64], ids: npt.NDArray[np.int32], idx: Index
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    counts = ptr[idx + 1] - ptr[idx]
    out_ptr = np.zeros(idx.shape[0] + 1, dtype=np.int64)
    np.cumsum(counts, out=out_ptr[1:])
    offsets = np.arange(int(out_ptr[-1]), dtype=np.int64) - np.repeat(out_ptr[:-1] - ptr[idx], counts)
    return out_ptr, ids[offsets]


def unit_vectors(
    lat: npt.NDArray[np.float32], lon: npt.NDArray[np.float32]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    # Float64: float32 components would put ~0.4 m of noise into every distance.
    phi, lam = np.radians(lat.astype(np.float64)), np.radians(lon.astype(np.float64))
    cos_phi = np.cos(phi)
    return cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)


def f32_at_least(value: npt.NDArray[np.float64]) -> npt.NDArray[np.float32]:
    """The smallest float32 >= value, so that `f32 >= result` equals `f32 >= value` exactly."""
    low = value.astype(np.float32)
    return np.where(low.astype(np.float64) < value, np.nextafter(low, np.float32(np.inf)), low)


def take(table: T, rows: npt.NDArray[np.integer[Any]]) -> T:
    """The rows `rows` of a table (CSR skills included)."""
    idx = rows.astype(np.int64)
    values: dict[str, Any] = {}
    for f in fields(table):
        if f.name not in ("skill_ptr", "skill_ids"):
            values[f.name] = getattr(table, f.name)[idx]
    values["skill_ptr"], values["skill_ids"] = csr_take(table.skill_ptr, table.skill_ids, idx)
    return type(table)(**values)


@dataclass
class SeekerTable:
    desired: npt.NDArray[np.uint32]  # (n, 3) level bytes of each desired code
    keep: npt.NDArray[np.uint32]  # (n, 3) bytes that must match; an empty slot never matches
    has_desire: npt.NDArray[np.bool_]
    allowed: npt.NDArray[np.uint64]  # district bits the seeker accepts (all bits when travelling)
    age: npt.NDArray[np.int16]
    education: npt.NDArray[np.int8]
    tibetan: npt.NDArray[np.int8]
    chinese: npt.NDArray[np.int8]
    work_mode: npt.NDArray[np.int8]
    any_work: npt.NDArray[np.bool_]
    salary_floor: npt.NDArray[np.float32]  # lowest acceptable salary_max, -inf when none stated
    # salary contribution = clip(salary_max * salary_rate - salary_offset, 0, weight)
    salary_rate: npt.NDArray[np.float32]
    salary_offset: npt.NDArray[np.float32]
    experience: npt.NDArray[np.float32]
    language: npt.NDArray[np.int32]  # row offset into Scoring.language
    x: npt.NDArray[np.float64]  # unit vector of the place
    y: npt.NDArray[np.float64]
    z: npt.NDArray[np.float64]
    district: npt.NDArray[np.int16]
    skill_ptr: npt.NDArray[np.int64]  # CSR over the table's own rows, deduplicated
    skill_ids: npt.NDArray[np.int32]


@dataclass
class VacancyTable:
    code: npt.NDArray[np.uint32]  # level bytes
    open: npt.NDArray[np.bool_]
    district_bit: npt.NDArray[np.uint64]
    age_min: npt.NDArray[np.int16]
    age_max: npt.NDArray[np.int16]
    education_min: npt.NDArray[np.int8]
    tibetan_required: npt.NDArray[np.int8]
    chinese_required: npt.NDArray[np.int8]
    work_type: npt.NDArray[np.int8]
    salary_max: npt.NDArray[np.float32]
    # experience contribution = clip(experience_offset + experience * experience_rate, 0, weight)
    experience_offset: npt.NDArray[np.float32]
    experience_rate: npt.NDArray[np.float32]
    language: npt.NDArray[np.int32]  # column into Scoring.language
    skill_count: npt.NDArray[np.int16]  # distinct required ids
    skill_weight: npt.NDArray[np.float32]  # skills weight / required count (0 when none required)
    no_skills: npt.NDArray[np.float32]  # the skills contribution when nothing is required
    freshness: npt.NDArray[np.float32]  # weighted contributions
    responsiveness: npt.NDArray[np.float32]
    constant: npt.NDArray[np.float32]  # (freshness + responsiveness) + no_skills
    x: npt.NDArray[np.float64]  # unit vector of the place
    y: npt.NDArray[np.float64]
    z: npt.NDArray[np.float64]
    district: npt.NDArray[np.int16]
    skill_ptr: npt.NDArray[np.int64]
    skill_ids: npt.NDArray[np.int32]


@dataclass(frozen=True)
class Scoring:
    """Weights and lookup tables shared by both sides."""

    occupation: np.float32  # weight per shared level
    salary: np.float32
    experience: np.float32
    distance: np.float32
    distance_rate: np.float32  # -1 / distance_scale_km
    language: npt.NDArray[np.float32]  # (base**4,) contribution by seeker row + vacancy column


def weight_of(config: MatchConfig, name: str) -> float:
    value = float(config.weights.get(name, 0.0))
    if not value >= 0:
        raise ValueError(f"Matching weight {name!r} must be zero or positive, not {value!r}.")
    return value


def language_base(*levels: npt.NDArray[np.int8]) -> int:
    """Levels are 0..3; a larger one widens the language table rather than break it."""
    top = max((int(level.max()) for level in levels if level.size), default=0)
    return max(4, top + 1)


def scoring(config: MatchConfig, base: int) -> Scoring:
    for name in FACTORS:
        weight_of(config, name)
    have, need = np.meshgrid(np.arange(base), np.arange(base), indexing="ij")
    margin = np.clip(0.5 + 0.25 * (have - need), 0.0, 1.0)  # [seeker level, required level]
    # [tibetan, chinese, tibetan required, chinese required] -> mean of the two margins
    value = (margin[:, None, :, None] + margin[None, :, None, :]) / 2
    return Scoring(
        occupation=np.float32(weight_of(config, "occupation") * 0.25),
        salary=np.float32(weight_of(config, "salary")),
        experience=np.float32(weight_of(config, "experience")),
        distance=np.float32(weight_of(config, "distance")),
        distance_rate=np.float32(-1.0 / config.distance_scale_km),
        language=(weight_of(config, "language") * value).astype(np.float32).ravel(),
    )


def allowed_districts(seekers: Seekers) -> npt.NDArray[np.uint64]:
    district = seekers.district.astype(np.int64)
    home = np.where((district >= 0) & (district < 32), np.left_shift(1, np.clip(district, 0, 31)), 0).astype(
        np.uint64
    )
    stated = seekers.desired_districts.astype(np.uint64)
    allowed = np.where(stated != 0, stated, home)
    return np.where(seekers.travels, ALL_DISTRICTS, allowed).astype(np.uint64)


def district_bit(district: npt.NDArray[np.int16]) -> npt.NDArray[np.uint64]:
    d = district.astype(np.int64)
    return np.where((d >= 0) & (d < 32), d, UNKNOWN_DISTRICT_BIT).astype(np.uint64)


def _level(values: npt.NDArray[np.int8]) -> npt.NDArray[np.int32]:
    return np.maximum(values.astype(np.int32), 0)


def seeker_table(seekers: Seekers, config: MatchConfig, base: int) -> SeekerTable:
    occupations = seekers.occupations.astype(np.int64)
    valid = occupations >= 0
    salary = seekers.salary_min.astype(np.float64)
    stated = salary > 0
    tolerance = config.salary_tolerance
    weight = weight_of(config, "salary")
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(stated, weight / ((0.5 + tolerance) * salary), 0.0)
    offset = np.where(stated, weight * (1.0 - tolerance) / (0.5 + tolerance), -weight)
    x, y, z = unit_vectors(seekers.lat, seekers.lon)
    ptr, ids = dedupe_csr(seekers.skill_ptr.astype(np.int64), seekers.skill_ids.astype(np.int32))
    return SeekerTable(
        desired=np.where(valid, code_bytes(occupations), NO_DESIRE).astype(np.uint32),
        keep=np.where(valid, _KEEP[wildcard_level(occupations)], 0xFFFF_FFFF).astype(np.uint32),
        has_desire=np.asarray(valid.any(axis=1), dtype=np.bool_),
        allowed=allowed_districts(seekers),
        age=seekers.age.astype(np.int16),
        education=seekers.education.astype(np.int8),
        tibetan=seekers.tibetan.astype(np.int8),
        chinese=seekers.chinese.astype(np.int8),
        work_mode=seekers.work_mode.astype(np.int8),
        any_work=seekers.work_mode == 0,
        salary_floor=np.where(stated, f32_at_least(salary * (1.0 - tolerance)), -np.inf).astype(np.float32),
        salary_rate=rate.astype(np.float32),
        salary_offset=offset.astype(np.float32),
        experience=seekers.experience.astype(np.float32),
        language=((_level(seekers.tibetan) * base + _level(seekers.chinese)) * base * base).astype(np.int32),
        x=x,
        y=y,
        z=z,
        district=seekers.district.astype(np.int16),
        skill_ptr=ptr,
        skill_ids=ids,
    )


def vacancy_table(vacancies: Vacancies, config: MatchConfig, base: int) -> VacancyTable:
    experience_min = vacancies.experience_min.astype(np.float64)
    required = experience_min > 0
    w_experience, w_skills = weight_of(config, "experience"), weight_of(config, "skills")
    freshness = np.clip(np.exp(-vacancies.age_days.astype(np.float64) / config.freshness_scale_days), 0, 1)
    freshness = (weight_of(config, "freshness") * freshness).astype(np.float32)
    answered = np.clip(vacancies.responsiveness.astype(np.float64), 0.0, 1.0)
    responsiveness = np.asarray(weight_of(config, "responsiveness") * answered, dtype=np.float32)
    x, y, z = unit_vectors(vacancies.lat, vacancies.lon)
    ptr, ids = dedupe_csr(vacancies.skill_ptr.astype(np.int64), vacancies.skill_ids.astype(np.int32))
    count = np.diff(ptr)
    no_skills = np.where(count == 0, w_skills, 0.0).astype(np.float32)
    return VacancyTable(
        code=code_bytes(vacancies.occupation),
        open=vacancies.open.astype(bool),
        district_bit=district_bit(vacancies.district),
        age_min=vacancies.age_min.astype(np.int16),
        age_max=vacancies.age_max.astype(np.int16),
        education_min=vacancies.education_min.astype(np.int8),
        tibetan_required=vacancies.tibetan_required.astype(np.int8),
        chinese_required=vacancies.chinese_required.astype(np.int8),
        work_type=vacancies.work_type.astype(np.int8),
        salary_max=vacancies.salary_max.astype(np.float32),
        experience_offset=np.where(required, 0.0, 0.5 * w_experience).astype(np.float32),
        experience_rate=(w_experience / np.where(required, experience_min, 10.0)).astype(np.float32),
        language=(_level(vacancies.tibetan_required) * base + _level(vacancies.chinese_required)).astype(
            np.int32
        ),
        skill_count=count.astype(np.int16),
        skill_weight=np.where(count > 0, w_skills / np.maximum(count, 1), 0.0).astype(np.float32),
        no_skills=no_skills,
        freshness=freshness,
        responsiveness=responsiveness,
        constant=np.asarray((freshness + responsiveness) + no_skills, dtype=np.float32),
        x=x,
        y=y,
        z=z,
        district=vacancies.district.astype(np.int16),
        skill_ptr=ptr,
        skill_ids=ids,
    )
