"""The engine's inputs and outputs: plain numpy arrays, one row per seeker or vacancy.

Nothing here knows about Django. `matching.adapter` builds these from database rows;
`bench/matching` builds them from a synthetic generator. Both sides only ever talk
through these types.

Encodings
---------
- Occupation: the 2022 classification code "4-03-02-01" packed as the int
  4_03_02_01 (major*10**6 + medium*10**4 + small*10**2 + unit). A seeker may desire a
  group rather than a unit occupation: its missing levels are 0 and match anything
  below ("4-03-00-00" = the whole medium group 4-03). See `occupation_code`.
- District: an index 0..31 into the adapter's list of districts/counties.
  `desired_districts` is a bitmask over those indexes.
- Education: rank 0..7 (none, primary, junior, senior, vocational, college, bachelor,
  master). Languages: 0 none, 1 basic, 2 good, 3 fluent.
- Work mode (seeker): 0 any, 1 full-time, 2 part-time, 3 flexible.
  Work type (vacancy): 1 full-time, 2 part-time, 3 flexible.
- Salary: monthly yuan as float32 (the adapter converts daily/hourly pay).
  A seeker's `salary_min` of 0 means "no expectation stated".
- Skills and certificates: integer ids from one vocabulary, held (seeker) or required
  (vacancy), as CSR arrays: the ids of row i are `skill_ids[skill_ptr[i]:skill_ptr[i+1]]`.
- Coordinates: degrees as float32; NaN when unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

FACTORS: tuple[str, ...] = (
    "occupation",  # closeness in the occupation tree
    "skills",  # share of required skills and certificates held
    "salary",  # how far the pay clears the expectation
    "distance",  # residence to place of work
    "language",  # margin above the language requirements
    "experience",  # years against the vacancy's minimum
    "freshness",  # days since published or reconfirmed
    "responsiveness",  # share of the employer's past referrals answered
)

# Hard constraints, in the order a diagnosis names them.
CONSTRAINTS: tuple[str, ...] = (
    "occupation",
    "location",
    "age",
    "education",
    "language",
    "work_type",
    "salary",
    "open",
)


def occupation_code(code: str) -> int:
    """ "4-03-02-01" -> 4030201; "4-03" -> 4030000; "" -> -1."""
    if not code:
        return -1
    parts = [int(p) for p in code.split("-")] + [0, 0, 0]
    major, medium, small, unit = parts[:4]
    return major * 1_000_000 + medium * 10_000 + small * 100 + unit


@dataclass
class Seekers:
    ids: npt.NDArray[np.int64]  # (n,) database ids, for the caller
    occupations: npt.NDArray[np.int32]  # (n, 3) packed codes, -1 padding; all -1 = no preference
    district: npt.NDArray[np.int16]  # (n,) district index of residence
    desired_districts: npt.NDArray[np.uint32]  # (n,) bitmask; 0 = residence district only
    travels: npt.NDArray[np.bool_]  # (n,) willing to work outside the county: any district
    age: npt.NDArray[np.int16]  # (n,) years
    education: npt.NDArray[np.int8]  # (n,) rank 0..7
    tibetan: npt.NDArray[np.int8]  # (n,) 0..3
    chinese: npt.NDArray[np.int8]  # (n,) 0..3
    work_mode: npt.NDArray[np.int8]  # (n,) 0 any, 1..3
    salary_min: npt.NDArray[np.float32]  # (n,) monthly yuan, 0 = none stated
    experience: npt.NDArray[np.float32]  # (n,) years of work in the desired field
    lat: npt.NDArray[np.float32]  # (n,) residence
    lon: npt.NDArray[np.float32]
    skill_ptr: npt.NDArray[np.int64]  # (n+1,)
    skill_ids: npt.NDArray[np.int32]

    def __len__(self) -> int:
        return int(self.ids.shape[0])


@dataclass
class Vacancies:
    ids: npt.NDArray[np.int64]  # (m,)
    occupation: npt.NDArray[np.int32]  # (m,) packed unit-occupation code
    district: npt.NDArray[np.int16]  # (m,) district index of the place of work
    age_min: npt.NDArray[np.int16]  # (m,) 0 = none
    age_max: npt.NDArray[np.int16]  # (m,) 200 = none
    education_min: npt.NDArray[np.int8]
    tibetan_required: npt.NDArray[np.int8]
    chinese_required: npt.NDArray[np.int8]
    work_type: npt.NDArray[np.int8]  # 1..3
    salary_max: npt.NDArray[np.float32]  # monthly yuan
    experience_min: npt.NDArray[np.float32]  # years, 0 = none
    age_days: npt.NDArray[np.float32]  # days since published or last reconfirmed
    responsiveness: npt.NDArray[np.float32]  # 0..1, the adapter applies a prior
    headcount: npt.NDArray[np.int32]
    open: npt.NDArray[np.bool_]  # published and within validity
    lat: npt.NDArray[np.float32]  # place of work
    lon: npt.NDArray[np.float32]
    skill_ptr: npt.NDArray[np.int64]  # (m+1,)
    skill_ids: npt.NDArray[np.int32]

    def __len__(self) -> int:
        return int(self.ids.shape[0])


def _default_weights() -> dict[str, float]:
    return {
        "occupation": 0.30,
        "skills": 0.20,
        "salary": 0.12,
        "distance": 0.12,
        "language": 0.08,
        "experience": 0.08,
        "freshness": 0.05,
        "responsiveness": 0.05,
    }


@dataclass(frozen=True)
class MatchConfig:
    # Vacancy and desired occupation must agree on this many levels (1 major .. 4 unit).
    occupation_depth: int = 2
    # The vacancy's highest pay may fall this share below the seeker's expectation.
    salary_tolerance: float = 0.10
    weights: dict[str, float] = field(default_factory=_default_weights)
    # Distance score exp(-km / scale); freshness score exp(-days / scale).
    distance_scale_km: float = 30.0
    freshness_scale_days: float = 30.0
    # Batch: one vacancy goes to at most ceil(capacity_multiple * headcount) seekers.
    capacity_multiple: float = 10.0
    # Threads for batch scoring; numpy releases the GIL in the heavy loops.
    workers: int = 2


@dataclass
class Ranking:
    """Result rows, sorted by `row` then `rank`.

    For seeker-side results `row` is the seeker index and `other` the vacancy index;
    for vacancy-side results (candidates) `row` is the vacancy index and `other` the
    seeker index. `factors[:, j]` is the weighted contribution of FACTORS[j];
    `score == factors.sum(axis=1)` (float32 rounding aside).
    """

    row: npt.NDArray[np.int32]
    other: npt.NDArray[np.int32]
    rank: npt.NDArray[np.int16]
    score: npt.NDArray[np.float32]
    factors: npt.NDArray[np.float32]  # (r, len(FACTORS))


@dataclass
class BatchResult:
    ranking: Ranking  # seeker-side rows
    # (n,) feasible open vacancies per seeker, before capacity
    feasible: npt.NDArray[np.int32]
    assigned: npt.NDArray[np.int32]  # (n,) results given per seeker
    load: npt.NDArray[np.int32]  # (m,) results per vacancy after this batch (incl. the load passed in)
    # (n,) of those, the ones not in `exclude`: what the batch could give before capacity.
    # assigned < min(need, available) means the seeker is short because of capacity.
    available: npt.NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, dtype=np.int32))


@dataclass
class Diagnosis:
    """Why a seeker has fewer than k feasible vacancies.

    `without[i, j]` is how many open vacancies would be feasible for seeker i if
    CONSTRAINTS[j] alone were dropped; `binding[i]` is the index of the constraint whose
    removal frees most vacancies, the first in CONSTRAINTS order on a tie (-1 if the seeker
    has k or more feasible ones, or if no single constraint's removal frees any).
    """

    feasible: npt.NDArray[np.int32]  # (s,)
    without: npt.NDArray[np.int32]  # (s, len(CONSTRAINTS))
    binding: npt.NDArray[np.int8]  # (s,)


@dataclass
class Facts:
    """The raw values behind each factor, for the explanation sentences (pairs)."""

    occupation_levels: npt.NDArray[np.int8]  # levels the vacancy shares with the closest desire (0..4)
    skills_required: npt.NDArray[np.int16]
    skills_held: npt.NDArray[np.int16]  # of the required ones
    salary_max: npt.NDArray[np.float32]
    salary_min: npt.NDArray[np.float32]
    distance_km: npt.NDArray[np.float32]  # NaN when a coordinate is unknown
    same_district: npt.NDArray[np.bool_]
    tibetan_margin: npt.NDArray[np.int8]  # seeker level minus required level
    chinese_margin: npt.NDArray[np.int8]
    experience: npt.NDArray[np.float32]
    experience_min: npt.NDArray[np.float32]
    age_days: npt.NDArray[np.float32]
    responsiveness: npt.NDArray[np.float32]
