"""Pages of employers (用人单位) and the key-enterprise directory (§5.11)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.exports import EXPORT_MAX_ROWS, export_refused, xlsx_response
from core.views import apply_domain_error, filter_query, paginate, query_without_page, render_list
from employers import selectors, services
from employers.forms import DirectoryFilterForm, EmployerFilterForm, EmployerForm, KeyFlagForm, KeyUnflagForm
from network.selectors import orgunit_choices
from privacy.models import AccessKind
from privacy.services import access_log

EXPORT_CAP = EXPORT_MAX_ROWS
EXPORT_REASON = "list export"


def _filter_query(request) -> str:
    return filter_query(request)


@permission_required("employers.view_employer", raise_exception=True)
def employer_list(request):
    form = EmployerFilterForm(request.GET or None, units=orgunit_choices(user=request.user))
    employers = selectors.employer_list(user=request.user, **form.selector_filters())
    if request.GET.get("format") == "xlsx":
        return _export(request, employers, filters_valid=not form.errors)
    return render_list(
        request,
        "employers/employer_list.html",
        "employers/_employer_results.html",
        {"form": form, "page": paginate(request, employers), "query": query_without_page(request)},
    )


def _export(request, employers, *, filters_valid: bool):
    back = f"{reverse('employers:employer_list')}?{_filter_query(request)}"
    if export_refused(request, count=employers.count(), filters_valid=filters_valid, cap=EXPORT_CAP):
        return redirect(back)
    rows = list(employers.order_by("unit__path", "name_zh", "id"))
    # The contact person's name and phone are personal information: the export is logged.
    access_log(
        user=request.user,
        kind=AccessKind.EXPORT,
        subject_type="employer",
        record_count=len(rows),
        query=_filter_query(request),
        fields=["name_zh", "credit_code", "contact_name", "contact_phone"],
        reason=EXPORT_REASON,
        request=request,
    )
    return xlsx_response(
        filename="employers.xlsx",
        headers=[
            _("Chinese name"),
            _("Tibetan name"),
            _("unified social credit code"),
            _("industry code"),
            _("industry"),
            _("size"),
            _("ownership"),
            _("unit code"),
            _("unit"),
            _("address"),
            _("contact person"),
            _("contact phone"),
            _("key enterprise"),
            _("received through"),
            _("regional platform id"),
            _("active"),
        ],
        rows=(
            [
                e.name_zh,
                e.name_bo,
                e.credit_code,
                e.industry.code,
                e.industry.name,
                e.get_size_display(),
                e.get_ownership_display(),
                e.unit.code,
                e.unit.name,
                e.address,
                e.contact_name,
                e.contact_phone,
                _("yes") if e.is_key_enterprise else "",
                e.get_channel_display(),
                e.external_id or "",
                _("yes") if e.is_active else _("no"),
            ]
            for e in rows
        ),
    )


def _vacancies_url(employer) -> str | None:
    # The vacancy pages come with their own app; link to them once they exist.
    try:
        return f"{reverse('vacancies:vacancy_list')}?employer={employer.pk}"
    except NoReverseMatch:
        return None


def _detail_context(request, employer) -> dict:
    flags = list(selectors.key_enterprise_history(employer))
    open_flag = next((f for f in flags if f.ended_on is None), None)
    return {
        "employer": employer,
        "flags": flags,
        "open_flag": open_flag,
        "vacancies_url": _vacancies_url(employer),
        "accounts": selectors.employer_accounts(employer),
        "may_flag": request.user.has_perm("employers.flag_key_enterprise"),
    }


@permission_required("employers.view_employer", raise_exception=True)
def employer_detail(request, pk):
    employer = selectors.employer_get(user=request.user, pk=pk)
    return render(request, "employers/employer_detail.html", _detail_context(request, employer))


@permission_required("employers.manage_employer", raise_exception=True)
def employer_create(request):
    form = EmployerForm(request.POST or None, units=orgunit_choices(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_create(
                acting_user=request.user, values=form.values(), request=request
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Employer registered."))
            return redirect("employers:employer_detail", pk=employer.pk)
    return render(request, "employers/employer_form.html", {"form": form})


@permission_required("employers.manage_employer", raise_exception=True)
def employer_edit(request, pk):
    employer = selectors.employer_get(user=request.user, pk=pk)
    form = EmployerForm(
        request.POST or None,
        units=orgunit_choices(user=request.user),
        employer=employer,
        initial=EmployerForm.initial_for(employer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.employer_update(
                acting_user=request.user,
                employer=employer,
                expected_version=form.cleaned_data["version"],
                changes=form.values(),
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            # The service may have set values on the instance before refusing; show the stored ones.
            employer = selectors.employer_get(user=request.user, pk=pk)
        else:
            messages.success(request, _("Saved."))
            return redirect("employers:employer_detail", pk=employer.pk)
    return render(request, "employers/employer_form.html", {"form": form, "employer": employer})


@permission_required("employers.flag_key_enterprise", raise_exception=True)
def key_flag(request, pk):
    employer = selectors.employer_get(user=request.user, pk=pk)
    form = KeyFlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_enterprise_flag(
                acting_user=request.user, employer=employer, request=request, **form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Added to the key-enterprise directory."))
            return redirect(f"{reverse('employers:employer_detail', args=[employer.pk])}#key-enterprise")
    return render(
        request, "employers/key_flag_form.html", {"form": form, "employer": employer, "flagging": True}
    )


@permission_required("employers.flag_key_enterprise", raise_exception=True)
def key_unflag(request, pk):
    employer = selectors.employer_get(user=request.user, pk=pk)
    form = KeyUnflagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_enterprise_unflag(
                acting_user=request.user, employer=employer, request=request, **form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Removed from the key-enterprise directory."))
            return redirect(f"{reverse('employers:employer_detail', args=[employer.pk])}#key-enterprise")
    return render(
        request, "employers/key_flag_form.html", {"form": form, "employer": employer, "flagging": False}
    )


@permission_required("employers.view_employer", raise_exception=True)
def key_directory(request):
    form = DirectoryFilterForm(request.GET or None, units=orgunit_choices(user=request.user))
    unit_code = form.cleaned_data.get("unit", "") if form.is_valid() else ""
    flags = selectors.key_enterprise_directory(user=request.user, unit_code=unit_code)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename="key-enterprises.xlsx",
            headers=[
                _("Chinese name"),
                _("Tibetan name"),
                _("unified social credit code"),
                _("industry"),
                _("unit"),
                _("listed by"),
                _("listed on"),
                _("reason"),
            ],
            rows=(
                [
                    f.employer.name_zh,
                    f.employer.name_bo,
                    f.employer.credit_code,
                    f"{f.employer.industry.code} {f.employer.industry.name}",
                    f.employer.unit.name,
                    f.unit.name,
                    f.flagged_on,
                    f.reason,
                ]
                for f in flags
            ),
        )
    return render_list(
        request,
        "employers/key_directory.html",
        "employers/_key_directory_results.html",
        {"form": form, "page": paginate(request, flags, 50), "query": query_without_page(request)},
    )
