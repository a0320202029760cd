"""The work panel on the person's file: open items with their actions, transfers, the transfer form."""

from django import template
from django.utils import timezone

from core.scope import unit_in_scope
from worklist import selectors
from worklist.actions import with_actions
from worklist.forms import TransferForm
from worklist.rules import VIEW

register = template.Library()


@register.inclusion_tag("worklist/_person_panel.html", takes_context=True)
def person_work_panel(context, person):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm(VIEW):
        return {"visible": False}
    today = timezone.localdate()
    items = with_actions(selectors.person_items(user=user, person=person))
    for item in items:
        item.state = selectors.item_state(item, today)
    may_transfer = user.has_perm("people.manage_person") and unit_in_scope(user, person.unit)
    return {
        "visible": True,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "person": person,
        "items": items,
        "transfers": list(selectors.person_transfers(user=user, person=person)),
        "form": TransferForm(person=person) if may_transfer else None,
    }
