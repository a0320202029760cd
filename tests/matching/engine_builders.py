"""Small engine inputs by keyword: `seekers(dict(age=40), dict(travels=True))`.

Every row starts from the defaults below (a 30-year-old in district 0 who accepts anything,
a full-time vacancy in district 0 at the same spot); a keyword changes one field. Codes may
be given as "4-03-02-01" strings, districts as lists of indexes, skills as lists of ids.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.engine.types import MatchConfig, Seekers, Vacancies, occupation_code

LHASA = (29.65, 91.13)

SEEKER = {
    "occupations": (),
    "district": 0,
    "desired_districts": (),
    "travels": False,
    "age": 30,
    "education": 3,
    "tibetan": 3,
    "chinese": 3,
    "work_mode": 0,
    "salary_min": 0.0,
    "experience": 0.0,
    "lat": LHASA[0],
    "lon": LHASA[1],
    "skills": (),
}

VACANCY = {
    "occupation": "4-03-02-01",
    "district": 0,
    "age_min": 0,
    "age_max": 200,
    "education_min": 0,
    "tibetan_required": 0,
    "chinese_required": 0,
    "work_type": 1,
    "salary_max": 5000.0,
    "experience_min": 0.0,
    "age_days": 0.0,
    "responsiveness": 0.5,
    "headcount": 1,
    "open": True,
    "lat": LHASA[0],
    "lon": LHASA[1],
    "skills": (),
}


def code(value: str | int) -> int:
    return occupation_code(value) if isinstance(value, str) else int(value)


def _rows(defaults: dict[str, Any], rows: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        unknown = set(row) - set(defaults)
        if unknown:
            raise TypeError(f"unknown fields {sorted(unknown)}")
        out.append({**defaults, **row})
    return out


def _csr(lists: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(x) for x in lists])
    ids = np.array([i for x in lists for i in x], dtype=np.int32)
    return ptr, ids


def seekers(*rows: dict[str, Any]) -> Seekers:
    table = _rows(SEEKER, rows)
    occupations = np.full((len(table), 3), -1, dtype=np.int32)
    for i, row in enumerate(table):
        for slot, value in enumerate(row["occupations"]):
            occupations[i, slot] = code(value)
    ptr, ids = _csr([row["skills"] for row in table])

    def column(name: str, dtype: Any) -> np.ndarray:
        return np.array([row[name] for row in table], dtype=dtype)

    return Seekers(
        ids=np.arange(1, len(table) + 1, dtype=np.int64),
        occupations=occupations,
        district=column("district", np.int16),
        desired_districts=np.array(
            [sum(1 << d for d in set(row["desired_districts"])) for row in table], dtype=np.uint32
        ),
        travels=column("travels", bool),
        age=column("age", np.int16),
        education=column("education", np.int8),
        tibetan=column("tibetan", np.int8),
        chinese=column("chinese", np.int8),
        work_mode=column("work_mode", np.int8),
        salary_min=column("salary_min", np.float32),
        experience=column("experience", np.float32),
        lat=column("lat", np.float32),
        lon=column("lon", np.float32),
        skill_ptr=ptr,
        skill_ids=ids,
    )


def vacancies(*rows: dict[str, Any]) -> Vacancies:
    table = _rows(VACANCY, rows)
    ptr, ids = _csr([row["skills"] for row in table])

    def column(name: str, dtype: Any) -> np.ndarray:
        return np.array([row[name] for row in table], dtype=dtype)

    return Vacancies(
        ids=np.arange(1, len(table) + 1, dtype=np.int64),
        occupation=np.array([code(row["occupation"]) for row in table], dtype=np.int32),
        district=column("district", np.int16),
        age_min=column("age_min", np.int16),
        age_max=column("age_max", np.int16),
        education_min=column("education_min", np.int8),
        tibetan_required=column("tibetan_required", np.int8),
        chinese_required=column("chinese_required", np.int8),
        work_type=column("work_type", np.int8),
        salary_max=column("salary_max", np.float32),
        experience_min=column("experience_min", np.float32),
        age_days=column("age_days", np.float32),
        responsiveness=column("responsiveness", np.float32),
        headcount=column("headcount", np.int32),
        open=column("open", bool),
        lat=column("lat", np.float32),
        lon=column("lon", np.float32),
        skill_ptr=ptr,
        skill_ids=ids,
    )


def only(factor: str, **config: Any) -> MatchConfig:
    """A config that scores one factor alone, with weight 1: the score is that factor's value."""
    weights = dict.fromkeys(MatchConfig().weights, 0.0)
    weights[factor] = 1.0
    return MatchConfig(weights=weights, **config)


def pairs(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (seeker, vacancy) index pair of an n x m problem."""
    return np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
