from django.contrib.auth.decorators import permission_required
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_event
from core.exports import xlsx_response
from core.views import filter_query, paginate, render_list
from privacy import selectors
from privacy.forms import AccessFilterForm


@permission_required("privacy.view_access_log", raise_exception=True)
def access_list(request):
    form = AccessFilterForm(request.GET or None, subject_types=selectors.subject_types())
    entries = selectors.access_list(user=request.user, **form.selector_filters())
    if request.GET.get("format") == "xlsx" and not form.errors:
        return _export(request, entries)
    return render_list(
        request,
        "privacy/access_list.html",
        "privacy/_access_results.html",
        {"form": form, "page": paginate(request, entries, 50), "query": _filter_query(request)},
    )


def _filter_query(request) -> str:
    return filter_query(request)


def _export(request, entries):
    # Reading the log out of the system is itself an event the audit trail keeps.
    audit_event(
        action=Action.EXPORT,
        username=request.user.username,
        actor=request.user,
        request=request,
        note=f"personal-data access log export: {request.GET.urlencode()}"[:300],
    )
    return xlsx_response(
        filename="personal-data-access-log.xlsx",
        headers=[
            _("time"),
            _("account"),
            _("name"),
            _("kind"),
            _("record type"),
            _("record id"),
            _("records"),
            _("fields"),
            _("reason"),
            _("filters"),
            _("IP address"),
        ],
        rows=(
            [
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                e.user.username,
                e.user.display_name,
                e.get_kind_display(),
                e.subject_type,
                e.subject_id,
                e.record_count,
                e.fields,
                e.reason,
                e.query,
                e.ip_address or "",
            ]
            for e in entries.iterator(chunk_size=2000)
        ),
    )
