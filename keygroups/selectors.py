"""Reads of the key-group catalogue and of memberships (memberships through the shared scope)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404

from core.scope import get_scoped_or_404, scoped
from keygroups.models import Category, Membership, Rule


def category_list() -> list[Category]:
    """The whole catalogue as a tree: each parent followed by its children, `depth` set."""
    categories = list(Category.objects.select_related("parent").order_by("order", "code"))
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    ordered: list[Category] = []
    seen: set[int] = set()

    def walk(parent_id, depth):
        for category in children.get(parent_id, []):
            if category.pk in seen:  # a cycle would otherwise never end
                continue
            seen.add(category.pk)
            category.depth = depth
            ordered.append(category)
            walk(category.pk, depth + 1)

    walk(None, 0)
    return ordered


def category_get(*, pk) -> Category:
    try:
        return Category.objects.select_related("parent").get(pk=pk)
    except (Category.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def category_names() -> dict[str, str]:
    """Code → name in the active language, for labelling lists."""
    return {c.code: c.name for c in Category.objects.all()}


def manual_categories():
    """What staff may record by hand: active categories decided by evidence, not data."""
    return Category.objects.filter(rule=Rule.MANUAL, is_active=True).order_by("order", "code")


def membership_get(*, user, pk) -> Membership:
    if not user.has_perm("people.view_person"):
        raise PermissionDenied
    return get_scoped_or_404(Membership.objects.select_related("person", "category"), user, pk=pk)


def membership_counts_by_category(*, user) -> dict[int, int]:
    """Open memberships per category id among persons in the user's area."""
    if not user.has_perm("people.view_person"):
        return {}
    rows = (
        scoped(Membership.objects.filter(ended_on__isnull=True), user)
        .values("category_id")
        .order_by()
        .annotate(n=Count("id"))
    )
    return {row["category_id"]: row["n"] for row in rows}
