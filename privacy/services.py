"""Writing the personal-data access log."""

from audit.models import Action
from audit.services import audit_event, client_ip
from privacy.models import AccessKind, PersonalDataAccess


def access_log(
    *,
    user,
    kind: str,
    subject_type: str,
    fields: list[str],
    reason: str,
    subject_id: str = "",
    record_count: int = 1,
    query: str = "",
    request=None,
) -> PersonalDataAccess:
    return PersonalDataAccess.objects.create(
        user=user,
        kind=kind,
        subject_type=subject_type,
        subject_id=str(subject_id),
        record_count=record_count,
        fields=",".join(fields)[:200],
        reason=reason.strip()[:300],
        query=query[:500],
        ip_address=client_ip(request),
    )


def export_logged(
    request, *, subject_type: str, count: int, fields: list[str], reason: str, query: str, note: str
) -> None:
    """A list of personal data leaves the system as a file: one access-log row (who, what,
    why, which filter) and one audit entry, the pair every export writes."""
    access_log(
        user=request.user,
        kind=AccessKind.EXPORT,
        subject_type=subject_type,
        record_count=count,
        query=query,
        fields=fields,
        reason=str(reason),
        request=request,
    )
    audit_event(
        action=Action.EXPORT,
        username=request.user.username,
        actor=request.user,
        request=request,
        note=note[:300],
    )
