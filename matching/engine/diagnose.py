"""Why a seeker has few feasible vacancies: leave-one-out counts per hard constraint."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from matching.engine.factors import constraint_masks, occupation_levels
from matching.engine.kernel import COLUMNS, ROWS
from matching.engine.pairs import subset
from matching.engine.ranking import CELLS
from matching.engine.tables import language_base, seeker_table, take, unique_inverse, vacancy_table
from matching.engine.types import CONSTRAINTS, Diagnosis, MatchConfig, Seekers, Vacancies


def diagnose(
    seekers: Seekers, vacancies: Vacancies, rows: npt.ArrayLike, config: MatchConfig, k: int
) -> Diagnosis:
    """For each seeker in `rows` (in that order), against every vacancy, open or not."""
    rows = np.asarray(rows, dtype=np.int64).reshape(-1)
    m = len(vacancies)
    some = subset(seekers, rows)
    base = language_base(some.tibetan, some.chinese, vacancies.tibetan_required, vacancies.chinese_required)
    s_all = seeker_table(some, config, base)
    v_tab = vacancy_table(vacancies, config, base)
    codes, code = unique_inverse(v_tab.code)
    first = np.zeros(codes.shape[0], dtype=np.int64)  # a vacancy with each code: any will do
    first[code] = np.arange(m)
    feasible = np.zeros(rows.shape[0], dtype=np.int64)
    without = np.zeros((rows.shape[0], len(CONSTRAINTS)), dtype=np.int64)
    step = max(1, CELLS // max(m, 1))
    for lo in range(0, rows.shape[0], step):
        s_tab = take(s_all, np.arange(lo, min(lo + step, rows.shape[0])))
        levels = occupation_levels(s_tab, v_tab, ROWS, first[None, :])[:, code]
        masks = constraint_masks(s_tab, v_tab, ROWS, COLUMNS, levels, config)
        shape = np.broadcast_shapes(*(mask.shape for mask in masks))
        failed = np.zeros(shape, dtype=np.int8)
        for mask in masks:
            failed += ~mask
        passing = failed == 0
        feasible[lo : lo + shape[0]] = passing.sum(axis=1)
        only = failed == 1
        for j, mask in enumerate(masks):
            without[lo : lo + shape[0], j] = feasible[lo : lo + shape[0]] + (only & ~mask).sum(axis=1)
    # The first constraint (CONSTRAINTS order) whose removal frees most; -1 when none frees any.
    freed = without.max(axis=1, initial=0) > feasible
    binding = np.where((feasible < k) & freed, without.argmax(axis=1), -1)
    return Diagnosis(
        feasible=feasible.astype(np.int32), without=without.astype(np.int32), binding=binding.astype(np.int8)
    )
