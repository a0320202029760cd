"""Small helpers shared by page views."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render

from core.errors import DomainError


def apply_domain_error(form, exc: DomainError) -> None:
    """Show a service's refusal on the form, next to the field it concerns."""
    if not exc.errors:
        form.add_error(None, str(exc.message))
        return
    for field, messages in exc.errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def paginate(request, queryset, per_page: int = 25):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def render_list(request, template: str, partial: str, context: dict):
    """Full page normally; only the results block when htmx asks for it after a filter change."""
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, partial, context)
    return render(request, template, context)


def query_without_page(request) -> str:
    return filter_query(request, drop=("page",))


def filter_query(request, *, drop=("page", "format")) -> str:
    """The list's filters as a query string, without the parameters that steer the page."""
    query = request.GET.copy()
    for name in drop:
        query.pop(name, None)
    return query.urlencode()
