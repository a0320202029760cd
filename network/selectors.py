"""Reads of the service network, always through the shared scope."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from core.scope import get_scoped_or_404, scope_path, scoped
from network.models import OrgUnit, ServicePoint, ServiceVisit


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _ancestor_codes(path: str) -> list[str]:
    return [code for code in path.split("/") if code]


def orgunit_list(*, user, level: str = "", parent_code: str = "", q: str = "") -> QuerySet:
    """Units in the user's subtree."""
    _require(user, "network.view_orgunit")
    units = scoped(OrgUnit.objects.select_related("parent"), user)
    if level:
        units = units.filter(level=level)
    if parent_code:
        units = units.filter(parent__code=parent_code)
    if q:
        units = units.filter(
            Q(name_zh__icontains=q)
            | Q(name_bo__icontains=q)
            | Q(name_en__icontains=q)
            | Q(code__startswith=q)
        )
    return units


def orgunit_get(*, user, code: str) -> OrgUnit:
    """A unit in the user's subtree, or one of the user's own ancestors."""
    _require(user, "network.view_orgunit")
    path = scope_path(user)
    if path is None:
        raise Http404
    visible = Q(path__startswith=path) | Q(code__in=_ancestor_codes(path))
    try:
        return OrgUnit.objects.select_related("parent").get(visible, code=code)
    except OrgUnit.DoesNotExist as exc:
        raise Http404 from exc


def orgunit_choices(*, user) -> QuerySet:
    """Active units a user may file records under: their own subtree."""
    return scoped(OrgUnit.objects.filter(is_active=True), user)


def orgunit_counts_by_level(*, user) -> dict[str, int]:
    units = scoped(OrgUnit.objects.filter(is_active=True), user)
    counts = {level: 0 for level in ("city", "district", "township", "village")}
    for row in units.values("level").order_by().annotate(n=Count("id")):
        counts[row["level"]] = row["n"]
    return counts


def service_point_list(
    *, user, kind: str = "", unit_code: str = "", q: str = "", active_only: bool = False
) -> QuerySet:
    _require(user, "network.view_servicepoint")
    points = scoped(ServicePoint.objects.select_related("unit"), user)
    if kind:
        points = points.filter(kind=kind)
    if unit_code:
        points = points.filter(unit__path__contains=f"{unit_code}/")
    if q:
        points = points.filter(Q(name_zh__icontains=q) | Q(name_bo__icontains=q) | Q(location__icontains=q))
    if active_only:
        points = points.filter(is_active=True)
    return points


def service_point_get(*, user, pk) -> ServicePoint:
    _require(user, "network.view_servicepoint")
    return get_scoped_or_404(ServicePoint.objects.select_related("unit"), user, pk=pk)


def upcoming_visits(*, user, today: datetime.date, days: int = 7) -> QuerySet:
    _require(user, "network.view_servicepoint")
    visits = ServiceVisit.objects.select_related("service_point", "service_point__unit")
    visits = scoped(visits, user)
    return visits.filter(day__gte=today, day__lt=today + datetime.timedelta(days=days))
