"""What the engine is compared with: scoring every pair in numpy, and SQL in PostgreSQL.

`brute_force_top` asks the engine's own `feasible` and `score_pairs` about every
(seeker, vacancy) pair and sorts, which is what the engine's indexing has to beat.
`PostgresPeer` is what a typical system does instead: the data in two tables and, per
seeker, one query that filters on the hard constraints and orders by a score
expression with LIMIT k.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bench.matching_quality import FeasibleFn, top_k_per_row
from matching.engine.types import MatchConfig, Seekers, Vacancies

ScoreFn = Callable[[Seekers, Vacancies, npt.NDArray[np.int64], npt.NDArray[np.int64], MatchConfig], tuple]


def brute_force_top(
    seekers: Seekers,
    vacancies: Vacancies,
    rows: npt.NDArray[np.int64],
    config: MatchConfig,
    feasible: FeasibleFn,
    score_pairs: ScoreFn,
    k: int = 5,
    chunk: int = 50,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Top-k vacancies and their scores for each seeker in `rows`, from all pairs."""
    m = len(vacancies)
    best, scores = [], []
    for begin in range(0, len(rows), chunk):
        block = rows[begin : begin + chunk]
        local = np.repeat(np.arange(len(block)), m)
        s, v = block[local], np.tile(np.arange(m, dtype=np.int64), len(block))
        ok = np.asarray(feasible(seekers, vacancies, s, v, config), dtype=bool)
        local, s, v = local[ok], s[ok], v[ok]
        score = np.asarray(score_pairs(seekers, vacancies, s, v, config)[0], dtype=np.float32)
        top = top_k_per_row(local, v, score, len(block), k)
        lookup = np.full((len(block), m), np.nan, dtype=np.float32)
        lookup[local, v] = score
        best.append(top)
        scores.append(np.where(top >= 0, lookup[np.arange(len(block))[:, None], np.maximum(top, 0)], np.nan))
    return np.vstack(best), np.vstack(scores).astype(np.float32)


SEEKER_COLUMNS = (
    "idx int PRIMARY KEY, any_occupation boolean, "
    "occ1 int, occ1_lo int, occ1_hi int, occ2 int, occ2_lo int, occ2_hi int, "
    "occ3 int, occ3_lo int, occ3_hi int, "
    "district smallint, desired int, travels boolean, age smallint, education smallint, tibetan smallint, "
    "chinese smallint, work_mode smallint, salary_min real, experience real, lat real, lon real, skills int[]"
)
VACANCY_COLUMNS = (
    "idx int PRIMARY KEY, occupation int, district smallint, age_min smallint, age_max smallint, "
    "education_min smallint, tibetan_required smallint, chinese_required smallint, work_type smallint, "
    "salary_max real, experience_min real, age_days real, responsiveness real, headcount int, open boolean, "
    "lat real, lon real, skills int[]"
)


def occupation_range(code: int, depth: int) -> tuple[int | None, int | None]:
    """The packed vacancy codes a desire accepts, as [lo, hi]: what lets an index on `occupation` work."""
    if code < 0:
        return None, None
    stated = 4 if code % 100 else 3 if code // 100 % 100 else 2 if code // 10_000 % 100 else 1
    unit = (1_000_000, 10_000, 100, 1)[min(depth, stated) - 1]
    low = code // unit * unit
    return low, low + unit - 1


def _occupation_closeness(column: str) -> str:
    # Levels shared with one desire, as a typical hand-written CASE would count them.
    return (
        f"CASE WHEN s.{column} IS NULL THEN 0 WHEN v.occupation = s.{column} THEN 4 "
        f"WHEN v.occupation / 100 = s.{column} / 100 THEN 3 "
        f"WHEN v.occupation / 10000 = s.{column} / 10000 THEN 2 "
        f"WHEN v.occupation / 1000000 = s.{column} / 1000000 THEN 1 ELSE 0 END"
    )


def seeker_query(config: MatchConfig, k: int) -> str:
    w = config.weights
    km = (
        "2 * 6371 * asin(sqrt(power(sin(radians(v.lat - s.lat) / 2), 2) + "
        "cos(radians(s.lat)) * cos(radians(v.lat)) * power(sin(radians(v.lon - s.lon) / 2), 2)))"
    )
    closeness = ", ".join(_occupation_closeness(c) for c in ("occ1", "occ2", "occ3"))
    # Only numbers from the config go into the text; the seeker is a bound parameter.
    score = f"""
        {w["occupation"]} * greatest({closeness}) / 4.0
      + {w["skills"]} * CASE WHEN cardinality(v.skills) = 0 THEN 1.0 ELSE
            (SELECT count(*) FROM unnest(v.skills) AS r(id) WHERE r.id = ANY (s.skills))::real
            / cardinality(v.skills) END
      + {w["salary"]} * CASE WHEN s.salary_min > 0
            THEN least(greatest((v.salary_max - s.salary_min) / s.salary_min, 0), 0.5) * 2 ELSE 0.5 END
      + {w["distance"]} * exp(-{km} / {config.distance_scale_km})
      + {w["language"]} * (least(s.tibetan - v.tibetan_required, 2)
                             + least(s.chinese - v.chinese_required, 2)) / 4.0
      + {w["experience"]} * least(s.experience / greatest(v.experience_min, 1), 1)
      + {w["freshness"]} * exp(-v.age_days / {config.freshness_scale_days})
      + {w["responsiveness"]} * v.responsiveness"""  # noqa: S608
    occupation = " OR ".join(f"v.occupation BETWEEN s.{c}_lo AND s.{c}_hi" for c in ("occ1", "occ2", "occ3"))
    return f"""
        SELECT v.idx, {score} AS score
        FROM bench_matching_seekers s, bench_matching_vacancies v
        WHERE s.idx = %s
          AND v.open
          AND (s.any_occupation OR {occupation})
          AND (s.travels OR v.district = s.district OR (s.desired >> v.district) & 1 = 1)
          AND s.age BETWEEN v.age_min AND v.age_max
          AND s.education >= v.education_min
          AND s.tibetan >= v.tibetan_required AND s.chinese >= v.chinese_required
          AND (s.work_mode = 0 OR s.work_mode = v.work_type)
          AND (s.salary_min = 0 OR v.salary_max >= s.salary_min * {1.0 - config.salary_tolerance})
        ORDER BY score DESC, v.idx
        LIMIT {int(k)}"""  # noqa: S608


@dataclass
class PostgresTiming:
    load_seconds: float
    per_query_ms: npt.NDArray[np.float64]
    results: npt.NDArray[np.int64]  # (sample, k) vacancy indexes, -1 where short
    server: str


class PostgresPeer:
    """Owns two tables in its own database; `session()` creates them and always drops them."""

    def __init__(self, url: str) -> None:
        self.url = url

    def ensure_database(self) -> None:
        import psycopg
        from psycopg import sql

        base, _, name = self.url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    @contextmanager
    def session(self, seekers: Seekers, vacancies: Vacancies, config: MatchConfig) -> Iterator[_Loaded]:
        import psycopg

        self.ensure_database()
        with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as connection:
            try:
                started = time.perf_counter()
                _load(connection, seekers, vacancies, config)
                yield _Loaded(connection, time.perf_counter() - started, config)
            finally:
                connection.execute("DROP TABLE IF EXISTS bench_matching_seekers, bench_matching_vacancies")


class _Loaded:
    def __init__(self, connection: object, load_seconds: float, config: MatchConfig) -> None:
        self.connection = connection
        self.load_seconds = load_seconds
        self.config = config

    def run(self, rows: npt.NDArray[np.int64], k: int = 5) -> PostgresTiming:
        query = seeker_query(self.config, k)
        timings, results = [], np.full((len(rows), k), -1, dtype=np.int64)
        cursor = self.connection.cursor()  # type: ignore[attr-defined]
        cursor.execute(query, (int(rows[0]),), prepare=True)  # plan once, as an application would
        cursor.fetchall()
        for i, row in enumerate(rows):
            started = time.perf_counter()
            cursor.execute(query, (int(row),), prepare=True)
            found = cursor.fetchall()
            timings.append(time.perf_counter() - started)
            results[i, : len(found)] = [f[0] for f in found]
        server = cursor.execute("SHOW server_version").fetchone()[0]
        return PostgresTiming(self.load_seconds, np.array(timings) * 1000.0, results, server)


def _load(connection: object, seekers: Seekers, vacancies: Vacancies, config: MatchConfig) -> None:
    execute = connection.execute  # type: ignore[attr-defined]
    execute("DROP TABLE IF EXISTS bench_matching_seekers, bench_matching_vacancies")
    execute(f"CREATE TABLE bench_matching_seekers ({SEEKER_COLUMNS})")
    execute(f"CREATE TABLE bench_matching_vacancies ({VACANCY_COLUMNS})")
    cursor = connection.cursor()  # type: ignore[attr-defined]
    with cursor.copy("COPY bench_matching_seekers FROM STDIN") as copy:
        for row in _seeker_rows(seekers, config.occupation_depth):
            copy.write_row(row)
    with cursor.copy("COPY bench_matching_vacancies FROM STDIN") as copy:
        for row in _vacancy_rows(vacancies):
            copy.write_row(row)
    # The indexes a developer would add for these filters; the planner decides whether to use them.
    execute("CREATE INDEX ON bench_matching_vacancies (occupation) WHERE open")
    execute("CREATE INDEX ON bench_matching_vacancies (district) WHERE open")
    execute("ANALYZE bench_matching_seekers")
    execute("ANALYZE bench_matching_vacancies")


def _skill_lists(ptr: np.ndarray, ids: np.ndarray) -> list[list[int]]:
    flat = ids.tolist()
    bounds = ptr.tolist()
    return [flat[bounds[i] : bounds[i + 1]] for i in range(len(bounds) - 1)]


def _seeker_rows(seekers: Seekers, depth: int) -> Iterator[tuple]:
    skills = _skill_lists(seekers.skill_ptr, seekers.skill_ids)
    occupations = seekers.occupations.tolist()
    columns = [
        seekers.district, seekers.desired_districts.astype(np.int64), seekers.travels, seekers.age,
        seekers.education, seekers.tibetan, seekers.chinese, seekers.work_mode, seekers.salary_min,
        seekers.experience, seekers.lat, seekers.lon,
    ]  # fmt: skip
    values = list(zip(*(c.tolist() for c in columns), strict=True))
    for i, desires in enumerate(occupations):
        occupation_columns: list[int | None] = []
        for code in desires:
            low, high = occupation_range(code, depth)
            occupation_columns += [code if code >= 0 else None, low, high]
        yield (i, all(c < 0 for c in desires), *occupation_columns, *values[i], skills[i])


def _vacancy_rows(vacancies: Vacancies) -> Iterator[tuple]:
    skills = _skill_lists(vacancies.skill_ptr, vacancies.skill_ids)
    columns = [
        vacancies.occupation, vacancies.district, vacancies.age_min, vacancies.age_max,
        vacancies.education_min, vacancies.tibetan_required, vacancies.chinese_required,
        vacancies.work_type, vacancies.salary_max, vacancies.experience_min, vacancies.age_days,
        vacancies.responsiveness, vacancies.headcount, vacancies.open, vacancies.lat, vacancies.lon,
    ]  # fmt: skip
    for i, values in enumerate(zip(*(c.tolist() for c in columns), strict=True)):
        yield (i, *values, skills[i])
