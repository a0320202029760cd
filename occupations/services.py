"""Loading the occupational classification and correcting its names.

The classification comes from data/occupations_2022.csv (Chinese names, built by OCR from the
2022 edition) and data/occupations_2022_names.csv (the project's Tibetan and English names).
An administrator corrects a name in the app (an OCR slip, a better Tibetan term); that row
then keeps its names when the files are loaded again.
"""

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import audit_change, snapshot
from core.concurrency import save_with_version
from core.errors import NotAllowed, ValidationFailed, errors_from_django
from occupations.models import Occupation
from occupations.rules import MANAGE

NAME_FIELDS = ("name_zh", "name_bo", "name_en")
NOT_TIBETAN = _("Write the Tibetan name in Tibetan script.")
NO_CHANGE = _("Nothing was changed.")


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def occupations_load(*, csv_path: Path, names_path: Path | None = None) -> dict:
    """Idempotent: re-running updates names and parents, never duplicates. Names corrected
    in the app (names_corrected_at) are kept."""
    rows = _read(csv_path)
    names = {r["code"].strip(): r for r in _read(names_path)} if names_path else {}
    by_code = {o.code: o for o in Occupation.objects.all()}
    created = updated = 0
    renamed: list[int] = []
    for row in sorted(rows, key=lambda r: int(r["level"])):  # parents before children
        code = row["code"].strip()
        parent_code = row["parent_code"].strip()
        translated = names.get(code, {})
        values = {
            "gbm": row["gbm"].strip(),
            "level": int(row["level"]),
            "parent": by_code[parent_code] if parent_code else None,
        }
        occupation = by_code.get(code)
        if occupation is None or occupation.names_corrected_at is None:
            values["name_zh"] = row["name_zh"].strip()
            values["name_bo"] = (translated.get("name_bo") or "").strip()
            values["name_en"] = (translated.get("name_en") or "").strip()
        if occupation is None:
            by_code[code] = Occupation.objects.create(code=code, **values)
            created += 1
        elif any(getattr(occupation, k) != v for k, v in values.items()):
            if any(getattr(occupation, k) != values[k] for k in NAME_FIELDS if k in values):
                renamed.append(occupation.pk)
            Occupation.objects.filter(pk=occupation.pk).update(**values)
            updated += 1
    _refresh_vacancies(renamed)
    return {"created": created, "updated": updated, "total": len(rows)}


def _refresh_vacancies(occupation_ids: list[int]) -> None:
    """Vacancies are found by their occupation's names too (as by their employer's)."""
    if occupation_ids:
        from vacancies.services import vacancies_refresh_for_occupations  # vacancies builds on occupations

        vacancies_refresh_for_occupations(occupation_ids)


def _is_tibetan(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return all("\u0f00" <= ch <= "\u0fff" for ch in letters)


@transaction.atomic
def occupation_names_correct(
    *, acting_user, occupation: Occupation, expected_version: int, changes: dict, request=None
) -> Occupation:
    """Correct the Chinese, Tibetan or English name of one entry (system administrator)."""
    if not acting_user.has_perm(MANAGE):
        raise NotAllowed()
    unknown = set(changes) - set(NAME_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    values = {name: (value or "").strip() for name, value in changes.items()}
    if values.get("name_bo") and not _is_tibetan(values["name_bo"]):
        raise ValidationFailed(errors={"name_bo": [str(NOT_TIBETAN)]})
    if all(getattr(occupation, name) == value for name, value in values.items()):
        raise ValidationFailed(errors={"__all__": [str(NO_CHANGE)]}, code="no_change")
    before = snapshot(occupation)
    for name, value in values.items():
        setattr(occupation, name, value)
    occupation.names_corrected_at = timezone.now()
    occupation.names_corrected_by = acting_user
    try:
        occupation.full_clean(exclude=["parent", "names_corrected_by"])
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc
    fields = [*values, "names_corrected_at", "names_corrected_by"]
    save_with_version(occupation, expected_version=expected_version, fields=fields)
    _refresh_vacancies([occupation.pk])
    audit_change(actor=acting_user, action=Action.UPDATE, instance=occupation, before=before, request=request)
    return occupation
