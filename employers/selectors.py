"""Reads of employers and the key-enterprise directory, always through the shared scope."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from core.scope import get_scoped_or_404, scoped
from employers.models import Employer, EmployerAccount, KeyEnterpriseFlag

READ = "employers.view_employer"


def _require(user, perm: str = READ) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def open_flag_exists() -> Exists:
    return Exists(KeyEnterpriseFlag.objects.filter(employer=OuterRef("pk"), ended_on__isnull=True))


def _with_flag(employers: QuerySet) -> QuerySet:
    # `is_key_enterprise` is computed in the query, so lists and the API read it without extra queries.
    return employers.select_related("industry", "industry__parent", "unit").annotate(
        is_key_enterprise=open_flag_exists()
    )


def search_filter(q: str) -> Q:
    """Names in either script, the credit code (or its start) or the regional platform id."""
    q = q.strip()
    code = q.upper().replace(" ", "")
    match = Q(name_zh__icontains=q) | Q(name_bo__contains=q.strip("་། ") or q)
    if code.isalnum() and code.isascii() and len(code) >= 4:
        match |= Q(credit_code__startswith=code)
    match |= Q(external_id=q)
    return match


def employer_list(
    *,
    user,
    q: str = "",
    industry: str = "",
    unit_code: str = "",
    key_enterprise: bool | None = None,
) -> QuerySet:
    """Employers in the user's area. `industry` is a division code ("47") or a section letter ("E")."""
    _require(user)
    employers = _with_flag(scoped(Employer.objects.all(), user))
    if q:
        employers = employers.filter(search_filter(q[:60]))
    if industry:
        if industry.isalpha():
            employers = employers.filter(industry__parent__code=industry)
        else:
            employers = employers.filter(industry__code=industry)
    if unit_code:
        employers = employers.filter(unit__path__contains=f"{unit_code}/")
    if key_enterprise is not None:
        employers = employers.filter(is_key_enterprise=key_enterprise)
    return employers


def employer_get(*, user, pk) -> Employer:
    _require(user)
    return get_scoped_or_404(_with_flag(Employer.objects.all()), user, pk=pk)


def key_enterprise_history(employer: Employer) -> QuerySet:
    """Every listing of one employer, open first, then newest first (the history is kept)."""
    return employer.key_flags.select_related("unit", "flagged_by").order_by(
        F("ended_on").desc(nulls_first=True), "-flagged_on", "-id"
    )


def key_enterprise_directory(*, user, unit_code: str = "") -> QuerySet:
    """Open listings (§5.11 重点企业名录) of employers in the user's area, with reason and date."""
    _require(user)
    flags = scoped(KeyEnterpriseFlag.objects.filter(ended_on__isnull=True), user).select_related(
        "employer", "employer__industry", "employer__unit", "unit", "flagged_by"
    )
    if unit_code:
        flags = flags.filter(employer__unit__path__contains=f"{unit_code}/")
    return flags.order_by("employer__unit__path", "-flagged_on", "employer__name_zh")


def employer_accounts(employer: Employer) -> QuerySet:
    return EmployerAccount.objects.filter(employer=employer).select_related("user").order_by("user__username")


def employer_for_account(user) -> Employer | None:
    """The employer a self-service account acts for, or None (staff, or no link)."""
    account = getattr(user, "employer_account", None)
    return account.employer if account is not None else None
