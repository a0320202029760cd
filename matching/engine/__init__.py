"""Person–job matching: hard filters, weighted factor scores, top-k and a capacity-aware batch.

Pure Python/numpy/scipy, no Django. Public API (all arrays, see `types`):

- `feasible(seekers, vacancies, s, v, config) -> bool[p]` for index pairs;
- `score_pairs(seekers, vacancies, s, v, config) -> (score[p], factors[p, F])`;
- `explain(seekers, vacancies, s, v, config) -> Facts` for index pairs;
- `top_vacancies(seekers, vacancies, config, k, rows=None, exclude=None) -> Ranking`:
  the best k feasible open vacancies for each seeker in `rows` (default all);
- `top_candidates(seekers, vacancies, config, k, rows) -> Ranking`: the best k
  feasible seekers for each vacancy in `rows`;
- `batch(seekers, vacancies, config, need, exclude=None, load=None) -> BatchResult`:
  `need[i]` results for seeker i, no vacancy beyond
  ceil(capacity_multiple * headcount) - load;
- `diagnose(seekers, vacancies, rows, config, k) -> Diagnosis`.

`exclude` is a sorted int64 array of pair keys `seeker_index * len(vacancies) +
vacancy_index` that must not be returned (already recommended).
"""

from matching.engine.batch import batch
from matching.engine.diagnose import diagnose
from matching.engine.pairs import explain, feasible, score_pairs
from matching.engine.ranking import top_candidates, top_vacancies

__all__ = ["batch", "diagnose", "explain", "feasible", "score_pairs", "top_candidates", "top_vacancies"]
