"""The ratio card on the person's file: this month's 1:5 and 1:4 counts against the targets."""

from django import template
from django.conf import settings
from django.utils import timezone

from notifications.selectors import pushes_this_month
from ratios.selectors import PERMISSION, in_key_group_this_month, matched_this_month

register = template.Library()


@register.inclusion_tag("ratios/_ratio_card.html", takes_context=True)
def ratio_card(context, person):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm(PERMISSION):
        return {"visible": False}
    today = timezone.localdate()
    matched_target = settings.STANDARD["MATCHED_VACANCIES_PER_MONTH"]
    pushed_target = settings.STANDARD["PUSHED_ITEMS_PER_MONTH"]
    matched = matched_this_month(person=person, today=today)
    pushed = pushes_this_month(person=person, today=today)
    return {
        "visible": True,
        "month": today,
        # The targets bind persons in a key group only; for others the counts are shown plainly.
        "in_key_group": in_key_group_this_month(person=person, today=today),
        "matched": matched,
        "matched_target": matched_target,
        "matched_below": matched < matched_target,
        "pushed": pushed,
        "pushed_target": pushed_target,
        "pushed_below": pushed < pushed_target,
    }
