"""Pages for the exchange with the regional platform (§4.4.1) and the collection log (§5.3.1)."""

import datetime

from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.channels import IntakeChannel
from core.errors import DomainError
from core.exports import EXPORT_MAX_ROWS, export_refused, xlsx_response
from core.views import apply_domain_error
from exchange import files, person_format, selectors, services, vacancy_format
from exchange.forms import (
    JOB_SEEKERS,
    VACANCIES,
    ImportForm,
    IntakeForm,
    JobSeekerExportForm,
    VacancyExportForm,
)
from network.selectors import orgunit_choices
from privacy.export_gate import full_export_gate
from privacy.models import ExportName

EXPORT_CAP = EXPORT_MAX_ROWS
SHOWN_ERRORS = 500


def _since(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _units(user):
    # Villages are left out of the choice: a township's filter covers its villages.
    return orgunit_choices(user=user).exclude(level="village")


@permission_required("exchange.import_data", raise_exception=True)
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            records, rows = files.read_records(data["file"])
            run = services.vacancies_import if data["what"] == VACANCIES else services.job_seekers_import
            report = run(
                acting_user=request.user, records=records, valid_only=data["valid_only"], request=request
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            errors = [
                {
                    # Staff count from 1; a sheet's records are named by their Excel row.
                    "record": rows[error.index] if rows else error.index + 1,
                    "field": error.field,
                    "message": error.message,
                }
                for error in report.errors[:SHOWN_ERRORS]
            ]
            return render(
                request,
                "exchange/import_result.html",
                {
                    "report": report,
                    "counts": report.as_dict(),
                    "errors": errors,
                    "more_errors": max(0, len(report.errors) - SHOWN_ERRORS),
                    "is_sheet": rows is not None,
                    "filename": data["file"].name[:100],
                },
            )
    return render(request, "exchange/import_upload.html", {"form": form})


@permission_required("exchange.export_data", raise_exception=True)
def export(request):
    may_full = request.user.has_perm("people.export_full")
    what = request.GET.get("what")
    vacancy_form = VacancyExportForm(request.GET if what == VACANCIES else None)
    seeker_form = JobSeekerExportForm(
        request.GET if what == JOB_SEEKERS else None, units=_units(request.user), may_export_full=may_full
    )
    if what == VACANCIES and vacancy_form.is_valid():
        return _export_vacancies(request, vacancy_form.cleaned_data)
    if what == JOB_SEEKERS and seeker_form.is_valid():
        response = _export_job_seekers(request, seeker_form)
        if response is not None:
            return response
    return render(
        request,
        "exchange/export.html",
        {
            "vacancy_form": vacancy_form,
            "seeker_form": seeker_form,
            "may_import": request.user.has_perm("exchange.import_data"),
        },
    )


def _too_many(request, count: int) -> bool:
    return export_refused(request, count=count, cap=EXPORT_CAP)


def _export_vacancies(request, data):
    vacancies = selectors.vacancy_export_list(
        user=request.user, status=data["status"], since=_since(data["since"])
    )
    if _too_many(request, vacancies.count()):
        return redirect("exchange:export")
    records = [vacancy_format.vacancy_record(v) for v in vacancies]
    if data["format"] == "json":
        return files.records_json(records, filename="vacancies.json")
    return files.records_xlsx(records, filename="vacancies.xlsx", columns=vacancy_format.COLUMNS)


def _export_job_seekers(request, form):
    data = form.cleaned_data
    full = bool(data.get("full"))
    persons = selectors.job_seeker_export_list(
        user=request.user,
        unit_code=data["unit"],
        key_group=data["key_group"],
        since=_since(data["since"]),
        full=full,
    )
    count = persons.count()
    if _too_many(request, count):
        return None
    query = request.GET.copy()
    query.pop("reason", None)
    query.pop("approval", None)
    # An approval is spent in the transaction that logs the export and builds the file.
    with transaction.atomic():
        approval = None
        if full:
            gate = full_export_gate(
                request,
                export=ExportName.EXCHANGE_JOB_SEEKERS,
                count=count,
                reason=data.get("reason", ""),
                back=reverse("exchange:export"),
            )
            if gate.response is not None:
                return gate.response
            approval = gate.approval
        try:
            records = services.job_seekers_export(
                acting_user=request.user,
                persons=persons,
                full=full,
                reason=data.get("reason", ""),
                query=query.urlencode(),
                request=request,
                approval=approval,
            )
        except DomainError as exc:
            transaction.set_rollback(True)
            apply_domain_error(form, exc)
            return None
        if data["format"] == "json":
            return files.records_json(records, filename="job-seekers.json")
        columns = person_format.FULL_COLUMNS if full else person_format.COLUMNS
        return files.records_xlsx(records, filename="job-seekers.xlsx", columns=columns)


@permission_required("exchange.view_intake", raise_exception=True)
def intake(request):
    today = timezone.localdate()
    data = request.GET.copy()
    for name, day in IntakeForm.default_period(today).items():
        data.setdefault(name, day.isoformat())
    units = list(_units(request.user))
    code = data.get("unit", "")[:12]
    if code and code not in {unit.code for unit in units}:
        # A village is reached by following the link of its township's row.
        units += list(orgunit_choices(user=request.user).filter(code=code))
    form = IntakeForm(
        data,
        units=units,
        kinds=[(code, label) for code, label, _model in selectors.KINDS],
    )
    summary = None
    kind = ""
    if form.is_valid():
        data = form.cleaned_data
        kind = data["kind"]
        summary = selectors.intake_summary(
            request.user, data["date_from"], data["date_to"], unit_code=data["unit"]
        )
        if request.GET.get("format") == "xlsx":
            return _intake_xlsx(summary, kind)
    return render(
        request,
        "exchange/intake.html",
        {
            "form": form,
            "summary": summary,
            # Rows with nothing in them are named once below the table instead.
            "rows": [row for row in summary.rows(kind) if row.total] if summary else [],
            "idle_units": summary.idle_units(kind) if summary else [],
            "totals": summary.totals() if summary else [],
            "chart": summary.chart(kind) if summary else None,
            "channels": IntakeChannel.choices,
            "query": request.GET.urlencode(),
            "drill_query": _without(request.GET, "unit", "format"),
        },
    )


def _without(query, *names) -> str:
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _intake_xlsx(summary, kind: str):
    return xlsx_response(
        filename=f"intake-{summary.date_from:%Y%m%d}-{summary.date_to:%Y%m%d}.xlsx",
        headers=[
            _("unit code"),
            _("unit"),
            _("kind"),
            *(label for _code, label in IntakeChannel.choices),
            _("total"),
        ],
        rows=(
            [row.unit.code, row.unit.name, str(row.kind_label), *row.counts, row.total]
            for row in summary.rows(kind)
        ),
    )
