import datetime
import json

from django.contrib.auth.decorators import permission_required
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from audit import chain, selectors
from audit.models import Action
from audit.services import audit_event
from audit.verify import last_verification
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
    export = request.GET.get("format")
    if export in ("xlsx", "jsonl"):
        audit_event(
            action=Action.EXPORT,
            username=request.user.username,
            actor=request.user,
            request=request,
            note=f"audit log export: {request.GET.urlencode()}"[:300],
        )
        entries = entries.order_by("seq")
        return _jsonl(entries) if export == "jsonl" else _xlsx(entries)
    return render_list(
        request,
        "audit/entry_list.html",
        "audit/_entry_results.html",
        {
            "page": paginate(request, entries, 50),
            "actions": Action.choices,
            "query": query_without_page(request),
            "verification": last_verification(),
        },
    )


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _jsonl(entries):
    """One line per entry: exactly the hashed content plus entry_hash, so the file can be
    checked offline (verify_audit --jsonl FILE, with the chain key)."""
    lines = (_canonical({**chain.content(e), "entry_hash": e.entry_hash}) + "\n" for e in entries.iterator())
    response = StreamingHttpResponse(lines, content_type="application/jsonl; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.jsonl"'
    return response


def _xlsx(entries):
    return xlsx_response(
        filename="audit-log.xlsx",
        headers=[
            _("sequence number"),
            _("time"),
            _("account"),
            _("action"),
            _("record type"),
            _("record id"),
            _("record"),
            _("changes"),
            _("IP address"),
            _("note"),
            _("previous entry's hash"),
            _("entry hash"),
        ],
        rows=(
            [
                e.seq,
                chain.utc_iso(e.at),
                e.actor_username,
                e.get_action_display(),
                e.object_type,
                e.object_id,
                e.object_repr,
                _canonical(e.changes) if e.changes else "",
                e.ip_address or "",
                e.note,
                e.prev_hash,
                e.entry_hash,
            ]
            for e in entries.iterator()
        ),
    )
