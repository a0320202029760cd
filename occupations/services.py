"""Loading the occupational classification from data/occupations_2022.csv."""

import csv
from pathlib import Path

from django.db import transaction

from occupations.models import Occupation


@transaction.atomic
def occupations_load(*, csv_path: Path) -> dict:
    """Idempotent: re-running updates names and parents, never duplicates."""
    with csv_path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_code = {o.code: o for o in Occupation.objects.all()}
    created = updated = 0
    for row in sorted(rows, key=lambda r: int(r["level"])):  # parents before children
        code = row["code"].strip()
        parent_code = row["parent_code"].strip()
        values = {
            "gbm": row["gbm"].strip(),
            "name_zh": row["name_zh"].strip(),
            "level": int(row["level"]),
            "parent": by_code[parent_code] if parent_code else None,
        }
        occupation = by_code.get(code)
        if occupation is None:
            by_code[code] = Occupation.objects.create(code=code, **values)
            created += 1
        elif any(getattr(occupation, k) != v for k, v in values.items()):
            Occupation.objects.filter(pk=occupation.pk).update(**values)
            updated += 1
    return {"created": created, "updated": updated, "total": len(rows)}
