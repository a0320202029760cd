"""The "Services" section of the person's file: the services in time order and the form."""

from django import template
from django.urls import reverse

from servicerecords import selectors
from servicerecords.forms import ServiceRecordForm
from servicerecords.rules import RECORD, VIEW

register = template.Library()


@register.inclusion_tag("servicerecords/_person_services.html", takes_context=True)
def person_services(context, person):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm(VIEW):
        return {"visible": False}
    records, total = selectors.person_services(user=user, person=person)
    can_record = user.has_perm(RECORD)
    return {
        "visible": True,
        "person": person,
        "records": records,
        "total": total,
        "all_url": f"{reverse('servicerecords:list')}?person={person.pk}",
        "can_record": can_record,
        "form": ServiceRecordForm(types=selectors.service_types(user=user)) if can_record else None,
        "user": user,
    }
