from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import workdays
from core.errors import DomainError
from core.views import apply_domain_error
from workcalendar import selectors, services
from workcalendar.forms import CalculatorForm, RegionalDayForm
from workcalendar.models import RegionalDay


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 1950 <= year <= 2200 else timezone.localdate().year


def _list_url():
    return reverse("workcalendar:day_list")


@permission_required("workcalendar.view_days", raise_exception=True)
def day_list(request):
    year = _year(request)
    region = request.GET.get("region", "")[:12]
    days = selectors.regional_day_list(user=request.user, year=year, region=region)
    calculator = CalculatorForm(request.GET if "start" in request.GET else None)
    result = None
    if calculator.is_bound and calculator.is_valid():
        data = calculator.cleaned_data
        try:
            result = workdays.add_workdays(data["start"], data["days"], data["region"])
        except ValueError:
            calculator.add_error("days", _("The result falls outside the supported dates."))
    region_for_warning = selectors.region_for_unit(request.user.unit)
    return render(
        request,
        "workcalendar/day_list.html",
        {
            "days": days,
            "year": year,
            "region": region,
            "years": range(year - 2, year + 3),
            "calculator": calculator,
            "result": result,
            "schedule_entered": workdays.get_calendar().schedule_entered(year, region_for_warning),
        },
    )


@permission_required("workcalendar.manage_days", raise_exception=True)
def day_create(request):
    form = RegionalDayForm(
        request.POST or None, creating=True, initial={"region": "540100", "day": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            day = services.regional_day_create(acting_user=request.user, request=request, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{_list_url()}?year={day.day.year}")
    return render(request, "workcalendar/day_form.html", {"form": form})


@permission_required("workcalendar.manage_days", raise_exception=True)
def day_edit(request, pk):
    day = get_object_or_404(RegionalDay, pk=pk)
    initial = {
        "day": day.day,
        "kind": day.kind,
        "region": day.region,
        "name": day.name,
        "version": day.version,
    }
    form = RegionalDayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.regional_day_update(
                acting_user=request.user, day=day, expected_version=version, request=request, **data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{_list_url()}?year={day.day.year}")
    return render(request, "workcalendar/day_form.html", {"form": form, "day": day})


@require_POST
@permission_required("workcalendar.manage_days", raise_exception=True)
def day_delete(request, pk):
    day = get_object_or_404(RegionalDay, pk=pk)
    year = day.day.year
    services.regional_day_delete(acting_user=request.user, day=day, request=request)
    messages.success(request, _("Deleted."))
    return redirect(f"{_list_url()}?year={year}")
