"""Loading the GB/T 4754-2017 industrial classification from data/industries_gbt4754_2017.csv."""

import csv
from pathlib import Path

from django.db import transaction

from industries.models import Industry, IndustryLevel

LEVEL_ORDER = {IndustryLevel.SECTION: 0, IndustryLevel.DIVISION: 1}


@transaction.atomic
def industries_load(csv_path: Path) -> dict:
    """Idempotent: re-running updates names and parents, never duplicates."""
    with Path(csv_path).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_code = {i.code: i for i in Industry.objects.all()}
    created = updated = 0
    for row in sorted(rows, key=lambda r: LEVEL_ORDER[r["level"].strip()]):  # sections before divisions
        code = row["code"].strip()
        parent_code = row["parent_code"].strip()
        values = {
            "level": row["level"].strip(),
            "name_zh": row["name_zh"].strip(),
            "name_bo": row["name_bo"].strip(),
            "name_en": row["name_en"].strip(),
            "parent": by_code[parent_code] if parent_code else None,
        }
        industry = by_code.get(code)
        if industry is None:
            by_code[code] = Industry.objects.create(code=code, **values)
            created += 1
        elif any(getattr(industry, k) != v for k, v in values.items()):
            Industry.objects.filter(pk=industry.pk).update(**values)
            updated += 1
    return {"created": created, "updated": updated, "total": len(rows)}
