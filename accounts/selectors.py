from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from core.scope import get_scoped_or_404, scoped


def staff_list(
    *, user, role: str = "", unit_code: str = "", q: str = "", active: bool | None = None
) -> QuerySet:
    if not user.has_perm("accounts.view_staff"):
        raise PermissionDenied
    staff = scoped(User.objects.select_related("unit"), user)
    if role:
        staff = staff.filter(role=role)
    if unit_code:
        staff = staff.filter(unit__path__contains=f"{unit_code}/")
    if q:
        staff = staff.filter(Q(username__icontains=q) | Q(name_zh__icontains=q) | Q(name_bo__icontains=q))
    if active is not None:
        staff = staff.filter(is_active=active)
    return staff


def staff_get(*, user, pk) -> User:
    if not user.has_perm("accounts.view_staff"):
        raise PermissionDenied
    return get_scoped_or_404(User.objects.select_related("unit"), user, pk=pk)


def staff_count(*, user) -> int:
    return scoped(User.objects.filter(is_active=True).exclude(role=""), user).count()


def password_expired(user) -> bool:
    """Older than PASSWORD_MAX_AGE_DAYS, or an initial password an administrator chose
    (no change date yet): either way the user must choose a new one before working."""
    if not user.is_authenticated or not user.has_usable_password():
        return False
    changed = user.password_changed_at
    return changed is None or changed < timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
