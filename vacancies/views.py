"""Staff pages for vacancies: the list (with Excel export), one vacancy with its vetting and
history, enter/edit, the lifecycle buttons and the station head's review queue."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import Action
from audit.services import audit_event
from core.errors import DomainError, NotAllowed
from core.exports import EXPORT_MAX_ROWS, export_refused, xlsx_response
from core.views import apply_domain_error, filter_query, paginate, render_list
from vacancies import selectors, services, workflow
from vacancies.forms import TransitionForm, VacancyFilterForm, VacancyForm

EXPORT_CAP = EXPORT_MAX_ROWS
CONTROL_PARAMS = ("page", "format")


def _filter_query(request) -> str:
    return filter_query(request, drop=CONTROL_PARAMS)


@permission_required("vacancies.view_vacancy", raise_exception=True)
def vacancy_list(request):
    form = VacancyFilterForm(request.GET or None, user=request.user)
    vacancies = selectors.vacancy_list(user=request.user, **form.selector_filters())
    if request.GET.get("format") == "xlsx":
        return _export(request, vacancies, filters_valid=not form.errors)
    return render_list(
        request,
        "vacancies/vacancy_list.html",
        "vacancies/_vacancy_results.html",
        {"form": form, "page": paginate(request, vacancies), "query": _filter_query(request)},
    )


def _export(request, vacancies, *, filters_valid: bool):
    back = f"{reverse('vacancies:vacancy_list')}?{_filter_query(request)}"
    count = vacancies.count()
    if export_refused(request, count=count, filters_valid=filters_valid, cap=EXPORT_CAP):
        return redirect(back)
    audit_event(
        action=Action.EXPORT,
        username=request.user.username,
        actor=request.user,
        request=request,
        note=f"vacancies.xlsx {count} rows {_filter_query(request)}"[:300],
    )
    return xlsx_response(
        filename="vacancies.xlsx",
        headers=[
            _("id"),
            _("Chinese title"),
            _("Tibetan title"),
            _("employer"),
            _("unified social credit code"),
            _("occupation code"),
            _("occupation"),
            _("held by"),
            _("place of work"),
            _("headcount"),
            _("lowest pay (yuan)"),
            _("highest pay (yuan)"),
            _("pay period"),
            _("kind of work"),
            _("status"),
            _("published"),
            _("reconfirmed"),
        ],
        rows=(
            [
                v.pk,
                v.title_zh,
                v.title_bo,
                v.employer.name_zh,
                v.employer.credit_code,
                v.occupation.code,
                v.occupation.name,
                v.unit.code,
                v.work_unit.code,
                v.headcount,
                v.salary_min,
                v.salary_max,
                v.get_pay_period_display(),
                v.get_work_type_display(),
                v.get_status_display(),
                _local(v.published_at),
                _local(v.reconfirmed_at),
            ]
            for v in vacancies.order_by("unit__path", "id").iterator(chunk_size=2000)
        ),
    )


def _local(moment):
    # Excel cannot hold time zones: write local wall-clock time.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _detail(request, vacancy, *, transition_form=None, status=200):
    return render(
        request,
        "vacancies/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "problems": selectors.problems(vacancy),
            "transitions": selectors.transitions(vacancy),
            "actions": selectors.allowed_actions(user=request.user, vacancy=vacancy),
            "transition_form": transition_form,
            "editable": vacancy.status in workflow.EDITABLE_STATES,
        },
        status=status,
    )


@permission_required("vacancies.view_vacancy", raise_exception=True)
def vacancy_detail(request, pk):
    return _detail(request, selectors.vacancy_get(user=request.user, pk=pk))


@permission_required("vacancies.manage_vacancy", raise_exception=True)
def vacancy_create(request):
    form = VacancyForm(request.POST or None, user=request.user, initial={"unit": request.user.unit_id})
    if request.method == "POST" and form.is_valid():
        try:
            vacancy = services.vacancy_create(acting_user=request.user, values=form.values(), request=request)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Vacancy saved as a draft. Submit it for review to publish it."))
            return redirect("vacancies:vacancy_detail", pk=vacancy.pk)
    return render(request, "vacancies/vacancy_form.html", {"form": form})


@permission_required("vacancies.manage_vacancy", raise_exception=True)
def vacancy_edit(request, pk):
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    form = VacancyForm(request.POST or None, user=request.user, initial=VacancyForm.initial_for(vacancy))
    if request.method == "POST" and form.is_valid():
        was_reviewed = vacancy.status in workflow.REVIEWED_STATES
        try:
            services.vacancy_update(
                acting_user=request.user,
                vacancy=vacancy,
                expected_version=form.cleaned_data["version"] or 0,
                changes=form.values(),
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            vacancy = selectors.vacancy_get(user=request.user, pk=pk)
        else:
            vacancy.refresh_from_db()
            if was_reviewed and vacancy.status not in workflow.REVIEWED_STATES:
                messages.warning(
                    request, _("Saved. The vacancy was changed after review and is back under review.")
                )
            else:
                messages.success(request, _("Saved."))
            return redirect("vacancies:vacancy_detail", pk=vacancy.pk)
    return render(request, "vacancies/vacancy_form.html", {"form": form, "vacancy": vacancy})


@require_POST
@permission_required("vacancies.view_vacancy", raise_exception=True)
def vacancy_transition(request, pk):
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    # Only a fixed token, never a URL, so this cannot become an open redirect.
    from_queue = request.POST.get("next") == "queue"
    if form.is_valid():
        try:
            services.vacancy_transition(
                acting_user=request.user,
                vacancy=vacancy,
                action=form.cleaned_data["action"],
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except NotAllowed as exc:
            # A role that sees the vacancy but may not take this step: refused, not a form error.
            raise PermissionDenied from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Done: %(action)s.") % {"action": workflow.ACTIONS[form.cleaned_data["action"]].label},
            )
            if from_queue:
                return redirect("vacancies:review_queue")
            return redirect("vacancies:vacancy_detail", pk=pk)
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    return _detail(request, vacancy, transition_form=form, status=400)


@permission_required("vacancies.review_vacancy", raise_exception=True)
def review_queue(request):
    page = paginate(request, selectors.review_queue(user=request.user))
    for vacancy in page:
        vacancy.problems = selectors.problems(vacancy)
        vacancy.blocked = any(p.blocking for p in vacancy.problems)
        vacancy.own = request.user.pk in {vacancy.created_by_id, vacancy.submitted_by_id}
    return render(request, "vacancies/review_queue.html", {"page": page, "query": ""})
