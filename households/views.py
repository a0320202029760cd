from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.exports import xlsx_response
from core.views import apply_domain_error, paginate, query_without_page, render_list
from households import selectors, services
from households.forms import HouseholdForm, MemberSetForm
from households.models import Allowance
from network.models import Level
from network.selectors import orgunit_choices
from people.selectors import person_get
from people.services import person_set_household
from privacy.models import AccessKind
from privacy.services import access_log

ZERO_FILTER = {"yes": True, "no": False}


def _unit_code(request) -> str:
    code = request.GET.get("unit", "")[:12]
    return code if code.isdigit() else ""


def _filter_units(user):
    # Villages are too many for a drop-down; a township or district covers them.
    return orgunit_choices(user=user).exclude(level=Level.VILLAGE)


def _log_export(request, *, subject_type: str, count: int, fields: list[str]) -> None:
    access_log(
        user=request.user,
        kind=AccessKind.EXPORT,
        subject_type=subject_type,
        record_count=count,
        fields=fields,
        reason=_("Excel export of a list"),
        query=query_without_page(request),
        request=request,
    )


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


@permission_required("people.view_person", raise_exception=True)
def household_list(request):
    households = selectors.household_list(
        user=request.user,
        q=request.GET.get("q", "")[:60],
        unit_code=_unit_code(request),
        zero_employment=ZERO_FILTER.get(request.GET.get("zero", "")),
    )
    if request.GET.get("format") == "xlsx":
        rows = list(households)
        _log_export(request, subject_type="household", count=len(rows), fields=["address"])
        return xlsx_response(
            filename="households.xlsx",
            headers=[
                _("household"),
                _("unit code"),
                _("unit"),
                _("address"),
                _("members"),
                _("has business income"),
                _("zero-employment household"),
                _("recognised on"),
                _("clearance due"),
                _("cleared on"),
            ],
            rows=(
                [
                    h.pk,
                    h.unit.code,
                    h.unit.name,
                    h.address,
                    h.member_count,
                    _yes_no(h.has_business_income),
                    _yes_no(h.zero_employment),
                    h.recognised_on,
                    h.clearance_due if h.zero_employment else None,
                    h.cleared_on,
                ]
                for h in rows
            ),
        )
    return render_list(
        request,
        "households/household_list.html",
        "households/_household_results.html",
        {
            "page": paginate(request, households),
            "units": _filter_units(request.user),
            "query": query_without_page(request),
        },
    )


@permission_required("people.view_person", raise_exception=True)
def household_detail(request, pk):
    household = selectors.household_get(user=request.user, pk=pk)
    today = timezone.localdate()
    days_left = (household.clearance_due - today).days if household.zero_employment else None
    allowance = ""
    if request.user.has_perm("people.manage_person"):
        # Sensitive (SPEC §7): only for the front-line staff who edit it.
        allowance = dict(Allowance.choices).get(household.allowance_status or Allowance.NONE, "")
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "members": selectors.household_members(household=household, today=today, user=request.user),
            "episodes": household.episodes.all(),
            "allowance": allowance,
            "days_left": days_left,
            "days_overdue": max(0, -days_left) if days_left is not None else 0,
        },
    )


@permission_required("people.manage_person", raise_exception=True)
def household_create(request):
    form = HouseholdForm(request.POST or None, units=orgunit_choices(user=request.user), creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(
                acting_user=request.user, request=request, **form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Household created."))
            return redirect("households:household_detail", pk=household.pk)
    return render(request, "households/household_form.html", {"form": form})


@permission_required("people.manage_person", raise_exception=True)
def household_edit(request, pk):
    household = selectors.household_get(user=request.user, pk=pk)
    initial = {name: getattr(household, name) for name in services.HOUSEHOLD_FIELDS}
    initial["allowance_status"] = household.allowance_status or Allowance.NONE
    initial["version"] = household.version
    form = HouseholdForm(request.POST or None, initial=initial, units=orgunit_choices(user=request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.household_update(
                acting_user=request.user,
                household=household,
                expected_version=version,
                request=request,
                **data,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("households:household_detail", pk=household.pk)
    return render(request, "households/household_form.html", {"form": form, "household": household})


@permission_required("people.manage_person", raise_exception=True)
def household_member_set(request, person_pk):
    person = person_get(user=request.user, pk=person_pk)
    q = request.GET.get("q", "")[:60]
    choices = selectors.household_choices(user=request.user, q=q)
    if person.household_id and all(h.pk != person.household_id for h in choices):
        choices.insert(0, person.household)
    context = {"person": person, "choices": choices, "q": q}
    if getattr(request, "htmx", False) and request.method == "GET" and not request.htmx.boosted:
        return render(request, "households/_household_choices.html", context)
    form = MemberSetForm(
        request.POST or None,
        households=selectors.household_list(user=request.user),
        initial={
            "household": person.household_id,
            "relation_to_head": person.relation_to_head,
            "version": person.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        household = form.cleaned_data["household"]
        try:
            person_set_household(
                acting_user=request.user,
                person=person,
                household=household,
                relation=form.cleaned_data["relation_to_head"] if household else "",
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if household is None:
                messages.success(request, _("The person has left the household."))
                return redirect("people:person_detail", pk=person.pk)
            messages.success(request, _("The person is now a member of this household."))
            return redirect("households:household_detail", pk=household.pk)
    context["form"] = form
    return render(request, "households/member_set.html", context)


@permission_required("people.view_person", raise_exception=True)
def zero_list(request):
    today = timezone.localdate()
    unit_code = _unit_code(request)
    rows = selectors.zero_employment_open(user=request.user, unit_code=unit_code, today=today)
    if request.GET.get("format") == "xlsx":
        _log_export(request, subject_type="household", count=len(rows), fields=["address"])
        return xlsx_response(
            filename="zero-employment-households.xlsx",
            headers=[
                _("unit code"),
                _("unit"),
                _("household"),
                _("address"),
                _("members"),
                _("recognised on"),
                _("clearance due"),
                _("days left"),
            ],
            rows=(
                [
                    h.unit.code,
                    h.unit.name,
                    h.pk,
                    h.address,
                    h.member_count,
                    h.recognised_on,
                    h.clearance_due,
                    h.days_left,
                ]
                for h in rows
            ),
        )
    return render_list(
        request,
        "households/zero_list.html",
        "households/_zero_results.html",
        {
            "page": paginate(request, rows, 50),
            "summary": selectors.zero_employment_by_unit(user=request.user, today=today, unit_code=unit_code),
            "units": _filter_units(request.user),
            "query": query_without_page(request),
            "today": today,
            "due_soon_days": selectors.DUE_SOON_DAYS,
        },
    )
