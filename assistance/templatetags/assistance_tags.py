"""The "Assistance" section of the person's file: the file, its dates, measures, services
and the actions the viewer may take now."""

from django import template
from django.utils import timezone

from assistance import selectors
from assistance.forms import ClosureDecideForm, ClosureProposeForm, FileOpenForm, MeasureAddForm
from assistance.models import FileStatus
from assistance.rules import DECIDE_CLOSURE, MANAGE, VIEW
from people.selectors import open_key_groups

register = template.Library()

# The service form opens with this type preselected: a first contact, then follow-ups.
FIRST_ASSISTANCE_TYPE = "home_visit"
FOLLOW_UP_TYPE = "follow_up_visit"


@register.inclusion_tag("assistance/_person_assistance.html", takes_context=True)
def person_assistance(context, person):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm(VIEW):
        return {"visible": False}
    today = timezone.localdate()
    files = [selectors.annotate_state(f, today) for f in selectors.person_files(user=user, person=person)]
    current = files[0] if files and files[0].status != FileStatus.CLOSED else None
    past = files[1:] if current else files
    can_manage = user.has_perm(MANAGE)
    memberships = open_key_groups(person) if can_manage and current is None else []
    result = {
        "visible": True,
        "person": person,
        "file": current,
        "past": past,
        "today": today,
        "can_manage": can_manage,
        "open_form": FileOpenForm(memberships=memberships) if memberships else None,
    }
    if current is not None:
        result.update(_current(user, current, can_manage))
    return result


def _current(user, file, can_manage: bool) -> dict:
    return {
        "measures": list(file.measures.all()),
        "services": list(file.services.select_related("service_type", "staff").order_by("on", "id")),
        "assist_type": FOLLOW_UP_TYPE if file.first_assistance_on else FIRST_ASSISTANCE_TYPE,
        "propose_form": (
            ClosureProposeForm(initial={"version": file.version})
            if can_manage and file.status == FileStatus.OPEN
            else None
        ),
        "measure_add_form": MeasureAddForm() if can_manage else None,
        "decide_form": (
            ClosureDecideForm(initial={"version": file.version})
            if user.has_perm(DECIDE_CLOSURE)
            and file.status == FileStatus.CLOSING
            and file.proposed_by_id != user.pk
            else None
        ),
    }
