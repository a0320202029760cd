"""Writing the personal-data access log."""

from audit.services import client_ip
from privacy.models import PersonalDataAccess


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
