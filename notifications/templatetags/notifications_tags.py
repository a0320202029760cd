"""Template pieces other apps' pages include: a person's pushes, the unread-notice count."""

from django import template
from django.conf import settings
from django.utils import timezone

from notifications import selectors
from notifications.forms import PushForm

register = template.Library()

SHOWN_PUSHES = 30


@register.inclusion_tag("notifications/_person_pushes.html", takes_context=True)
def person_pushes(context, person):
    """The "Pushes" section of the person's file. A bound form with errors, if the page
    was re-rendered after a refused push, comes in the context as `push_form`."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("notifications.view_push"):
        return {"visible": False}
    pushes = selectors.push_list_for_person(user=user, person=person)
    return {
        "visible": True,
        "person": person,
        "pushes": selectors.attach_item_titles(pushes[:SHOWN_PUSHES]),
        "push_count": pushes.count(),
        "this_month": selectors.pushes_this_month(person=person, today=timezone.localdate()),
        "target": settings.STANDARD["PUSHED_ITEMS_PER_MONTH"],
        "can_push": user.has_perm("notifications.push_item"),
        "push_form": context.get("push_form") or PushForm(),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def unread_notices(context) -> int:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    return selectors.unread_notice_count(user=request.user)
