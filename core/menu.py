"""The main menu as data: groups of entries, each shown only to users holding its permission.

One list instead of forty hand-written template lines, so an entry is added in one place
and the grouping stays visible. The groups follow a counsellor's day: today's work, the
people served, the help given to them, the employers' side, the figures, the data
exchanged with the regional platform, personal-information duties, and administration.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: object
    # None: every signed-in user.
    permission: str | None = None
    # Shows the user's unread notices beside the label.
    unread_badge: bool = False


@dataclass(frozen=True)
class Group:
    key: str
    label: object
    entries: tuple[Entry, ...]


RECOMMENDATIONS = "recommendations.view_recommendation"
EXPORT_APPROVALS = "privacy.view_export_approvals"

MENU: tuple[Group, ...] = (
    Group(
        "today",
        _("Today"),
        (
            Entry("dashboard:home", _("Dashboard"), "dashboard.view"),
            Entry("worklist:my_work", _("My work today"), "worklist.view_own"),
            Entry("worklist:unit", _("The unit's worklist"), "worklist.view_unit"),
            Entry("notifications:notice_list", _("My notices"), unread_badge=True),
        ),
    ),
    Group(
        "people",
        _("Job seekers"),
        (
            Entry("people:person_list", _("Workers' register"), "people.view_person"),
            Entry("households:household_list", _("Households"), "people.view_person"),
            Entry("worklists:update_overdue", _("Monthly updates due"), "people.view_person"),
            Entry("registrations:proposal_list", _("Closure proposals"), "registrations.decide_closure"),
            Entry("people_import:upload", _("Import from Excel"), "people.import_persons"),
            Entry("keygroups:category_list", _("Key-group categories"), "keygroups.view_categories"),
        ),
    ),
    Group(
        "services",
        _("Services and assistance"),
        (
            Entry("recommendations:list", _("Recommendations"), RECOMMENDATIONS),
            Entry("recommendations:overdue", _("Overdue recommendations"), RECOMMENDATIONS),
            Entry("servicerecords:list", _("Services"), "servicerecords.view_servicerecord"),
            Entry("assistance:list", _("Assistance files"), "assistance.view_file"),
            Entry("assistance:closures", _("Closures to decide"), "assistance.decide_closure"),
            Entry("assistance:coverage", _("Assistance coverage"), "assistance.view_coverage"),
            Entry(
                "guidance:personal_policy_missing",
                _("Personal policy plans missing (一人一策)"),
                "guidance.view_guidance",
            ),
            Entry("guidance:programme_list", _("Preventive guidance programmes"), "guidance.view_programme"),
        ),
    ),
    Group(
        "jobs",
        _("Employers and jobs"),
        (
            Entry("employers:employer_list", _("Employers"), "employers.view_employer"),
            Entry("employers:key_directory", _("Key-enterprise directory"), "employers.view_employer"),
            Entry("vacancies:vacancy_list", _("Vacancies"), "vacancies.view_vacancy"),
            Entry("vacancies:review_queue", _("Vacancies to review"), "vacancies.review_vacancy"),
            Entry("training:course_list", _("Training courses"), "training.view_course"),
            Entry("training:provider_list", _("Training providers"), "training.view_provider"),
        ),
    ),
    Group(
        "figures",
        _("Figures"),
        (
            Entry("ratios:compliance", _("Service ratios (1:5 and 1:4)"), "ratios.view_ratios"),
            Entry("notifications:push_ratio", _("Pushes per person (1:4)"), "notifications.view_push_ratio"),
        ),
    ),
    Group(
        "exchange",
        _("Regional platform"),
        (
            Entry("exchange:import", _("Import from the regional platform"), "exchange.import_data"),
            Entry("exchange:export", _("Export for the regional platform"), "exchange.export_data"),
            Entry("exchange:intake", _("Information collection log"), "exchange.view_intake"),
        ),
    ),
    Group(
        "privacy",
        _("Personal information"),
        (
            Entry("privacy:access_list", _("Personal-data access log"), "privacy.view_access_log"),
            Entry("subjectrights:list", _("Data-subject requests"), "subjectrights.view_request"),
            Entry("privacy:export_approval_list", _("Bulk export approvals"), EXPORT_APPROVALS),
            Entry("retention:overview", _("Retention and anonymisation"), "retention.view_runs"),
        ),
    ),
    Group(
        "admin",
        _("Administration"),
        (
            Entry("network:unit_list", _("Service network"), "network.view_orgunit"),
            Entry("network:point_list", _("Mobile points and roving teams"), "network.view_servicepoint"),
            Entry("accounts:staff_list", _("Staff"), "accounts.view_staff"),
            Entry("servicerecords:type_list", _("Service types"), "servicerecords.manage_servicetype"),
            Entry("occupations:occupation_list", _("Occupations"), "occupations.view"),
            Entry("workcalendar:day_list", _("Working-day calendar"), "workcalendar.view_days"),
            Entry("audit:entry_list", _("Audit trail"), "audit.view_log"),
            Entry("accounts:profile", _("My account")),
        ),
    ),
)


def menu_for(user, path: str) -> list[dict]:
    """The groups this user sees, each with the entries they may open (empty groups left out)."""
    groups = []
    for group in MENU:
        entries = []
        for entry in group.entries:
            if entry.permission is not None and not user.has_perm(entry.permission):
                continue
            url = reverse(entry.url_name)
            entries.append(
                {"url": url, "label": entry.label, "current": path == url, "unread_badge": entry.unread_badge}
            )
        if entries:
            groups.append({"key": group.key, "label": group.label, "entries": entries})
    return groups
