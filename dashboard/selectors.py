"""What the dashboard shows: real counts from the user's own subtree."""

import datetime

from accounts.selectors import staff_count
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
    return summary
