"""Pages of the push channel: my notices, the monthly 1:4 list, cancelling a waiting push.

Pushing an item to a person is a form on the person's file (people.views.push_add).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.exports import EXPORT_MAX_ROWS, export_refused, xlsx_response
from core.views import filter_query, paginate, query_without_page, render_list
from keygroups.selectors import category_names
from network.models import Level
from network.selectors import orgunit_choices
from notifications import selectors, services
from notifications.forms import RatioFilterForm
from people.selectors import key_group_codes_by_person
from privacy.models import AccessKind
from privacy.services import access_log

EXPORT_CAP = EXPORT_MAX_ROWS


def _filter_query(request) -> str:
    return filter_query(request)


@login_required
def notice_list(request):
    unread_only = request.GET.get("show") == "unread"
    notices = selectors.notice_list(user=request.user, unread_only=unread_only)
    return render_list(
        request,
        "notifications/notice_list.html",
        "notifications/_notice_results.html",
        {
            "page": paginate(request, notices),
            "unread_only": unread_only,
            "unread": selectors.unread_notice_count(user=request.user),
            "query": query_without_page(request),
        },
    )


@require_POST
@login_required
def notice_mark_read(request):
    raw = request.POST.get("notice", "")
    ids = None
    if raw:
        if not raw.isdigit() or len(raw) > 18:
            raise Http404
        ids = [int(raw)]
    services.notices_mark_read(user=request.user, notice_ids=ids)
    # Back to the same filter and page; re-encoded, so nothing but a query string survives.
    back = QueryDict(request.POST.get("back", "")[:200]).urlencode()
    return redirect(f"{reverse('notifications:notice_list')}?{back}")


def _key_groups(persons) -> None:
    codes = key_group_codes_by_person(p.pk for p in persons)
    names = category_names()
    for person in persons:
        person.key_groups = [names.get(code, code) for code in codes.get(person.pk, [])]


@permission_required("notifications.view_push_ratio", raise_exception=True)
def push_ratio(request):
    today = timezone.localdate()
    units = orgunit_choices(user=request.user).exclude(level=Level.VILLAGE)
    form = RatioFilterForm(request.GET or None, units=units)
    filters = form.filters()
    persons = selectors.push_ratio_by_unit(user=request.user, today=today, **filters)
    if request.GET.get("format") == "xlsx":
        return _export(request, persons, today)
    page = paginate(request, persons, 50)
    page.object_list = list(page.object_list)
    _key_groups(page.object_list)
    return render_list(
        request,
        "notifications/push_ratio.html",
        "notifications/_push_ratio_results.html",
        {
            "form": form,
            "page": page,
            "summary": selectors.push_ratio_summary(
                user=request.user, today=today, unit_code=filters["unit_code"]
            ),
            "target": settings.STANDARD["PUSHED_ITEMS_PER_MONTH"],
            "month": today,
            "query": query_without_page(request),
        },
    )


def _export(request, persons, today):
    if export_refused(request, count=persons.count(), cap=EXPORT_CAP):
        return redirect(f"{reverse('notifications:push_ratio')}?{_filter_query(request)}")
    rows = list(persons.defer("id_number", "phone", "disability_details"))
    for start in range(0, len(rows), 5000):
        _key_groups(rows[start : start + 5000])
    access_log(
        user=request.user,
        kind=AccessKind.EXPORT,
        subject_type="person",
        record_count=len(rows),
        fields=["name_zh", "name_bo", "id_number_masked", "phone_masked", "unit", "key_groups"],
        reason=_("Excel export of the monthly push ratio (1:4)"),
        query=_filter_query(request),
        request=request,
    )
    target = settings.STANDARD["PUSHED_ITEMS_PER_MONTH"]
    return xlsx_response(
        filename=f"push-ratio-{today:%Y-%m}.xlsx",
        headers=[
            _("Chinese name"),
            _("Tibetan name"),
            _("resident ID number"),
            _("phone"),
            _("unit code"),
            _("unit"),
            _("key groups"),
            _("items pushed this month"),
            _("target"),
            _("meets the target"),
        ],
        rows=(
            [
                p.name_zh,
                p.name_bo,
                p.id_number_masked,
                p.phone_masked,
                p.unit.code,
                p.unit.name,
                ", ".join(p.key_groups),
                p.pushed_items,
                target,
                _("yes") if p.compliant else _("no"),
            ]
            for p in rows
        ),
    )


@require_POST
@permission_required("notifications.push_item", raise_exception=True)
def push_cancel(request, pk):
    push = selectors.push_get(user=request.user, pk=pk)
    try:
        services.push_cancel(acting_user=request.user, push=push, request=request)
    except DomainError as exc:
        messages.error(request, " ".join(str(m) for msgs in exc.errors.values() for m in msgs) or exc.message)
    else:
        messages.success(request, _("Push cancelled."))
    return redirect(f"{reverse('people:person_detail', args=[push.person_id])}#pushes")
