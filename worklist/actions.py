"""The one-click action of each kind of work item: where the obligation is met.

Assistance and guidance pages hang off the person's file (its sections carry the
anchors below); recommendations and households have their own pages.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from households.models import ZeroEmploymentEpisode
from worklist.models import Kind, WorkItem


@dataclass(frozen=True)
class Action:
    label: object
    # Where on the person's file, for kinds met there.
    anchor: str = ""
    # A page of the person's own (by person id) that is the better place, where it exists.
    page: str = ""
    page_anchor: str = ""


ACTIONS = {
    Kind.FIRST_ASSISTANCE: Action(_("Record the first assistance"), "assistance"),
    Kind.FOLLOW_UP: Action(_("Record the follow-up visit"), "assistance"),
    Kind.FILE_CLOSURE: Action(_("Decide the closure"), "assistance"),
    Kind.MONTHLY_UPDATE: Action(_("Contact and update"), "contacts"),
    Kind.PLAN_REVIEW: Action(_("Review the plan"), "guidance", "guidance:person", "plans"),
    Kind.REPLAN: Action(_("Analyse again and re-plan"), "guidance", "guidance:person", "case"),
    Kind.PERSONAL_POLICY: Action(_("Draw up the plan"), "guidance", "guidance:person", "personal-policy"),
    Kind.RECOMMENDATION_STEP: Action(_("Open the recommendation")),
    Kind.HIRE_FOLLOW_UP: Action(_("Record the follow-up")),
    Kind.ZERO_EMPLOYMENT: Action(_("Open the household")),
    Kind.SUBJECT_REQUEST: Action(_("Answer the request")),
    Kind.EXPORT_APPROVAL: Action(_("Decide the export")),
}

# Kinds whose obligation is met on the page of their own record (source_id).
SOURCE_PAGES = {
    Kind.SUBJECT_REQUEST: "subjectrights:detail",
    Kind.EXPORT_APPROVAL: "privacy:export_approval_detail",
}


def _reverse(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def action_url(item: WorkItem, households: dict[int, int]) -> str:
    if item.kind in (Kind.RECOMMENDATION_STEP, Kind.HIRE_FOLLOW_UP):
        return _reverse("recommendations:card", item.source_id)
    if item.kind in SOURCE_PAGES:
        return _reverse(SOURCE_PAGES[item.kind], item.source_id)
    if item.kind == Kind.ZERO_EMPLOYMENT:
        household_id = households.get(item.source_id)
        return _reverse("households:household_detail", household_id) if household_id else ""
    if item.person_id is None:
        return ""
    action = ACTIONS.get(item.kind, Action(""))
    page = _reverse(action.page, item.person_id) if action.page else ""
    if page:
        return f"{page}#{action.page_anchor}" if action.page_anchor else page
    url = _reverse("people:person_detail", item.person_id)
    return f"{url}#{action.anchor}" if url and action.anchor else url


def with_actions(items) -> list[WorkItem]:
    """Each item gets `action_label` and `action_url` (households looked up in one query)."""
    items = list(items)
    episode_ids = [i.source_id for i in items if i.kind == Kind.ZERO_EMPLOYMENT]
    households = (
        dict(ZeroEmploymentEpisode.objects.filter(pk__in=episode_ids).values_list("pk", "household_id"))
        if episode_ids
        else {}
    )
    for item in items:
        action = ACTIONS.get(item.kind)
        item.action_label = action.label if action else _("Open")
        item.action_url = action_url(item, households)
    return items
