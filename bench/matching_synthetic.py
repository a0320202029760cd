"""A synthetic Lhasa labour market for the matching bench: seekers, vacancies and a hidden true fit.

`generate(n_seekers, n_vacancies, seed)` returns the engine's input types plus a `Truth`
that knows a per-pair utility the engine never sees: part of it follows observable
factors (occupation, skills, distance, pay), part is a latent taste of the seeker for
unobserved vacancy attributes, part is noise. Everything is a pure function of the seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from matching.engine.types import Seekers, Vacancies

# (name, latitude, longitude); index 0 is the city district, where most people live and work.
DISTRICTS: tuple[tuple[str, float, float], ...] = (
    ("城关区", 29.65, 91.13),
    ("堆龙德庆区", 29.65, 91.00),
    ("达孜区", 29.67, 91.35),
    ("林周县", 29.89, 91.26),
    ("当雄县", 30.47, 91.10),
    ("尼木县", 29.43, 90.16),
    ("曲水县", 29.35, 90.74),
    ("墨竹工卡县", 29.83, 91.73),
)
DISTRICT_SHARE = np.array([0.60, 0.10, 0.06, 0.05, 0.04, 0.04, 0.05, 0.06])
# Spread around the centre in degrees (1° latitude ≈ 111 km): the city is compact.
DISTRICT_JITTER = np.array([0.03, 0.05, 0.05, 0.06, 0.08, 0.06, 0.06, 0.06])

# Medium groups (major, medium) and their share of vacancies; seekers crowd into
# services and construction a little more than vacancies do, which creates congestion.
GROUPS: tuple[tuple[int, int, float, float], ...] = (
    # services 4-01 .. 4-14
    (4, 1, 0.06, 0.07), (4, 2, 0.04, 0.04), (4, 3, 0.08, 0.10), (4, 4, 0.02, 0.02),
    (4, 5, 0.02, 0.01), (4, 6, 0.01, 0.01), (4, 7, 0.07, 0.08), (4, 8, 0.02, 0.02),
    (4, 9, 0.02, 0.02), (4, 10, 0.05, 0.05), (4, 11, 0.01, 0.01), (4, 12, 0.02, 0.02),
    (4, 13, 0.02, 0.02), (4, 14, 0.01, 0.01),
    # construction
    (6, 29, 0.11, 0.12), (6, 30, 0.08, 0.08),
    # professional
    (2, 2, 0.03, 0.02), (2, 5, 0.03, 0.02), (2, 8, 0.03, 0.03), (2, 9, 0.02, 0.02),
    # agriculture and herding
    (5, 1, 0.05, 0.04), (5, 3, 0.05, 0.05), (5, 5, 0.02, 0.01),
    # manufacturing
    (6, 1, 0.03, 0.03), (6, 2, 0.04, 0.03), (6, 4, 0.03, 0.02), (6, 18, 0.04, 0.03),
    (6, 22, 0.03, 0.02),
)  # fmt: skip
SMALL_PER_GROUP = 4
UNITS_PER_SMALL = 5
GENERAL_SKILLS = 48  # driving, computing, first aid … shared by every occupation
SKILLS_PER_GROUP = 9  # 48 + 28 groups x 9 = 300 skill ids
VOCABULARY = GENERAL_SKILLS + SKILLS_PER_GROUP * len(GROUPS)
LATENT_DIMENSIONS = 4


@dataclass
class Truth:
    """The hidden fit. `utility(s, v)` scores index pairs; higher is a better match."""

    seekers: Seekers
    vacancies: Vacancies
    taste: npt.NDArray[np.float32]  # (n, LATENT_DIMENSIONS) what the seeker values
    appeal: npt.NDArray[np.float32]  # (m, LATENT_DIMENSIONS) what the workplace offers
    seed: int
    held: npt.NDArray[np.uint64] = field(init=False, repr=False)
    required: npt.NDArray[np.uint64] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.held = skill_bits(self.seekers.skill_ptr, self.seekers.skill_ids)
        self.required = skill_bits(self.vacancies.skill_ptr, self.vacancies.skill_ids)

    def utility(self, s: npt.NDArray[np.integer], v: npt.NDArray[np.integer]) -> npt.NDArray[np.float32]:
        seekers, vacancies = self.seekers, self.vacancies
        s = np.asarray(s, dtype=np.int64)
        v = np.asarray(v, dtype=np.int64)
        closeness = occupation_levels(seekers.occupations[s], vacancies.occupation[v], wildcard=0.5) / 4.0
        coverage = skill_coverage(self.held[s], self.required[v])
        km = distance_km(seekers.lat[s], seekers.lon[s], vacancies.lat[v], vacancies.lon[v])
        expected = np.where(seekers.salary_min[s] > 0, seekers.salary_min[s], 3500.0)
        margin = np.clip((vacancies.salary_max[v] - expected) / expected, -0.2, 0.6)
        taste = np.einsum("ij,ij->i", self.taste[s], self.appeal[v]) / LATENT_DIMENSIONS
        utility = (
            1.0 * closeness
            + 0.7 * coverage
            + 0.6 * np.exp(-km / 25.0)
            + 0.6 * margin
            + 0.5 * taste
            + 0.25 * pair_noise(s, v, len(vacancies), self.seed)
        )
        return utility.astype(np.float32)


def occupation_levels(
    desired: npt.NDArray[np.int32], occupation: npt.NDArray[np.int32], wildcard: float = 1.0
) -> npt.NDArray[np.float32]:
    """Levels (0..4) the vacancy shares with the closest desire, counted from the top.

    A wildcard level (0 in the desire) counts as `wildcard` of a level; a row without any
    desire counts 0. `desired` is (p, 3) with -1 padding, `occupation` (p,).
    """
    best = np.zeros(occupation.shape[0], dtype=np.float32)
    vac = _levels(occupation)
    for column in range(desired.shape[1]):
        code = desired[:, column]
        want = _levels(code)
        score = np.zeros_like(best)
        alive = code >= 0
        for level in range(4):
            wild = want[level] == 0
            equal = want[level] == vac[level]
            score += np.where(alive & equal, 1.0, np.where(alive & wild, wildcard, 0.0))
            alive &= equal | wild
        best = np.maximum(best, score)
    return best


def _levels(code: npt.NDArray[np.int32]) -> list[npt.NDArray[np.int32]]:
    c = np.maximum(code, 0)
    return [c // 1_000_000, c // 10_000 % 100, c // 100 % 100, c % 100]


def skill_coverage(held: npt.NDArray[np.uint64], required: npt.NDArray[np.uint64]) -> npt.NDArray[np.float32]:
    """Share of the required skills held (1 when none are required), from per-pair bitsets."""
    both = _popcount(held & required)
    need = _popcount(required)
    return np.where(need > 0, both / np.maximum(need, 1), 1.0).astype(np.float32)


def skill_bits(ptr: npt.NDArray[np.int64], ids: npt.NDArray[np.int32]) -> npt.NDArray[np.uint64]:
    """Skill sets as (rows, 5) uint64 bitsets over the 300-id vocabulary."""
    words = (VOCABULARY + 63) // 64
    bits = np.zeros((ptr.shape[0] - 1, words), dtype=np.uint64)
    row = np.repeat(np.arange(ptr.shape[0] - 1), np.diff(ptr))
    np.bitwise_or.at(bits, (row, ids // 64), np.left_shift(np.uint64(1), (ids % 64).astype(np.uint64)))
    return bits


def _popcount(bits: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    return np.bitwise_count(bits).sum(axis=-1).astype(np.int64)


def distance_km(
    lat1: npt.NDArray[np.floating],
    lon1: npt.NDArray[np.floating],
    lat2: npt.NDArray[np.floating],
    lon2: npt.NDArray[np.floating],
) -> npt.NDArray[np.float64]:
    """Great-circle distance (haversine), in km."""
    p1, p2 = np.radians(lat1.astype(np.float64)), np.radians(lat2.astype(np.float64))
    dlat, dlon = p2 - p1, np.radians(lon2.astype(np.float64) - lon1.astype(np.float64))
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def pair_noise(
    s: npt.NDArray[np.int64], v: npt.NDArray[np.int64], m: int, seed: int
) -> npt.NDArray[np.float64]:
    """Noise in [-1, 1) fixed per (pair, seed), whatever order the pairs are asked in (splitmix64)."""
    with np.errstate(over="ignore"):
        x = (s.astype(np.uint64) * np.uint64(m) + v.astype(np.uint64)) ^ np.uint64(
            seed * 0x9E3779B97F4A7C15 % 2**64
        )
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / 2.0**52 - 1.0


def generate(
    n_seekers: int = 100_000, n_vacancies: int = 20_000, seed: int = 2026
) -> tuple[Seekers, Vacancies, Truth]:
    rng = np.random.default_rng(seed)
    catalogue = _catalogue()
    seekers = _seekers(rng, n_seekers, catalogue)
    vacancies = _vacancies(rng, n_vacancies, catalogue)
    taste = rng.normal(size=(n_seekers, LATENT_DIMENSIONS)).astype(np.float32)
    appeal = rng.normal(size=(n_vacancies, LATENT_DIMENSIONS))
    # Part of what a workplace offers shows in data the engine sees (an employer that
    # answers referrals, a fresh posting); the rest does not.
    appeal[:, 0] = 0.6 * appeal[:, 0] + 2.0 * (vacancies.responsiveness - 0.6)
    appeal[:, 1] = 0.6 * appeal[:, 1] + 0.8 * (1.0 - vacancies.age_days / 30.0)
    truth = Truth(seekers, vacancies, taste, appeal.astype(np.float32), seed)
    return seekers, vacancies, truth


@dataclass
class _Catalogue:
    group: npt.NDArray[np.int32]  # (G,) packed medium-group code, e.g. 4030000
    seeker_share: npt.NDArray[np.float64]
    vacancy_share: npt.NDArray[np.float64]
    major: npt.NDArray[np.int32]


def _catalogue() -> _Catalogue:
    table = np.array(GROUPS, dtype=np.float64)
    vacancy_share, seeker_share = table[:, 2], table[:, 3]
    return _Catalogue(
        group=(table[:, 0] * 1_000_000 + table[:, 1] * 10_000).astype(np.int32),
        seeker_share=seeker_share / seeker_share.sum(),
        vacancy_share=vacancy_share / vacancy_share.sum(),
        major=table[:, 0].astype(np.int32),
    )


def _unit_codes(rng: np.random.Generator, group_code: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    """A unit occupation inside each medium group; the first small groups and units are commoner."""
    small = 1 + _skewed(rng, SMALL_PER_GROUP, group_code.shape[0])
    unit = 1 + _skewed(rng, UNITS_PER_SMALL, group_code.shape[0])
    return (group_code + small * 100 + unit).astype(np.int32)


def _skewed(rng: np.random.Generator, options: int, size: int) -> npt.NDArray[np.int64]:
    weights = 1.0 / np.arange(1, options + 1)
    return rng.choice(options, size=size, p=weights / weights.sum())


def _places(rng: np.random.Generator, size: int) -> tuple[npt.NDArray[np.int16], ...]:
    district = rng.choice(len(DISTRICTS), size=size, p=DISTRICT_SHARE).astype(np.int16)
    centre = np.array([(lat, lon) for _, lat, lon in DISTRICTS])[district]
    jitter = rng.normal(size=(size, 2)) * DISTRICT_JITTER[district][:, None]
    lat = (centre[:, 0] + jitter[:, 0]).astype(np.float32)
    lon = (centre[:, 1] + jitter[:, 1]).astype(np.float32)
    return district, lat, lon


def _skills(
    rng: np.random.Generator, groups: npt.NDArray[np.int64], count: npt.NDArray[np.int64], own_share: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """CSR skill ids: each drawn from the row's group block with `own_share`, else general."""
    ptr = np.zeros(groups.shape[0] + 1, dtype=np.int64)
    np.cumsum(count, out=ptr[1:])
    row = np.repeat(np.arange(groups.shape[0]), count)
    own = rng.random(row.shape[0]) < own_share
    in_group = GENERAL_SKILLS + groups[row] * SKILLS_PER_GROUP + _skewed(rng, SKILLS_PER_GROUP, row.shape[0])
    general = _skewed(rng, GENERAL_SKILLS, row.shape[0])
    ids = np.where(own, in_group, general).astype(np.int32)
    # A set, not a bag: sort each row and drop repeats.
    order = np.lexsort((ids, row))
    row, ids = row[order], ids[order]
    keep = np.ones(row.shape[0], dtype=bool)
    keep[1:] = (row[1:] != row[:-1]) | (ids[1:] != ids[:-1])
    row, ids = row[keep], ids[keep]
    ptr[1:] = np.cumsum(np.bincount(row, minlength=groups.shape[0]))
    return ptr, ids


def _languages(
    rng: np.random.Generator, district: npt.NDArray[np.int16]
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int8]]:
    """Rural counties are more Tibetan-only; the city has more Chinese speakers and migrants."""
    urban = district <= 1
    tibetan_p = np.where(urban[:, None], [0.14, 0.08, 0.16, 0.62], [0.02, 0.03, 0.10, 0.85])
    chinese_p = np.where(urban[:, None], [0.05, 0.15, 0.35, 0.45], [0.25, 0.40, 0.25, 0.10])
    return _rows_choice(rng, tibetan_p), _rows_choice(rng, chinese_p)


def _rows_choice(rng: np.random.Generator, p: npt.NDArray[np.float64]) -> npt.NDArray[np.int8]:
    """One draw per row from that row's own probabilities."""
    return (rng.random(p.shape[0])[:, None] > np.cumsum(p, axis=1)).sum(axis=1).astype(np.int8)


def _seekers(rng: np.random.Generator, n: int, catalogue: _Catalogue) -> Seekers:
    district, lat, lon = _places(rng, n)
    groups = len(catalogue.group)
    first = rng.choice(groups, size=n, p=catalogue.seeker_share)
    # Further desires stay in the first one's medium group more often than not.
    other = rng.choice(groups, size=(n, 2), p=catalogue.seeker_share)
    same = rng.random((n, 2)) < 0.6
    chosen = np.column_stack([first, np.where(same, first[:, None], other)])
    codes = _unit_codes(rng, catalogue.group[chosen].ravel()).reshape(n, 3)
    breadth = rng.random((n, 3))
    codes = np.where(breadth < 0.10, codes // 10_000 * 10_000, codes)  # the whole medium group
    codes = np.where((breadth >= 0.10) & (breadth < 0.25), codes // 100 * 100, codes)  # small group
    wanted = rng.choice(4, size=n, p=[0.05, 0.50, 0.30, 0.15])  # 0 = no preference
    occupations = np.where(np.arange(3)[None, :] < wanted[:, None], codes, -1).astype(np.int32)

    education = rng.choice(8, size=n, p=[0.04, 0.10, 0.28, 0.20, 0.18, 0.10, 0.08, 0.02]).astype(np.int8)
    tibetan, chinese = _languages(rng, district)
    age = np.clip(16 + np.round(rng.beta(2.0, 3.2, size=n) * 44), 16, 60).astype(np.int16)
    listed = rng.random(n) < 0.30
    extra = np.bitwise_or.reduce(np.left_shift(1, rng.integers(0, len(DISTRICTS), size=(n, 2))), axis=1)
    desired = np.where(listed, np.left_shift(1, district.astype(np.int64)) | extra, 0).astype(np.uint32)
    salary = np.clip(np.round(rng.lognormal(np.log(3800) + 0.06 * education, 0.3, size=n), -2), 2500, 8000)
    salary = np.where(rng.random(n) < 0.10, 0.0, salary).astype(np.float32)
    skill_count = rng.choice(7, size=n, p=[0.12, 0.18, 0.22, 0.20, 0.14, 0.09, 0.05])
    skill_group = np.where(rng.random(n) < 0.8, first, chosen[:, 1])
    skill_ptr, skill_ids = _skills(rng, skill_group, skill_count, own_share=0.7)
    return Seekers(
        ids=np.arange(1, n + 1, dtype=np.int64),
        occupations=occupations,
        district=district,
        desired_districts=desired,
        travels=rng.random(n) < 0.15,
        age=age,
        education=education,
        tibetan=tibetan,
        chinese=chinese,
        work_mode=rng.choice(4, size=n, p=[0.50, 0.35, 0.08, 0.07]).astype(np.int8),
        salary_min=salary,
        experience=np.round(np.minimum(rng.exponential(3.0, size=n), age - 16.0), 1).astype(np.float32),
        lat=lat,
        lon=lon,
        skill_ptr=skill_ptr,
        skill_ids=skill_ids,
    )


def _vacancies(rng: np.random.Generator, m: int, catalogue: _Catalogue) -> Vacancies:
    district, lat, lon = _places(rng, m)
    group = rng.choice(len(catalogue.group), size=m, p=catalogue.vacancy_share)
    professional = catalogue.major[group] == 2
    base_education = rng.choice(4, size=m, p=[0.35, 0.15, 0.35, 0.15])
    education_min = np.where(professional, rng.choice([5, 6], size=m), base_education).astype(np.int8)
    level = rng.choice([1, 2, 3], size=m, p=[0.4, 0.4, 0.2])
    tibetan_required = np.where(rng.random(m) < 0.35, level, 0).astype(np.int8)
    chinese_required = np.where(rng.random(m) < 0.55, rng.choice([1, 2, 3], size=m, p=[0.4, 0.4, 0.2]), 0)
    age_min = np.where(rng.random(m) < 0.4, rng.choice([16, 18], size=m), 0).astype(np.int16)
    age_max = np.where(rng.random(m) < 0.5, rng.choice([35, 40, 45, 50, 55], size=m), 200).astype(np.int16)
    pay = rng.lognormal(np.log(4200) + np.where(professional, 0.45, 0.0), 0.32, size=m)
    salary_max = np.clip(np.round(pay, -2), 2200, 12000).astype(np.float32)
    experience_min = np.where(rng.random(m) < 0.6, 0, rng.integers(1, 6, size=m)).astype(np.float32)
    headcount = np.minimum(rng.geometric(0.45, size=m), 10).astype(np.int32)
    skill_count = rng.choice(5, size=m, p=[0.25, 0.30, 0.25, 0.12, 0.08])
    skill_ptr, skill_ids = _skills(rng, group, skill_count, own_share=0.8)
    return Vacancies(
        ids=np.arange(1, m + 1, dtype=np.int64),
        occupation=_unit_codes(rng, catalogue.group[group]),
        district=district,
        age_min=age_min,
        age_max=age_max,
        education_min=education_min,
        tibetan_required=tibetan_required,
        chinese_required=chinese_required.astype(np.int8),
        work_type=rng.choice([1, 2, 3], size=m, p=[0.8, 0.1, 0.1]).astype(np.int8),
        salary_max=salary_max,
        experience_min=experience_min,
        age_days=rng.uniform(0, 60, size=m).astype(np.float32),
        responsiveness=rng.uniform(0.2, 1.0, size=m).astype(np.float32),
        headcount=headcount,
        open=rng.random(m) < 0.95,
        lat=lat,
        lon=lon,
        skill_ptr=skill_ptr,
        skill_ids=skill_ids,
    )
