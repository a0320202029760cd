"""Pages of the assistance files (§5.9) and coverage (§5.1).

The file itself is shown on the person's file (templatetags/assistance_tags.py); the
actions here post from there and come back to it. The list of files and its Excel
export, the station head's closure queue and the coverage page stand on their own.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance import selectors, services
from assistance.forms import (
    APPROVE,
    ClosureDecideForm,
    ClosureProposeForm,
    CoverageFilterForm,
    FileFilterForm,
    FileOpenForm,
    MeasureAddForm,
    MeasureForm,
)
from assistance.models import FileStatus
from assistance.rules import DECIDE_CLOSURE, MANAGE, VIEW, VIEW_COVERAGE
from core.errors import DomainError
from core.exports import export_refused, xlsx_response
from core.views import apply_domain_error, filter_query, paginate, query_without_page, render_list
from keygroups.models import Category
from network.models import Level
from network.selectors import orgunit_choices
from people.selectors import open_key_groups, person_get
from privacy.services import export_logged

PER_PAGE = 50


def file_url(person_pk: int) -> str:
    return f"{reverse('people:person_detail', args=[person_pk])}#assistance"


def _refusal_message(request, exc: DomainError) -> None:
    details = [message for messages_ in exc.errors.values() for message in messages_]
    messages.error(request, " ".join(details) if details else str(exc.message))


# --- actions on a file ------------------------------------------------------------------


@permission_required(MANAGE, raise_exception=True)
def file_open(request, person_pk):
    person = person_get(user=request.user, pk=person_pk)
    memberships = open_key_groups(person)
    form = FileOpenForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        category = Category.objects.get(pk=form.cleaned_data["category"])
        try:
            file = services.file_open(
                person=person,
                category=category,
                opened_on=form.cleaned_data["opened_on"],
                acting_user=request.user,
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if file.opened_by_id == request.user.pk:
                messages.success(
                    request,
                    _("Assistance file opened; first assistance is due by %(due)s.")
                    % {"due": file.first_assistance_due.isoformat()},
                )
            else:
                messages.info(request, _("This person already has an open assistance file."))
            return redirect(file_url(person.pk))
    return render(request, "assistance/file_open.html", {"form": form, "person": person})


@permission_required(MANAGE, raise_exception=True)
def propose_closure(request, pk):
    file = selectors.file_get(user=request.user, pk=pk)
    form = ClosureProposeForm(request.POST or None, initial={"version": file.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.file_propose_closure(
                acting_user=request.user,
                file=file,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Closure proposed to the station head."))
            return redirect(file_url(file.person_id))
    return render(request, "assistance/propose_closure.html", {"form": form, "file": file})


@permission_required(DECIDE_CLOSURE, raise_exception=True)
def decide_closure(request, pk):
    file = selectors.file_get(user=request.user, pk=pk)
    form = ClosureDecideForm(request.POST or None, initial={"version": file.version})
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == APPROVE
        try:
            services.file_decide_closure(
                acting_user=request.user,
                file=file,
                approve=approve,
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request, _("File closed.") if approve else _("Closure refused; the file is open.")
            )
            if request.POST.get("next") == "queue":
                return redirect("assistance:closures")
            return redirect(file_url(file.person_id))
    return render(request, "assistance/decide_closure.html", {"form": form, "file": file})


@permission_required(MANAGE, raise_exception=True)
def measure_update(request, pk):
    measure = selectors.measure_get(user=request.user, pk=pk)
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(
                acting_user=request.user,
                measure=measure,
                expected_version=form.cleaned_data["version"],
                started_on=form.cleaned_data["started_on"],
                done_on=form.cleaned_data["done_on"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except DomainError as exc:
            _refusal_message(request, exc)
        else:
            messages.success(request, _("Measure saved."))
    elif request.method == "POST":
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(file_url(measure.file.person_id))


@permission_required(MANAGE, raise_exception=True)
def measure_add(request, pk):
    file = selectors.file_get(user=request.user, pk=pk)
    form = MeasureAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_add(
                acting_user=request.user, file=file, kind=form.cleaned_data["kind"], request=request
            )
        except DomainError as exc:
            _refusal_message(request, exc)
        else:
            messages.success(request, _("Measure added."))
    return redirect(file_url(file.person_id))


# --- lists --------------------------------------------------------------------------------


def _categories():
    return Category.objects.filter(is_active=True).order_by("order", "code")


@permission_required(VIEW, raise_exception=True)
def file_list(request):
    today = timezone.localdate()
    units = orgunit_choices(user=request.user).exclude(level=Level.VILLAGE)
    form = FileFilterForm(request.GET or None, units=units, categories=_categories())
    files = selectors.file_list(user=request.user, today=today, **form.filters())
    if request.GET.get("format") == "xlsx":
        return _export(request, files, today, filters_valid=not form.errors)
    page = paginate(request, files, PER_PAGE)
    for file in page.object_list:
        selectors.annotate_state(file, today)
    return render_list(
        request,
        "assistance/file_list.html",
        "assistance/_file_results.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def _export(request, files, today, *, filters_valid: bool):
    count = files.count()
    if export_refused(request, count=count, filters_valid=filters_valid):
        return redirect(f"{reverse('assistance:list')}?{filter_query(request)}")
    files = files.defer("person__id_number", "person__phone", "person__disability_details")
    export_logged(
        request,
        subject_type="assistance_file",
        count=count,
        fields=["name_zh", "name_bo", "id_number_masked", "unit", "key_group", "status", "dates"],
        reason=_("Excel export of assistance files"),
        query=filter_query(request),
        note=f"assistance-files.xlsx ({count} rows): {filter_query(request)}",
    )
    return xlsx_response(
        filename="assistance-files.xlsx",
        headers=[
            _("Chinese name"),
            _("Tibetan name"),
            _("resident ID number"),
            _("unit code"),
            _("key group"),
            _("status"),
            _("opened"),
            _("first assistance due"),
            _("first assistance given"),
            _("first assistance overdue"),
            _("next follow-up due"),
            _("outcome"),
            _("closed"),
        ],
        rows=(
            [
                f.person.name_zh,
                f.person.name_bo,
                f.person.id_number_masked,
                f.person.unit.code,
                f.category.name,
                f.get_status_display(),
                f.opened_on,
                f.first_assistance_due,
                f.first_assistance_on,
                _("yes") if selectors.annotate_state(f, today).first_overdue else _("no"),
                f.next_follow_up_due,
                f.get_outcome_display(),
                f.closed_on,
            ]
            for f in files.iterator(chunk_size=2000)
        ),
    )


@permission_required(DECIDE_CLOSURE, raise_exception=True)
def closures(request):
    files = list(selectors.closure_queue(user=request.user))
    return render(request, "assistance/closures.html", {"files": files})


@permission_required(VIEW_COVERAGE, raise_exception=True)
def coverage(request):
    today = timezone.localdate()
    units = orgunit_choices(user=request.user).exclude(level=Level.VILLAGE)
    form = CoverageFilterForm(request.GET or None, units=units)
    unit_code = form.unit_code()
    rows = selectors.coverage(user=request.user, today=today, unit_code=unit_code)
    zero = selectors.zero_employment_open(user=request.user, today=today, unit_code=unit_code)
    return render_list(
        request,
        "assistance/coverage.html",
        "assistance/_coverage_results.html",
        {
            "form": form,
            "today": today,
            "rows": rows[:-1],
            "total": rows[-1],
            "chart": selectors.coverage_chart(rows),
            "zero_rows": zero[:-1],
            "zero_total": zero[-1],
            "zero_chart": selectors.zero_employment_chart(zero),
            "open_status": FileStatus.OPEN,
        },
    )
