"""Excel exports. Every export is written to the audit trail by the caller's service."""

import io
from collections.abc import Iterable, Sequence

from django.contrib import messages
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# One spreadsheet stays usable (and one request stays short) up to this many rows.
EXPORT_MAX_ROWS = 50_000
INVALID_FILTERS = _("Correct the filters before exporting.")
TOO_MANY_ROWS = _(
    "%(count)s records match; an export holds at most %(cap)s. Narrow the filters and try again."
)


def export_refused(request, *, count: int, filters_valid: bool = True, cap: int | None = None) -> bool:
    """True, with a message for the user, when an export must not run.

    An invalid filter is refused rather than dropped, so an export never holds more
    than the user asked for.
    """
    cap = EXPORT_MAX_ROWS if cap is None else cap
    if not filters_valid:
        messages.error(request, INVALID_FILTERS)
        return True
    if count > cap:
        messages.error(request, TOO_MANY_ROWS % {"count": count, "cap": cap})
        return True
    return False


def _safe(value):
    # A cell that starts with = + - @ would run as a formula in Excel (CSV/formula injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def xlsx_response(*, filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(value) for value in row])
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
