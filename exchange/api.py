"""The exchange API with the regional platform (§4.4.1).

GET exports the records of the caller's area in the exchange format, paginated, oldest
change first, so `?since=` with the time of the last run fetches what changed. POST
imports a JSON list (or `{"records": [...], "valid_only": true}`) and answers with the
report: 200 when it was written, 400 with the same report when nothing was written.
Exports need `exchange.export_data` (station head, district and city supervisors),
imports `exchange.import_data` (station head).
"""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from core import api as core_api
from core.api import error_body
from exchange import selectors, services
from exchange.api_schema import (
    ImportReportSerializer,
    ImportRequestSerializer,
    JobSeekerRecordSerializer,
    RejectedImportSerializer,
    VacancyRecordSerializer,
)
from network.api import query_unit
from people.models import Person
from vacancies.models import Status, Vacancy

BAD_SINCE = _("Give a date (2026-03-01) or a date and time (2026-03-01T08:00:00+08:00).")
REJECTED = _("Nothing was imported: some records have errors. See the report.")
BAD_VALID_ONLY = _("Give true or false.")


class _ExportImportPermission:
    # Reading exports needs one permission, writing (importing) another; core.api.IsStaffMember
    # reads `required_permission`. (A comment: docstrings become API descriptions.)

    @property
    def required_permission(self) -> str:
        return selectors.EXPORT if self.request.method in SAFE_METHODS else services.IMPORT


def query_since(request) -> datetime.datetime | None:
    raw = request.query_params.get("since", "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+")) if "T" in raw else None
        day = None if moment else parse_date(raw)
    except ValueError:
        moment = day = None
    if moment is None and day is not None:
        moment = datetime.datetime.combine(day, datetime.time.min)
    if moment is None or not 2000 <= moment.year <= 2100:
        raise ValidationError({"since": [BAD_SINCE]})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def query_flag(request, name: str) -> bool:
    """An absent flag is off."""
    return bool(core_api.query_flag(request, name))


def _import_body(request) -> tuple[object, bool]:
    data = request.data
    valid_only = False
    if isinstance(data, dict):
        valid_only = data.get("valid_only", False)
        if not isinstance(valid_only, bool):
            raise ValidationError({"valid_only": [BAD_VALID_ONLY]})
        data = data.get("records")
    return data, valid_only


def _report_response(report) -> Response:
    body = report.as_dict()
    if report.committed:
        return Response(body)
    errors: dict[str, list[str]] = {}
    for error in report.errors:
        key = f"records[{error.index}]" + (f".{error.field}" if error.field else "")
        errors.setdefault(key, []).append(error.message)
    rejected = error_body(code="import_rejected", message=REJECTED, errors=errors)
    return Response({**rejected, "report": body}, status=status.HTTP_400_BAD_REQUEST)


@extend_schema(
    parameters=[
        OpenApiParameter("since", str, description="Only records changed at or after this date or time"),
        OpenApiParameter("status", enum=Status.values),
    ]
)
class ExchangeVacancies(_ExportImportPermission, generics.ListAPIView):
    """Vacancies of your area in the exchange format (GET), or import a list of them (POST).

    Imports are idempotent by `external_id`. New vacancies start as drafts: they are
    published only after review here. Employers are matched by credit code, or
    registered when the record names them in full.
    """

    serializer_class = VacancyRecordSerializer
    queryset = Vacancy.objects.none()  # for the schema; rows come from get_queryset

    def get_queryset(self):
        value = core_api.query_choice(self.request, "status", Status.values)
        return selectors.vacancy_export_list(
            user=self.request.user, status=value, since=query_since(self.request)
        )

    @extend_schema(
        parameters=[],
        request=ImportRequestSerializer,
        responses={200: ImportReportSerializer, 400: RejectedImportSerializer},
    )
    def post(self, request):
        records, valid_only = _import_body(request)
        report = services.vacancies_import(
            acting_user=request.user, records=records, valid_only=valid_only, request=request
        )
        return _report_response(report)


@extend_schema(
    parameters=[
        OpenApiParameter("since", str, description="Only records changed at or after this date or time"),
        OpenApiParameter("unit", str, description="Org unit code; the unit and everything below it"),
        OpenApiParameter("key_group", str, description="Key-group category code (open memberships)"),
        OpenApiParameter("full", OpenApiTypes.BOOL, description="Full ID numbers and phones (station head)"),
        OpenApiParameter("reason", str, description="Why the full values are needed (required with full)"),
    ]
)
class ExchangeJobSeekers(_ExportImportPermission, generics.ListAPIView):
    """Job seekers of your area in the exchange format (GET), or import a list of them (POST).

    Exports are masked unless `full=true` (station heads, with a `reason`); every page
    exported is written to the personal-data access log. Full values for more persons than
    the bulk-export limit are refused (403 `export_approval_required`): they need a second
    person's approval, asked for and used on the export page. Imports carry the full ID
    number: a person already on file gets the `external_id` attached, no second file.
    """

    serializer_class = JobSeekerRecordSerializer
    queryset = Person.objects.none()  # for the schema

    def list(self, request, *args, **kwargs):
        full = query_flag(request, "full")
        unit = query_unit(request)
        key_group = request.query_params.get("key_group", "")[:40]
        persons = selectors.job_seeker_export_list(
            user=request.user, unit_code=unit, key_group=key_group, since=query_since(request), full=full
        )
        reason = request.query_params.get("reason", "")[:300]
        services.job_seekers_export_check(
            acting_user=request.user, full=full, reason=reason, count=persons.count() if full else None
        )
        page = self.paginate_queryset(persons)
        query = request.query_params.copy()
        query.pop("reason", None)
        records = services.job_seekers_export(
            acting_user=request.user,
            persons=page,
            full=full,
            reason=reason,
            query=query.urlencode(),
            request=request,
        )
        response = self.get_paginated_response(records)
        if full:
            response["Cache-Control"] = "no-store"  # full identifiers must not sit in any cache
        return response

    @extend_schema(
        parameters=[],
        request=ImportRequestSerializer,
        responses={200: ImportReportSerializer, 400: RejectedImportSerializer},
    )
    def post(self, request):
        records, valid_only = _import_body(request)
        report = services.job_seekers_import(
            acting_user=request.user, records=records, valid_only=valid_only, request=request
        )
        return _report_response(report)
