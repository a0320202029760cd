"""What the dashboard shows: real counts from the user's own subtree."""

import datetime

from accounts.models import User
from accounts.selectors import staff_count
from core.scope import scoped
from network.models import OrgUnit
from network.selectors import orgunit_counts_by_level, service_point_list, upcoming_visits
from workcalendar.selectors import missing_schedules, region_for_unit


def dashboard_summary(*, user, today: datetime.date) -> dict:
    summary = {
        "units": orgunit_counts_by_level(user=user),
        "staff": staff_count(user=user),
        "missing_schedules": missing_schedules(today=today, region=region_for_unit(user.unit)),
    }
    if user.has_perm("network.view_servicepoint"):
        summary["service_points"] = service_point_list(user=user, active_only=True).count()
        summary["visits"] = list(upcoming_visits(user=user, today=today, days=7)[:10])
    if user.has_perm("accounts.view_staff"):
        summary["staff_chart"] = staff_by_child_unit(user=user)
    return summary


def staff_by_child_unit(*, user) -> list[dict]:
    """Active staff under each unit directly below the user's own: the supervisor's chart."""
    if user.unit is None:
        return []
    children = scoped(OrgUnit.objects.filter(parent=user.unit, is_active=True), user)
    staff = scoped(User.objects.filter(is_active=True).exclude(role=""), user)
    return [
        {
            "code": child.code,
            "name": child.name,
            "staff": staff.filter(unit__path__startswith=child.path).count(),
        }
        for child in children
    ]
