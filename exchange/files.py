"""Exchange files: reading an uploaded JSON or .xlsx list of records, writing exports.

A spreadsheet carries one record per row under a header row of the exchange keys;
nested keys are dotted (`employer.credit_code`) and lists are separated by `;`. An
exported sheet has the same header, so it can be imported again as it is.
"""

import datetime
import json

import python_calamine
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed
from core.exports import xlsx_response

NOT_JSON = _("This file is not valid JSON. Send a list of records (UTF-8).")
NOT_A_LIST = _("The file must hold a JSON list of records, or an object with a “records” list.")
NOT_READABLE = _("This file is neither a JSON list nor an Excel workbook (.xlsx).")
NO_HEADER = _("The first row of the sheet must name the fields (external_id, …).")


def _cell(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)  # numbers typed into a General cell: 540102002.0
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def _nest(flat: dict) -> dict:
    record: dict = {}
    for key, value in flat.items():
        if value in ("", None):
            continue  # a blank cell leaves the field out: it keeps its current value
        head, dot, rest = key.partition(".")
        if dot:
            record.setdefault(head, {})
            if isinstance(record[head], dict):
                record[head][rest] = value
        else:
            record[key] = value
    return record


def _read_xlsx(upload) -> tuple[list[dict], list[int]]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(upload)
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (python_calamine.CalamineError, ValueError, IndexError, OSError) as exc:
        raise ValidationFailed(errors={"file": [str(NOT_READABLE)]}) from exc
    if not rows:
        raise ValidationFailed(errors={"file": [str(NO_HEADER)]})
    header = [str(_cell(cell) or "") for cell in rows[0]]
    if "external_id" not in header:
        raise ValidationFailed(errors={"file": [str(NO_HEADER)]})
    records, numbers = [], []
    for number, row in enumerate(rows[1:], start=2):  # as Excel numbers the rows
        flat = {key: _cell(value) for key, value in zip(header, row, strict=False) if key}
        if any(value not in ("", None) for value in flat.values()):
            records.append(_nest(flat))
            numbers.append(number)
    return records, numbers


def _read_json(upload) -> list:
    try:
        data = json.loads(upload.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValidationFailed(errors={"file": [str(NOT_JSON)]}) from exc
    if isinstance(data, dict):
        data = data.get("records")
    if not isinstance(data, list):
        raise ValidationFailed(errors={"file": [str(NOT_A_LIST)]})
    return data


def read_records(upload) -> tuple[list, list[int] | None]:
    """The records of an uploaded file, and for a sheet the row number of each (None for JSON)."""
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head == b"PK\x03\x04":  # an .xlsx is a zip archive
        return _read_xlsx(upload)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{") or head.startswith(b"\xef\xbb\xbf"):
        return _read_json(upload), None
    raise ValidationFailed(errors={"file": [str(NOT_READABLE)]})


# --- writing --------------------------------------------------------------------------


def _flatten(record: dict, prefix: str = "") -> dict:
    flat: dict = {}
    for key, value in record.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        elif isinstance(value, list):
            flat[f"{prefix}{key}"] = ";".join(str(item) for item in value)
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def records_xlsx(records: list[dict], *, filename: str, columns) -> HttpResponse:
    flat = [_flatten(record) for record in records]
    return xlsx_response(
        filename=filename, headers=columns, rows=([row.get(key) for key in columns] for row in flat)
    )


def records_json(records: list[dict], *, filename: str) -> HttpResponse:
    body = json.dumps(records, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def flat_keys(record: dict) -> list[str]:
    return list(_flatten(record))
