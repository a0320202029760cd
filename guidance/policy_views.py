"""一人一策 (§5.4.3): the long-term unemployed persons of the area without a current plan,
per unit, with a masked, logged Excel export."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import export_refused, xlsx_response
from core.views import filter_query, paginate, render_list
from guidance import selectors
from guidance.forms import UnitFilterForm
from guidance.policy_services import crossing_date
from guidance.rules import VIEW
from network.selectors import orgunit_choices
from privacy.services import export_logged
from worklist.models import Kind as ItemKind
from worklist.models import WorkItem

MASKED_EXPORT_REASON = "personal policy plans missing, export (masked)"


def _task_due(persons) -> dict[int, object]:
    rows = WorkItem.objects.filter(
        kind=ItemKind.PERSONAL_POLICY,
        person_id__in=[p.pk for p in persons],
        done_on__isnull=True,
        cancelled_on__isnull=True,
    ).values_list("person_id", "due_on")
    return dict(rows)


@permission_required(VIEW, raise_exception=True)
def missing_list(request):
    form = UnitFilterForm(request.GET or None, units=orgunit_choices(user=request.user))
    unit_code = form.cleaned_data["unit"] if form.is_valid() else ""
    today = timezone.localdate()
    persons = selectors.personal_policy_missing(user=request.user, today=today, unit_code=unit_code)
    query = filter_query(request)
    if request.GET.get("format") == "xlsx":
        return _export(request, persons, query, filters_valid=not form.errors)
    page = paginate(request, persons)
    due = _task_due(page)
    for person in page:
        person.long_term_since = crossing_date(person.unemployed_since)
        person.task_due = due.get(person.pk)
        person.task_overdue = bool(person.task_due and person.task_due < today)
    return render_list(
        request,
        "guidance/personal_policy_missing.html",
        "guidance/_personal_policy_results.html",
        {"form": form, "page": page, "query": query, "count": page.paginator.count},
    )


def _export(request, persons, query: str, *, filters_valid: bool):
    back = f"{reverse('guidance:personal_policy_missing')}?{query}"
    count = persons.count()
    if export_refused(request, count=count, filters_valid=filters_valid):
        return redirect(back)
    # The encrypted columns are not even read: the export is masked.
    persons = persons.defer("id_number", "phone", "disability_details")
    export_logged(
        request,
        subject_type="person",
        count=count,
        fields=["name_zh", "name_bo", "id_number_masked", "unit", "unemployed_since"],
        reason=MASKED_EXPORT_REASON,
        query=query,
        note=f"personal-policy-missing.xlsx {count} rows {query}",
    )
    rows = list(persons.iterator(chunk_size=2000))
    due = _task_due(rows)
    return xlsx_response(
        filename="personal-policy-missing.xlsx",
        headers=[
            _("id"),
            _("Chinese name"),
            _("Tibetan name"),
            _("resident ID number"),
            _("unit code"),
            _("unit"),
            _("unemployed since"),
            _("long-term unemployed since"),
            _("plan due"),
        ],
        rows=(
            [
                p.pk,
                p.name_zh,
                p.name_bo,
                p.id_number_masked,
                p.unit.code,
                p.unit.name_zh,
                p.unemployed_since,
                crossing_date(p.unemployed_since),
                due.get(p.pk),
            ]
            for p in rows
        ),
    )
