"""Worklists for front-line staff: the monthly information update of key-group persons (§5.9.2)."""

import calendar
import datetime

from django.contrib.auth.decorators import permission_required
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import xlsx_response
from core.views import paginate, query_without_page, render_list
from keygroups.selectors import category_names
from network.models import Level
from network.selectors import orgunit_choices
from people.selectors import key_group_codes_by_person, update_worklist
from privacy.models import AccessKind
from privacy.services import access_log

TABS = ("overdue", "due")


def _month_end(year: int, month: int) -> datetime.date:
    while month > 12:
        month -= 12
        year += 1
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def update_due_on(person) -> datetime.date:
    """The last day by which the next monthly update was due.

    Updated in month M: the update for month M+1 is due by its last day. Never
    updated: the update for the month the person joined a key group.
    """
    if person.info_updated_on:
        return _month_end(person.info_updated_on.year, person.info_updated_on.month + 1)
    since = person.member_since
    return _month_end(since.year, since.month)


def _worklist(user, tab: str, unit_code: str, today: datetime.date):
    overdue = update_worklist(user=user, today=today, overdue_only=True, unit_code=unit_code)
    if tab == "overdue":
        return overdue
    # "Due this month" is the rest: not updated this month, not yet overdue.
    due = update_worklist(user=user, today=today, overdue_only=False, unit_code=unit_code)
    return due.exclude(pk__in=overdue.values("pk"))


def _rows(persons, today: datetime.date) -> list:
    persons = list(persons)
    codes = key_group_codes_by_person(p.pk for p in persons)
    names = category_names()
    for person in persons:
        person.key_groups = [names.get(code, code) for code in codes.get(person.pk, [])]
        person.due_on = update_due_on(person)
        person.days_overdue = max(0, (today - person.due_on).days)
    return persons


@permission_required("people.view_person", raise_exception=True)
def update_overdue(request):
    today = timezone.localdate()
    tab = request.GET.get("tab", "overdue")
    tab = tab if tab in TABS else "overdue"
    unit_code = request.GET.get("unit", "")[:12]
    unit_code = unit_code if unit_code.isdigit() else ""
    persons = _worklist(request.user, tab, unit_code, today)
    if request.GET.get("format") == "xlsx":
        rows = _rows(persons, today)
        access_log(
            user=request.user,
            kind=AccessKind.EXPORT,
            subject_type="person",
            record_count=len(rows),
            fields=["name", "phone_masked"],
            reason=_("Excel export of the monthly update worklist"),
            query=query_without_page(request),
            request=request,
        )
        return xlsx_response(
            filename=f"monthly-updates-{tab}.xlsx",
            headers=[
                _("Chinese name"),
                _("Tibetan name"),
                _("phone"),
                _("unit code"),
                _("unit"),
                _("key groups"),
                _("information last updated"),
                _("update due by"),
                _("days overdue"),
            ],
            rows=(
                [
                    p.name_zh,
                    p.name_bo,
                    p.phone_masked,
                    p.unit.code,
                    p.unit.name,
                    ", ".join(p.key_groups),
                    p.info_updated_on,
                    p.due_on,
                    p.days_overdue,
                ]
                for p in rows
            ),
        )
    page = paginate(request, persons, 50)
    page.object_list = _rows(page.object_list, today)
    return render_list(
        request,
        "worklists/update_list.html",
        "worklists/_update_results.html",
        {
            "page": page,
            "tab": tab,
            "units": orgunit_choices(user=request.user).exclude(level=Level.VILLAGE),
            "unit_code": unit_code,
            "query": query_without_page(request),
        },
    )
