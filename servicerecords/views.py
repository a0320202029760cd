"""Pages of the service records: record and correct a service, the area's list with its
Excel export, and the catalogue of service types (the system administrator edits it)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.exports import export_refused, xlsx_response
from core.views import apply_domain_error, filter_query, paginate, query_without_page, render_list
from network.selectors import orgunit_choices
from people.selectors import person_get
from privacy.services import export_logged
from servicerecords import selectors, services
from servicerecords.forms import (
    ServiceEditForm,
    ServiceFilterForm,
    ServiceRecordForm,
    ServiceTypeCreateForm,
    ServiceTypeForm,
)
from servicerecords.models import ServiceType
from servicerecords.rules import MANAGE_TYPES, RECORD, VIEW, VIEW_TYPES

PER_PAGE = 50


def person_file_url(person_pk: int) -> str:
    return f"{reverse('people:person_detail', args=[person_pk])}#services"


@permission_required(RECORD, raise_exception=True)
def record_add(request, person_pk):
    """The form on the person's file posts here; a refused form is shown again on its own page."""
    person = person_get(user=request.user, pk=person_pk)
    types = selectors.service_types(user=request.user)
    initial = {}
    preselected = types.filter(code=request.GET.get("type", "")).first()
    if preselected is not None:
        initial["service_type"] = preselected
    form = ServiceRecordForm(request.POST or None, types=types, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.service_record(
                acting_user=request.user, person=person, values=form.cleaned_data, request=request
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if record.assistance_file_id:
                messages.success(request, _("Service recorded under the assistance file."))
            else:
                messages.success(request, _("Service recorded."))
            return redirect(person_file_url(person.pk))
    return render(request, "servicerecords/record_form.html", {"form": form, "person": person})


@permission_required(RECORD, raise_exception=True)
def record_edit(request, pk):
    record = selectors.service_get(user=request.user, pk=pk)
    initial = {name: getattr(record, name) for name in services.EDITABLE_FIELDS}
    initial["version"] = record.version
    form = ServiceEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_record_update(
                acting_user=request.user,
                record=record,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(person_file_url(record.person_id))
    return render(request, "servicerecords/record_edit.html", {"form": form, "record": record})


# --- the list and its export -------------------------------------------------------------


def _listed(request, form: ServiceFilterForm):
    filters = form.filters()
    return selectors.service_list(user=request.user, **filters)


@permission_required(VIEW, raise_exception=True)
def service_list(request):
    form = ServiceFilterForm(
        request.GET or None,
        units=orgunit_choices(user=request.user),
        types=selectors.service_types(user=request.user, active_only=False),
    )
    records = _listed(request, form)
    if request.GET.get("format") == "xlsx":
        return _export(request, records, filters_valid=not form.errors)
    return render_list(
        request,
        "servicerecords/service_list.html",
        "servicerecords/_service_results.html",
        {"form": form, "page": paginate(request, records, PER_PAGE), "query": query_without_page(request)},
    )


def _export(request, records, *, filters_valid: bool):
    count = records.count()
    if export_refused(request, count=count, filters_valid=filters_valid):
        return redirect(f"{reverse('servicerecords:list')}?{filter_query(request)}")
    records = records.defer("person__id_number", "person__phone", "person__disability_details")
    export_logged(
        request,
        subject_type="service_record",
        count=count,
        fields=["name_zh", "name_bo", "id_number_masked", "unit", "service", "outcome"],
        reason=_("Excel export of service records"),
        query=filter_query(request),
        note=f"services.xlsx ({count} rows): {filter_query(request)}",
    )
    return xlsx_response(
        filename="services.xlsx",
        headers=[
            _("date"),
            _("Chinese name"),
            _("Tibetan name"),
            _("resident ID number"),
            _("file held by"),
            _("service"),
            _("channel"),
            _("language used"),
            _("staff"),
            _("given by"),
            _("outcome"),
            _("under an assistance file"),
        ],
        rows=(
            [
                r.on,
                r.person.name_zh,
                r.person.name_bo,
                r.person.id_number_masked,
                r.person.unit.code,
                r.service_type.name,
                r.get_channel_display(),
                r.get_language_display(),
                r.staff.display_name,
                r.unit.code,
                r.outcome,
                _("yes") if r.assistance_file_id else _("no"),
            ]
            for r in records.iterator(chunk_size=2000)
        ),
    )


# --- the catalogue -----------------------------------------------------------------------


@permission_required(VIEW_TYPES, raise_exception=True)
def type_list(request):
    return render(
        request,
        "servicerecords/type_list.html",
        {
            "types": selectors.service_types(user=request.user, active_only=False),
            "can_manage": request.user.has_perm(MANAGE_TYPES),
        },
    )


@permission_required(MANAGE_TYPES, raise_exception=True)
def type_create(request):
    form = ServiceTypeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_type_create(
                acting_user=request.user,
                code=form.cleaned_data["code"],
                values=form.values(),
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Service type added."))
            return redirect("servicerecords:type_list")
    return render(request, "servicerecords/type_form.html", {"form": form})


@permission_required(MANAGE_TYPES, raise_exception=True)
def type_edit(request, pk):
    service_type = get_object_or_404(ServiceType, pk=pk)
    initial = {name: getattr(service_type, name) for name in services.TYPE_FIELDS}
    initial["version"] = service_type.version
    form = ServiceTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_type_update(
                acting_user=request.user,
                service_type=service_type,
                expected_version=form.cleaned_data["version"],
                changes=form.values(),
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("servicerecords:type_list")
    return render(request, "servicerecords/type_form.html", {"form": form, "service_type": service_type})
