"""The retention page: the job's runs and their counts, the pending notices (masked names)
with their Excel export, and a button that runs a dry run now."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exports import export_refused, xlsx_response
from core.masking import masked_name
from core.views import paginate, render_list
from network.models import OrgUnit
from privacy.services import export_logged
from retention import selectors
from retention.rules import RUN, VIEW_NAMES, VIEW_RUNS
from retention.services import retention_run

RUNS_PER_PAGE = 20
NOTICES_SHOWN = 50


@login_required
@permission_required(VIEW_RUNS, raise_exception=True)
def retention_overview(request):
    notices = selectors.pending_notices_for_page(user=request.user)
    names = request.user.has_perm(VIEW_NAMES)
    if request.GET.get("format") == "xlsx":
        return _export(request, notices, names=names)
    shown = [(notice, masked_name(notice.person) if names else "") for notice in notices[:NOTICES_SHOWN]]
    page = paginate(request, selectors.runs_for_page(user=request.user), RUNS_PER_PAGE)
    _name_districts(page)
    return render_list(
        request,
        "retention/overview.html",
        "retention/_runs.html",
        {
            "page": page,
            "query": "",
            "notices": shown,
            "show_names": names,
            "notice_count": notices.count(),
            "settings_months": settings.PRIVACY["RETENTION_INACTIVE_MONTHS"],
            "settings_days": settings.PRIVACY["RETENTION_GRACE_DAYS"],
        },
    )


def _name_districts(page) -> None:
    """Each run's per-district counts as (district name, counts) rows, for the table."""
    codes = {code for run in page for code in run.counts.get("by_district", {})}
    names = {unit.code: unit.name for unit in OrgUnit.objects.filter(code__in=codes)}
    for run in page:
        run.districts = [
            (names.get(code, code), counts)
            for code, counts in sorted(run.counts.get("by_district", {}).items())
        ]


def _export(request, notices, *, names: bool):
    count = notices.count()
    if export_refused(request, count=count):
        return redirect("retention:overview")
    export_logged(
        request,
        subject_type="retention_notice",
        count=count,
        fields=[*(["name (masked)"] if names else []), "unit", "marked_on", "due_on"],
        reason=_("Excel export of persons marked for anonymisation"),
        query="",
        note=f"retention-notices.xlsx ({count} rows)",
    )
    return xlsx_response(
        filename="retention-notices.xlsx",
        headers=[
            _("file number"),
            *([_("name")] if names else []),
            _("file held by"),
            _("marked"),
            _("anonymised from"),
        ],
        rows=(
            [
                n.person_id,
                *([masked_name(n.person)] if names else []),
                n.person.unit.name,
                n.marked_on,
                n.due_on,
            ]
            for n in notices.iterator(chunk_size=1000)
        ),
    )


@login_required
@permission_required(RUN, raise_exception=True)
@require_POST
def dry_run_now(request):
    run = retention_run(dry_run=True, started_by=request.user)
    counts = run.counts
    messages.success(
        request,
        _("Dry run done: %(mark)s would be marked, %(anonymise)s anonymised, %(cancel)s notices cancelled.")
        % {"mark": counts["mark"], "anonymise": counts["anonymise"], "cancel": counts["cancel"]},
    )
    return redirect("retention:overview")
