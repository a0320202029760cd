from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.exports import xlsx_response
from core.views import apply_domain_error, filter_query, paginate, render_list
from occupations import selectors, services
from occupations.forms import OccupationFilterForm, OccupationNamesForm
from occupations.models import OccupationLevel
from occupations.rules import MANAGE


@permission_required("occupations.view", raise_exception=True)
def occupation_list(request):
    """Browse the tree (majors, then the children of a chosen group) or search all of it."""
    form = OccupationFilterForm(request.GET or None)
    filters = form.selector_filters()
    # Searching (by text or level) lists across the whole tree; otherwise we are browsing.
    searching = bool(filters.get("q") or filters.get("level"))
    parent = None
    if filters.get("q"):
        filters["parent_code"] = ""  # a search covers the whole classification
    elif filters.get("parent_code"):
        parent = selectors.occupation_get(code=filters["parent_code"], user=request.user)
    elif not filters.get("level"):
        filters["level"] = OccupationLevel.MAJOR
    occupations = selectors.occupation_list(user=request.user, **filters)
    if request.GET.get("format") == "xlsx":
        return _export(occupations)
    return render_list(
        request,
        "occupations/occupation_list.html",
        "occupations/_occupation_results.html",
        {
            "form": form,
            "page": paginate(request, occupations, 50),
            "parent": parent,
            "ancestors": selectors.occupation_ancestors(parent) if parent else [],
            "searching": searching,
            "query": _filter_query(request),
        },
    )


def _filter_query(request) -> str:
    return filter_query(request)


def _export(occupations):
    return xlsx_response(
        filename="occupations.xlsx",
        headers=[
            _("code"),
            _("GB/T 6565 code"),
            _("Chinese name"),
            _("Tibetan name"),
            _("English name"),
            _("level"),
            _("parent"),
        ],
        rows=(
            [
                o.code,
                o.gbm,
                o.name_zh,
                o.name_bo,
                o.name_en,
                o.get_level_display(),
                o.parent.code if o.parent else "",
            ]
            for o in occupations
        ),
    )


@permission_required("occupations.view", raise_exception=True)
def occupation_detail(request, code):
    occupation = selectors.occupation_get(code=code, user=request.user)
    return render(
        request,
        "occupations/occupation_detail.html",
        {
            "occupation": occupation,
            "ancestors": selectors.occupation_ancestors(occupation),
            "children": selectors.occupation_list(user=request.user, parent_code=occupation.code),
            "can_correct": request.user.has_perm(MANAGE),
        },
    )


@permission_required(MANAGE, raise_exception=True)
def occupation_edit(request, code):
    """Correct the names of one entry: an OCR slip in the Chinese, the Tibetan or English name."""
    occupation = selectors.occupation_get(code=code, user=request.user)
    initial = {name: getattr(occupation, name) for name in services.NAME_FIELDS}
    form = OccupationNamesForm(request.POST or None, initial={**initial, "version": occupation.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.occupation_names_correct(
                acting_user=request.user,
                occupation=occupation,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("occupations:occupation_detail", code=occupation.code)
    status = 400 if form.is_bound else 200
    return render(
        request, "occupations/occupation_form.html", {"form": form, "occupation": occupation}, status=status
    )
