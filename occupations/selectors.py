"""Reads of the occupational classification: reference data every staff member may read."""

import re

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from occupations.models import Occupation, OccupationLevel

CODE_PREFIX = re.compile(r"^\d[\d-]*$")


def _require(user) -> None:
    # Callers without a user (forms of other apps) read reference data only.
    if user is not None and not user.has_perm("occupations.view"):
        raise PermissionDenied


def occupation_list(*, q: str = "", level: int | None = None, parent_code: str = "", user=None) -> QuerySet:
    """Search by code prefix ("4-03") or by name (Chinese, Tibetan or English)."""
    _require(user)
    occupations = Occupation.objects.select_related("parent")
    if level:
        occupations = occupations.filter(level=level)
    if parent_code:
        occupations = occupations.filter(parent__code=parent_code)
    q = q.strip()
    if q:
        if CODE_PREFIX.match(q):
            occupations = occupations.filter(Q(code__startswith=q) | Q(gbm__startswith=q))
        else:
            occupations = occupations.filter(
                Q(name_zh__contains=q) | Q(name_bo__contains=q) | Q(name_en__icontains=q)
            )
    return occupations


def occupation_get(*, code: str, user=None) -> Occupation:
    _require(user)
    try:
        return Occupation.objects.select_related("parent").get(code=code)
    except Occupation.DoesNotExist as exc:
        raise Http404 from exc


def occupation_ancestors(occupation: Occupation) -> list[Occupation]:
    """Major group down to the direct parent. The code holds the path: 4-03-02-01."""
    parts = occupation.code.split("-")
    codes = ["-".join(parts[:n]) for n in range(1, len(parts))]
    return list(Occupation.objects.filter(code__in=codes).order_by("level"))


def leaf_choices() -> list[tuple[int, str]]:
    """Level-4 occupations as (pk, "code name") for form fields, names in the active language."""
    return [
        (o.pk, f"{o.code} {o.name}")
        for o in Occupation.objects.filter(level=OccupationLevel.OCCUPATION).order_by("code")
    ]
