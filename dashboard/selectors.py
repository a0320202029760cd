"""What the dashboard shows: real counts from the user's own subtree."""

import datetime

from django.db.models import Count

from accounts.models import User
from accounts.selectors import staff_count
from assistance.selectors import coverage_overview
from core.scope import scoped
from households.models import Household
from keygroups.models import Category, Membership
from network.models import OrgUnit
from network.selectors import orgunit_counts_by_level, service_point_list, upcoming_visits
from people.models import Person
from people.selectors import in_any_key_group, update_worklist
from ratios.selectors import ratio_overview
from workcalendar.selectors import missing_schedules, region_for_unit
from worklist.selectors import my_counts


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
    if user.has_perm("people.view_person"):
        summary["register"] = register_summary(user=user, today=today)
        summary["key_group_chart"] = key_group_members_by_category(user=user)
    if user.has_perm("ratios.view_ratios"):
        summary["ratios"] = ratio_overview(user=user, today=today)
    if user.has_perm("assistance.view_coverage"):
        summary["assistance"] = coverage_overview(user=user, today=today)
    if user.has_perm("worklist.view_own"):
        summary["work"] = my_counts(user=user, today=today)
    return summary


def register_summary(*, user, today: datetime.date) -> dict:
    """The workers' register at a glance, for the user's own subtree."""
    persons = scoped(Person.objects.all(), user)
    households = scoped(Household.objects.filter(zero_employment=True), user)
    return {
        "persons": persons.count(),
        "key_group_members": persons.filter(in_any_key_group()).count(),
        "unreachable": persons.filter(unreachable_since__isnull=False).count(),
        "zero_employment_open": households.count(),
        "zero_employment_overdue": households.filter(clearance_due__lt=today).count(),
        "updates_overdue": update_worklist(user=user, today=today).count(),
    }


def key_group_members_by_category(*, user) -> list[dict]:
    """Open memberships per category in the user's subtree: the supervisor's second chart."""
    counts = dict(
        scoped(Membership.objects.filter(ended_on__isnull=True), user)
        .values_list("category_id")
        .annotate(total=Count("id"))
        .values_list("category_id", "total")
    )
    return [
        {"code": c.code, "name": c.name, "value": counts.get(c.id, 0)}
        for c in Category.objects.filter(is_active=True).order_by("order", "code")
    ]


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
            "value": staff.filter(unit__path__startswith=child.path).count(),
        }
        for child in children
    ]
