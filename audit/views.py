import datetime

from django.contrib.auth.decorators import permission_required
from django.utils.translation import gettext as _

from audit import selectors
from audit.models import Action
from audit.services import audit_event
from core.exports import xlsx_response
from core.views import paginate, query_without_page, render_list


def _date(value: str):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@permission_required("audit.view_log", raise_exception=True)
def entry_list(request):
    action = request.GET.get("action", "")
    entries = selectors.audit_entry_list(
        user=request.user,
        action=action if action in Action.values else "",
        username=request.GET.get("username", "")[:150],
        object_type=request.GET.get("object_type", "")[:100],
        date_from=_date(request.GET.get("from", "")),
        date_to=_date(request.GET.get("to", "")),
    )
    if request.GET.get("format") == "xlsx":
        audit_event(
            action=Action.EXPORT,
            username=request.user.username,
            actor=request.user,
            request=request,
            note=f"audit log export: {request.GET.urlencode()}"[:300],
        )
        return xlsx_response(
            filename="audit-log.xlsx",
            headers=[
                _("time"),
                _("account"),
                _("action"),
                _("record type"),
                _("record id"),
                _("record"),
                _("changes"),
                _("IP address"),
                _("note"),
            ],
            rows=(
                [
                    e.at.isoformat(),
                    e.actor_username,
                    e.get_action_display(),
                    e.object_type,
                    e.object_id,
                    e.object_repr,
                    str(e.changes) if e.changes else "",
                    e.ip_address or "",
                    e.note,
                ]
                for e in entries.iterator()
            ),
        )
    return render_list(
        request,
        "audit/entry_list.html",
        "audit/_entry_results.html",
        {
            "page": paginate(request, entries, 50),
            "actions": Action.choices,
            "query": query_without_page(request),
        },
    )
