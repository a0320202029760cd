"""Reads of the industrial classification: reference data, open to every form that needs it."""

from django.db.models import QuerySet

from industries.models import Industry, IndustryLevel


def division_list() -> QuerySet:
    return Industry.objects.filter(level=IndustryLevel.DIVISION).select_related("parent").order_by("code")


def section_list() -> QuerySet:
    return Industry.objects.filter(level=IndustryLevel.SECTION).order_by("code")


def industry_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Divisions grouped under their section, as (section label, [(code, label)]) for a <select>.

    Names are read in the active language, so call this per request (not at import time).
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    labels: dict[str, str] = {}
    for division in division_list():
        section = division.parent
        labels[section.code] = f"{section.code} {section.name}"
        groups.setdefault(section.code, []).append((division.code, f"{division.code} {division.name}"))
    return [(labels[code], groups[code]) for code in sorted(groups)]


def division_get(code: str) -> Industry | None:
    """A division by its two-digit code, or None."""
    if not isinstance(code, str) or len(code) != 2 or not code.isdigit():
        return None
    return division_list().filter(code=code).first()


def is_section_code(code: str) -> bool:
    return isinstance(code, str) and len(code) == 1 and section_list().filter(code=code).exists()
