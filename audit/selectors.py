from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry


def audit_entry_list(
    *, user, action: str = "", username: str = "", object_type: str = "", date_from=None, date_to=None
):
    """The trail is readable by the audit administrator only, city-wide."""
    if not user.has_perm("audit.view_log"):
        raise PermissionDenied
    entries = AuditEntry.objects.all()
    if action:
        entries = entries.filter(action=action)
    if username:
        entries = entries.filter(actor_username__icontains=username)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries
