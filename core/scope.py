"""The one place where org-unit scope is applied (§4.1.1).

Every selector that returns unit-owned records passes its queryset through
`scoped()`. A staff member sees the subtree of their own unit; anyone without a
unit or role sees nothing (deny by default). Whether a role may see a kind of record
at all is a separate check (accounts/rules.py).
"""

from django.db.models import Model, QuerySet
from django.http import Http404


def scope_path(user) -> str | None:
    if not (user and user.is_authenticated and user.is_active and user.role and user.unit_id):
        return None
    return user.unit.path


def _unit_lookup(model: type[Model]) -> str:
    # Each scoped model names the path to its owning unit; OrgUnit scopes on itself.
    field = getattr(model, "SCOPE_UNIT_FIELD", "unit")
    return f"{field}__path__startswith" if field else "path__startswith"


def scoped(queryset: QuerySet, user) -> QuerySet:
    path = scope_path(user)
    if path is None:
        return queryset.none()
    return queryset.filter(**{_unit_lookup(queryset.model): path})


def get_scoped_or_404(queryset: QuerySet, user, **lookup) -> Model:
    """Out-of-scope records answer 404, not 403, so their existence does not leak."""
    try:
        return scoped(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def unit_in_scope(user, unit) -> bool:
    path = scope_path(user)
    return bool(path and unit and unit.path.startswith(path))
