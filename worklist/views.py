"""Worklist pages: "my work today" for counsellors, the unit's list with bulk reassignment
and a masked export for station heads (supervisors read-only), and the transfer form."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import ConcurrentEdit, DomainError
from core.exports import export_refused, xlsx_response
from core.scope import unit_in_scope
from core.views import apply_domain_error, filter_query, paginate, render_list
from network.models import Level
from network.selectors import orgunit_choices
from people import selectors as people_selectors
from people.services import person_transfer
from privacy.services import export_logged
from worklist import selectors, services
from worklist.actions import with_actions
from worklist.forms import ReassignForm, TransferForm, UnitFilterForm
from worklist.rules import EXPORT, OWN, REASSIGN, TAKE, VIEW_UNIT

MASKED_EXPORT_REASON = "work item list export (masked)"


@permission_required(OWN, raise_exception=True)
def my_work(request):
    today = timezone.localdate()
    groups = selectors.my_work(user=request.user, today=today)
    for items in groups.values():
        with_actions(items)
    return render(
        request,
        "worklist/my_work.html",
        {"groups": groups, "today": today, "total": sum(len(items) for items in groups.values())},
    )


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@require_POST
@permission_required(TAKE, raise_exception=True)
def take(request, pk):
    item = selectors.item_get(user=request.user, pk=pk)
    back = _back(request, reverse("worklist:my_work"))
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, _("The form was not understood. Reload the page and try again."))
        return redirect(back)
    try:
        services.work_item_take(acting_user=request.user, item=item, version=version, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The work item is now yours."))
    return redirect(back)


# --- the unit's list --------------------------------------------------------------------------


def _unit_forms(request, data=None):
    staff = list(selectors.assignable_staff(user=request.user).select_related("unit"))
    units = orgunit_choices(user=request.user).filter(
        level__in=[Level.DISTRICT, Level.TOWNSHIP, Level.VILLAGE]
    )
    return UnitFilterForm(request.GET or None, staff=staff, units=units), staff


@permission_required(VIEW_UNIT, raise_exception=True)
def unit(request):
    today = timezone.localdate()
    form, staff = _unit_forms(request)
    items = selectors.unit_items(user=request.user, today=today, **form.filters())
    if request.GET.get("format") == "xlsx":
        return _export(request, items, today=today, filters_valid=not form.errors)
    page = paginate(request, items, 50)
    page.object_list = with_actions(page.object_list)
    for item in page.object_list:
        item.state = selectors.item_state(item, today)
        item.days_overdue = max(0, (today - item.due_on).days)
    can_reassign = request.user.has_perm(REASSIGN)
    return render_list(
        request,
        "worklist/unit.html",
        "worklist/_unit_results.html",
        {
            "form": form,
            "page": page,
            "today": today,
            "query": filter_query(request),
            "can_reassign": can_reassign,
            "can_export": request.user.has_perm(EXPORT),
            "reassign_form": ReassignForm(staff=staff) if can_reassign else None,
        },
    )


@require_POST
@permission_required(REASSIGN, raise_exception=True)
def reassign(request):
    staff = list(selectors.assignable_staff(user=request.user).select_related("unit"))
    form = ReassignForm(request.POST, staff=staff)
    query = request.POST.get("query", "")[:500]
    back = f"{reverse('worklist:unit')}?{query}" if query else reverse("worklist:unit")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        result = services.work_items_reassign(
            acting_user=request.user,
            items=form.cleaned_data["items"],
            assignee=form.assignee_user(),
            request=request,
        )
    except DomainError as exc:
        for text in [m for ms in exc.errors.values() for m in ms] or [exc.message]:
            messages.error(request, text)
        return redirect(back)
    _report(request, result)
    return redirect(back)


def _report(request, result: services.ReassignResult) -> None:
    if result.moved:
        count = len(result.moved)
        messages.success(
            request,
            ngettext("%(count)d work item reassigned.", "%(count)d work items reassigned.", count)
            % {"count": count},
        )
    notes = (
        (
            result.stale,
            ngettext(
                "%(count)d work item was changed by someone else since you opened the page and was left "
                "as it is: check it and try again.",
                "%(count)d work items were changed by someone else since you opened the page and were left "
                "as they are: check them and try again.",
                len(result.stale),
            ),
        ),
        (
            result.closed,
            ngettext(
                "%(count)d work item is already done or closed.",
                "%(count)d work items are already done or closed.",
                len(result.closed),
            ),
        ),
        (
            result.refused,
            ngettext(
                "%(count)d work item lies outside that person's area and was not reassigned.",
                "%(count)d work items lie outside that person's area and were not reassigned.",
                len(result.refused),
            ),
        ),
    )
    for ids, text in notes:
        if ids:
            messages.warning(request, text % {"count": len(ids)})


def _export(request, items, *, today, filters_valid: bool):
    if not request.user.has_perm(EXPORT):
        messages.error(request, _("You do not have permission to do this."))
        return redirect(f"{reverse('worklist:unit')}?{filter_query(request)}")
    count = items.count()
    if export_refused(request, count=count, filters_valid=filters_valid):
        return redirect(f"{reverse('worklist:unit')}?{filter_query(request)}")
    query = filter_query(request)
    export_logged(
        request,
        subject_type="work_item",
        count=count,
        fields=["name_zh", "name_bo", "id_number_masked", "unit", "kind", "due_on", "assignee"],
        reason=MASKED_EXPORT_REASON,
        query=query,
        note=f"work-items.xlsx {count} rows {query}",
    )
    return xlsx_response(
        filename="work-items.xlsx",
        headers=[
            _("id"),
            _("kind"),
            _("Chinese name"),
            _("Tibetan name"),
            _("resident ID number"),
            _("unit code"),
            _("unit"),
            _("assigned to"),
            _("due"),
            _("days overdue"),
            _("escalated"),
        ],
        rows=(
            [
                i.pk,
                i.get_kind_display(),
                i.person.name_zh if i.person_id else "",
                i.person.name_bo if i.person_id else "",
                i.person.id_number_masked if i.person_id else "",
                i.unit.code,
                i.unit.name,
                i.assignee.display_name if i.assignee_id else "",
                i.due_on,
                max(0, (today - i.due_on).days),
                timezone.localdate(i.escalated_at) if i.escalated_at else None,
            ]
            for i in items.iterator(chunk_size=2000)
        ),
    )


# --- transfer -----------------------------------------------------------------------------------


@permission_required("people.manage_person", raise_exception=True)
def transfer(request, person_pk):
    person = people_selectors.person_get(user=request.user, pk=person_pk)
    form = TransferForm(request.POST or None, person=person)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = person_transfer(
                    acting_user=request.user,
                    person=person,
                    unit=data["unit"],
                    reason=data["reason"],
                    version=data["version"],
                    move_residence=data["move_residence"],
                    request=request,
                )
            except ConcurrentEdit as exc:
                # Shown again on the file as it is now, with the user's choice kept for a second try.
                messages.error(request, exc.message)
                person = people_selectors.person_get(user=request.user, pk=person_pk)
                form = TransferForm({**request.POST.dict(), "version": person.version}, person=person)
                form.is_valid()
                status = 409
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("The file was transferred to %(unit)s; its open work items went with it.")
                    % {"unit": done.to_unit.name},
                )
                if unit_in_scope(request.user, done.to_unit):
                    return redirect("people:person_detail", pk=person.pk)
                return redirect("people:person_list")
    return render(request, "worklist/transfer.html", {"person": person, "form": form}, status=status)
