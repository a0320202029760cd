"""Pages for importing persons from Excel: upload, result with the error table, downloads.

The report is not stored: the result page carries the full error list signed and
compressed in a hidden field, and "download full report" posts it back. Nothing is
left on disk or in the session per import.
"""

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core import signing
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError
from core.exports import XLSX
from core.views import apply_domain_error
from people import imports
from people.import_forms import PersonImportForm

SHOWN_ERRORS = 500
REPORT_SALT = "people.import.report"
REPORT_MAX_AGE = 24 * 3600
REPORT_MAX_ERRORS = 100_000  # keeps the hidden field (and its POST back) bounded


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _sign(report: imports.ImportReport, user) -> str:
    payload = {
        "user": user.pk,
        "filename": report.filename,
        "counts": [report.total, report.imported, report.already_registered],
        "committed": report.committed,
        "errors": [[e.row, e.column, e.message] for e in report.errors[:REPORT_MAX_ERRORS]],
        "omitted": max(0, len(report.errors) - REPORT_MAX_ERRORS),
    }
    return signing.dumps(payload, salt=REPORT_SALT, compress=True)


def _unsign(token: str, user) -> tuple[imports.ImportReport, int]:
    try:
        payload = signing.loads(token, salt=REPORT_SALT, max_age=REPORT_MAX_AGE)
    except signing.BadSignature as exc:  # also SignatureExpired
        raise BadRequest("bad report") from exc
    if payload.get("user") != user.pk:
        raise BadRequest("bad report")
    total, imported, already = payload["counts"]
    report = imports.ImportReport(
        filename=payload["filename"],
        total=total,
        imported=imported,
        already_registered=already,
        errors=[imports.RowError(row=r, column=c, message=m) for r, c, m in payload["errors"]],
        committed=payload["committed"],
    )
    return report, payload["omitted"]


@permission_required("people.import_persons", raise_exception=True)
def upload(request):
    form = PersonImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = imports.persons_import(
                acting_user=request.user,
                file=form.cleaned_data["file"],
                valid_rows_only=form.cleaned_data["valid_rows_only"],
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return render(
                request,
                "people/import_result.html",
                {
                    "report": report,
                    "shown_errors": report.errors[:SHOWN_ERRORS],
                    "more_errors": max(0, len(report.errors) - SHOWN_ERRORS),
                    "report_token": _sign(report, request.user) if report.errors else "",
                },
            )
    return render(
        request, "people/import_upload.html", {"form": form, "max_bytes": settings.IMPORT_MAX_BYTES}
    )


@require_GET
@permission_required("people.import_persons", raise_exception=True)
def template(request):
    return _xlsx(imports.template_workbook(), "persons-import-template.xlsx")


@require_POST
@permission_required("people.import_persons", raise_exception=True)
def report(request):
    result, omitted = _unsign(request.POST.get("report", ""), request.user)
    return _xlsx(imports.report_workbook(result, omitted=omitted), "persons-import-report.xlsx")
