"""The "Data-subject requests" section of the person's file."""

from django import template
from django.utils import timezone

from subjectrights import selectors
from subjectrights.rules import RECORD, VIEW

register = template.Library()


@register.inclusion_tag("subjectrights/_person_requests.html", takes_context=True)
def person_subject_requests(context, person):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm(VIEW):
        return {"visible": False}
    today = timezone.localdate()
    requests = [
        selectors.annotate_state(r, today) for r in selectors.person_requests(user=user, person=person)
    ]
    return {"visible": True, "person": person, "requests": requests, "can_record": user.has_perm(RECORD)}
