from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.exports import xlsx_response
from core.views import apply_domain_error, paginate, query_without_page, render_list
from network import selectors, services
from network.forms import OrgUnitCreateForm, OrgUnitForm, ServicePointForm
from network.models import Level, ServicePointKind


@permission_required("network.view_orgunit", raise_exception=True)
def unit_list(request):
    level = request.GET.get("level", "")
    units = selectors.orgunit_list(
        user=request.user,
        level=level if level in Level.values else "",
        q=request.GET.get("q", "")[:50],
        parent_code=request.GET.get("parent", "")[:12],
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename="org-units.xlsx",
            headers=[
                _("code"),
                _("Chinese name"),
                _("Tibetan name"),
                _("English name"),
                _("level"),
                _("parent unit"),
            ],
            rows=(
                [
                    u.code,
                    u.name_zh,
                    u.name_bo,
                    u.name_en,
                    u.get_level_display(),
                    u.parent.code if u.parent else "",
                ]
                for u in units
            ),
        )
    return render_list(
        request,
        "network/unit_list.html",
        "network/_unit_results.html",
        {
            "page": paginate(request, units, 50),
            "levels": Level.choices,
            "query": query_without_page(request),
        },
    )


@permission_required("network.view_orgunit", raise_exception=True)
def unit_detail(request, code):
    unit = selectors.orgunit_get(user=request.user, code=code)
    children = selectors.orgunit_list(user=request.user, parent_code=unit.code)
    points = []
    if request.user.has_perm("network.view_servicepoint"):
        points = selectors.service_point_list(user=request.user, unit_code=unit.code)
    return render(
        request,
        "network/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "points": points,
            "ancestors": _ancestors(unit),
        },
    )


def _ancestors(unit):
    chain = []
    while unit.parent_id:
        unit = unit.parent
        chain.insert(0, unit)
    return chain


@permission_required("network.manage_orgunit", raise_exception=True)
def unit_create(request, parent_code):
    parent = selectors.orgunit_get(user=request.user, code=parent_code)
    form = OrgUnitCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            unit = services.orgunit_create(acting_user=request.user, parent=parent, request=request, **data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Unit created."))
            return redirect("network:unit_detail", code=unit.code)
    return render(request, "network/unit_form.html", {"form": form, "parent": parent})


@permission_required("network.manage_orgunit", raise_exception=True)
def unit_edit(request, code):
    unit = selectors.orgunit_get(user=request.user, code=code)
    initial = {name: getattr(unit, name) for name in services.UNIT_FIELDS}
    initial["version"] = unit.version
    form = OrgUnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.orgunit_update(
                acting_user=request.user, unit=unit, expected_version=version, request=request, **data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("network:unit_detail", code=unit.code)
    return render(request, "network/unit_form.html", {"form": form, "unit": unit})


@permission_required("network.view_servicepoint", raise_exception=True)
def service_point_list(request):
    kind = request.GET.get("kind", "")
    points = selectors.service_point_list(
        user=request.user,
        kind=kind if kind in ServicePointKind.values else "",
        q=request.GET.get("q", "")[:50],
        unit_code=request.GET.get("unit", "")[:12],
    )
    return render_list(
        request,
        "network/point_list.html",
        "network/_point_results.html",
        {
            "page": paginate(request, points),
            "kinds": ServicePointKind.choices,
            "query": query_without_page(request),
            "visits": selectors.upcoming_visits(user=request.user, today=timezone.localdate(), days=14),
        },
    )


@permission_required("network.view_servicepoint", raise_exception=True)
def service_point_detail(request, pk):
    point = selectors.service_point_get(user=request.user, pk=pk)
    return render(
        request,
        "network/point_detail.html",
        {
            "point": point,
            "visits": point.visits.filter(day__gte=timezone.localdate())[:20],
        },
    )


@permission_required("network.manage_servicepoint", raise_exception=True)
def service_point_create(request):
    form = ServicePointForm(
        request.POST or None, units=selectors.orgunit_choices(user=request.user), creating=True
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            point = services.service_point_create(acting_user=request.user, request=request, **data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Service point created."))
            return redirect("network:point_detail", pk=point.pk)
    return render(request, "network/point_form.html", {"form": form})


@permission_required("network.manage_servicepoint", raise_exception=True)
def service_point_edit(request, pk):
    point = selectors.service_point_get(user=request.user, pk=pk)
    initial = {name: getattr(point, name) for name in services.SERVICE_POINT_FIELDS}
    initial["version"] = point.version
    form = ServicePointForm(
        request.POST or None, initial=initial, units=selectors.orgunit_choices(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.service_point_update(
                acting_user=request.user, point=point, expected_version=version, request=request, **data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("network:point_detail", pk=point.pk)
    return render(request, "network/point_form.html", {"form": form, "point": point})
