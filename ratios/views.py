"""Pages of the ratios (§5.3): compliance per unit, the below-target worklist, the pipeline.

Every page filters by month and unit with a GET form (htmx swaps the results) and exports
to Excel. Every export is on the audit trail; the worklist names persons, so its export
is also written to the personal-data access log.
"""

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_event
from core.exports import export_refused, xlsx_response
from core.views import filter_query, paginate, query_without_page, render_list
from keygroups.selectors import category_names
from network.models import Level
from network.selectors import orgunit_choices
from notifications.selectors import month_bounds
from people.selectors import key_group_codes_by_person
from privacy.models import AccessKind
from privacy.services import access_log
from ratios import selectors
from ratios.forms import RatioFilterForm

PERMISSION = "ratios.view_ratios"
PER_PAGE = 50
# Key groups are looked up for this many persons at a time (one IN list per batch).
KEY_GROUP_BATCH = 5000


def _filters(request):
    today = timezone.localdate()
    # Villages are too many for a drop-down; a township or district covers them.
    units = orgunit_choices(user=request.user).exclude(level=Level.VILLAGE)
    form = RatioFilterForm(request.GET or None, units=units, today=today)
    filters = form.filters()
    return form, filters["month"], filters["unit_code"], selectors.reference_day(filters["month"], today)


def _targets() -> dict:
    return {
        "matched_target": settings.STANDARD["MATCHED_VACANCIES_PER_MONTH"],
        "pushed_target": settings.STANDARD["PUSHED_ITEMS_PER_MONTH"],
    }


def _wants_export(request) -> bool:
    return request.GET.get("format") == "xlsx"


def _refused(request, form, count: int, page: str):
    """A redirect back to the page (with a message) when the export must not run, else None."""
    if export_refused(request, count=count, filters_valid=not form.errors):
        return redirect(f"{reverse(page)}?{filter_query(request)}")
    return None


def _audit_export(request, what: str, count: int) -> None:
    audit_event(
        action=Action.EXPORT,
        username=request.user.username,
        actor=request.user,
        request=request,
        note=f"{what} ({count} rows): {filter_query(request)}"[:300],
    )


# --- compliance per unit ---------------------------------------------------------------


@permission_required(PERMISSION, raise_exception=True)
def compliance(request):
    form, month, unit_code, day = _filters(request)
    rows = selectors.ratio_summary(user=request.user, today=day, unit_code=unit_code)
    if _wants_export(request):
        return _compliance_export(request, form, rows, month)
    return render_list(
        request,
        "ratios/compliance.html",
        "ratios/_compliance_results.html",
        {
            "form": form,
            "page": paginate(request, rows[:-1], PER_PAGE),
            "total": rows[-1],
            "chart": selectors.share_chart(rows),
            "month": month,
            "query": query_without_page(request),
            **_targets(),
        },
    )


def _compliance_export(request, form, rows, month):
    refused = _refused(request, form, len(rows), "ratios:compliance")
    if refused:
        return refused
    _audit_export(request, f"ratios-{month:%Y-%m}.xlsx", len(rows))
    return xlsx_response(
        filename=f"ratios-{month:%Y-%m}.xlsx",
        headers=[
            _("unit code"),
            _("unit"),
            _("persons in key groups"),
            _("reach 1:5"),
            _("1:5 share (%)"),
            _("reach 1:4"),
            _("1:4 share (%)"),
            _("reach both"),
            _("both share (%)"),
        ],
        rows=(
            [
                row["unit_code"] if not row["is_total"] else _("total"),
                row["unit_name"],
                row["persons"],
                row["matched_ok"],
                row["matched_ok_share"],
                row["pushed_ok"],
                row["pushed_ok_share"],
                row["both_ok"],
                row["both_ok_share"],
            ]
            for row in rows
        ),
    )


# --- the below-target worklist ---------------------------------------------------------


def _key_groups(persons) -> None:
    names = category_names()
    for start in range(0, len(persons), KEY_GROUP_BATCH):
        batch = persons[start : start + KEY_GROUP_BATCH]
        codes = key_group_codes_by_person(p.pk for p in batch)
        for person in batch:
            person.key_groups = [names.get(code, code) for code in codes.get(person.pk, [])]


@permission_required(PERMISSION, raise_exception=True)
def below_target(request):
    form, month, unit_code, day = _filters(request)
    persons = selectors.ratio_rows(user=request.user, today=day, unit_code=unit_code, below_only=True)
    if _wants_export(request):
        return _below_target_export(request, form, persons, month)
    page = paginate(request, persons, PER_PAGE)
    page.object_list = list(page.object_list)
    _key_groups(page.object_list)
    return render_list(
        request,
        "ratios/below_target.html",
        "ratios/_below_target_results.html",
        {"form": form, "page": page, "month": month, "query": query_without_page(request), **_targets()},
    )


def _below_target_export(request, form, persons, month):
    refused = _refused(request, form, persons.count(), "ratios:below_target")
    if refused:
        return refused
    rows = list(persons.defer("id_number", "phone", "disability_details"))
    _key_groups(rows)
    filename = f"below-target-{month:%Y-%m}.xlsx"
    access_log(
        user=request.user,
        kind=AccessKind.EXPORT,
        subject_type="person",
        record_count=len(rows),
        fields=["name_zh", "name_bo", "id_number_masked", "phone_masked", "unit", "key_groups"],
        reason=_("Excel export of the persons below the 1:5 or 1:4 target"),
        query=filter_query(request),
        request=request,
    )
    _audit_export(request, filename, len(rows))
    targets = _targets()
    return xlsx_response(
        filename=filename,
        headers=[
            _("Chinese name"),
            _("Tibetan name"),
            _("resident ID number"),
            _("phone"),
            _("unit code"),
            _("unit"),
            _("key groups"),
            _("vacancies shown this month"),
            _("target (1:5)"),
            _("items pushed this month"),
            _("target (1:4)"),
        ],
        rows=(
            [
                p.name_zh,
                p.name_bo,
                p.id_number_masked,
                p.phone_masked,
                p.unit.code,
                p.unit.name,
                ", ".join(p.key_groups),
                p.matched,
                targets["matched_target"],
                p.pushed,
                targets["pushed_target"],
            ]
            for p in rows
        ),
    )


# --- the recommendation pipeline -------------------------------------------------------


@permission_required(PERMISSION, raise_exception=True)
def pipeline(request):
    form, month, unit_code, _day = _filters(request)
    start, end = month_bounds(month)
    rows = selectors.pipeline(user=request.user, month_start=start, month_end=end, unit_code=unit_code)
    if _wants_export(request):
        return _pipeline_export(request, form, rows, month)
    return render_list(
        request,
        "ratios/pipeline.html",
        "ratios/_pipeline_results.html",
        {
            "form": form,
            "page": paginate(request, rows[:-1], PER_PAGE),
            "total": rows[-1],
            "states": selectors.PIPELINE_STATES,
            "chart": selectors.pipeline_chart(rows),
            "month": month,
            "query": query_without_page(request),
        },
    )


def _pipeline_export(request, form, rows, month):
    refused = _refused(request, form, len(rows), "ratios:pipeline")
    if refused:
        return refused
    filename = f"pipeline-{month:%Y-%m}.xlsx"
    _audit_export(request, filename, len(rows))
    return xlsx_response(
        filename=filename,
        headers=[
            _("unit code"),
            _("unit"),
            _("recommendations matched"),
            *[str(state.label) for state in selectors.PIPELINE_STATES],
            _("ever shown"),
            _("ever referred"),
            _("hired"),
            _("hired per recommendation shown (%)"),
        ],
        rows=(
            [
                row["unit_code"] if not row["is_total"] else _("total"),
                row["unit_name"],
                row["total"],
                *row["state_counts"],
                row["shown"],
                row["referred"],
                row["hired"],
                "" if row["hire_rate"] is None else row["hire_rate"],
            ]
            for row in rows
        ),
    )
