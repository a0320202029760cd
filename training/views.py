"""Pages of the training registry (§7.5): providers and their courses."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import Action
from audit.services import audit_event
from core.errors import DomainError
from core.exports import EXPORT_MAX_ROWS, xlsx_response
from core.views import apply_domain_error, filter_query, paginate, render_list
from network.models import Level
from network.selectors import orgunit_choices
from training import selectors, services
from training.forms import (
    CourseFilterForm,
    CourseForm,
    ProviderFilterForm,
    ProviderForm,
    VersionForm,
    initial_dates,
)

EXPORT_CAP = EXPORT_MAX_ROWS


def _filter_units(user):
    # Villages are too many for a drop-down; a township or district covers them.
    return orgunit_choices(user=user).exclude(level=Level.VILLAGE)


def _filter_query(request) -> str:
    return filter_query(request)


def _log_export(request, what: str, count: int) -> None:
    # Provider and course lists hold no personal data, but every export is on the audit trail.
    audit_event(
        action=Action.EXPORT,
        username=request.user.username,
        actor=request.user,
        request=request,
        note=f"{what} export ({count} rows): {_filter_query(request)}"[:300],
    )


# --- providers -----------------------------------------------------------------------


@permission_required("training.view_provider", raise_exception=True)
def provider_list(request):
    today = timezone.localdate()
    form = ProviderFilterForm(request.GET or None, units=_filter_units(request.user))
    providers = selectors.provider_list(user=request.user, today=today, **form.selector_filters())
    if request.GET.get("format") == "xlsx":
        rows = list(providers[:EXPORT_CAP])
        _log_export(request, "training providers", len(rows))
        return xlsx_response(
            filename="training-providers.xlsx",
            headers=[
                _("Chinese name"),
                _("Tibetan name"),
                _("unified social credit code"),
                _("qualification"),
                _("school-running licence number"),
                _("licence valid until"),
                _("licence valid today"),
                _("active"),
                _("unit code"),
                _("unit"),
                _("address"),
                _("contact phone"),
            ],
            rows=(
                [
                    p.name_zh,
                    p.name_bo,
                    p.credit_code,
                    p.get_qualification_display(),
                    p.licence_number,
                    p.licence_expires_on,
                    _("yes") if p.licence_expires_on >= today else _("no"),
                    _("yes") if p.is_active else _("no"),
                    p.unit.code,
                    p.unit.name,
                    p.address,
                    p.contact_phone,
                ]
                for p in rows
            ),
        )
    page = paginate(request, providers)
    for provider in page:
        provider.licence = selectors.licence_state(provider, today=today)
    return render_list(
        request,
        "training/provider_list.html",
        "training/_provider_results.html",
        {"form": form, "page": page, "query": _filter_query(request)},
    )


@permission_required("training.view_provider", raise_exception=True)
def provider_detail(request, pk):
    today = timezone.localdate()
    provider = selectors.provider_get(user=request.user, pk=pk)
    courses = []
    if request.user.has_perm("training.view_course"):
        courses = list(selectors.course_list(user=request.user, today=today, provider_id=provider.pk)[:100])
        for course in courses:
            course.timing = selectors.course_timing(course, today=today)
    return render(
        request,
        "training/provider_detail.html",
        {
            "provider": provider,
            "licence": selectors.licence_state(provider, today=today),
            "warning_days": selectors.LICENCE_WARNING_DAYS,
            "courses": courses,
            "editable": selectors.provider_editable(user=request.user, provider=provider),
        },
    )


@permission_required("training.manage_provider", raise_exception=True)
def provider_create(request):
    form = ProviderForm(request.POST or None, units=orgunit_choices(user=request.user), creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(
                acting_user=request.user, values=dict(form.cleaned_data), request=request
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Training provider registered."))
            return redirect("training:provider_detail", pk=provider.pk)
    return render(request, "training/provider_form.html", {"form": form})


@permission_required("training.manage_provider", raise_exception=True)
def provider_edit(request, pk):
    provider = selectors.provider_get(user=request.user, pk=pk)
    if not selectors.provider_editable(user=request.user, provider=provider):
        # Visible (registered above the user's unit) but not theirs to change.
        raise PermissionDenied
    initial = {name: getattr(provider, name) for name in services.PROVIDER_FIELDS}
    initial["version"] = provider.version
    form = ProviderForm(request.POST or None, initial=initial, units=orgunit_choices(user=request.user))
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        version = changes.pop("version")
        try:
            services.provider_update(
                acting_user=request.user,
                provider=provider,
                expected_version=version,
                changes=changes,
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("training:provider_detail", pk=provider.pk)
    return render(request, "training/provider_form.html", {"form": form, "provider": provider})


# --- courses -------------------------------------------------------------------------


@permission_required("training.view_course", raise_exception=True)
def course_list(request):
    today = timezone.localdate()
    form = CourseFilterForm(request.GET or None, units=_filter_units(request.user))
    courses = selectors.course_list(user=request.user, today=today, **form.selector_filters())
    if request.GET.get("format") == "xlsx":
        rows = list(courses[:EXPORT_CAP])
        _log_export(request, "training courses", len(rows))
        return xlsx_response(
            filename="training-courses.xlsx",
            headers=[
                _("Chinese title"),
                _("Tibetan title"),
                _("training provider"),
                _("occupation code"),
                _("occupation"),
                _("language"),
                _("starts"),
                _("ends"),
                _("place"),
                _("unit code"),
                _("places"),
                _("subsidy per trainee (yuan)"),
                _("published"),
            ],
            rows=(
                [
                    c.title_zh,
                    c.title_bo,
                    c.provider.name_zh,
                    c.occupation.code,
                    c.occupation.name,
                    c.get_language_display(),
                    c.starts_on,
                    c.ends_on,
                    c.place,
                    c.unit.code,
                    c.capacity,
                    c.subsidy,
                    _("yes") if c.is_published else _("no"),
                ]
                for c in rows
            ),
        )
    page = paginate(request, courses)
    for course in page:
        course.timing = selectors.course_timing(course, today=today)
    return render_list(
        request,
        "training/course_list.html",
        "training/_course_results.html",
        {"form": form, "page": page, "query": _filter_query(request)},
    )


@permission_required("training.view_course", raise_exception=True)
def course_detail(request, pk):
    today = timezone.localdate()
    course = selectors.course_get(user=request.user, pk=pk)
    problems = {} if course.is_published else services.publication_errors(course, today=today)
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "timing": selectors.course_timing(course, today=today),
            "licence": selectors.licence_state(course.provider, today=today),
            "publish_problems": [m for messages_ in problems.values() for m in messages_],
            "recommendable": selectors.recommendable_courses(today=today).filter(pk=course.pk).exists(),
        },
    )


def _course_form(request, *, course=None, initial=None):
    return CourseForm(
        request.POST or None,
        initial=initial,
        units=orgunit_choices(user=request.user),
        providers=selectors.provider_choices(
            user=request.user, keep_pk=course.provider_id if course is not None else None
        ),
        creating=course is None,
    )


@permission_required("training.manage_course", raise_exception=True)
def course_create(request):
    initial = {"unit": request.user.unit_id, **initial_dates(timezone.localdate())}
    provider_pk = request.GET.get("provider", "")
    if provider_pk.isdigit() and len(provider_pk) < 12:
        initial["provider"] = int(provider_pk)
    form = _course_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(
                acting_user=request.user, values=dict(form.cleaned_data), request=request
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Course created. Publish it when it is ready."))
            return redirect("training:course_detail", pk=course.pk)
    return render(request, "training/course_form.html", {"form": form})


@permission_required("training.manage_course", raise_exception=True)
def course_edit(request, pk):
    course = selectors.course_get(user=request.user, pk=pk)
    initial = {name: getattr(course, name) for name in services.COURSE_FIELDS}
    initial["occupation"] = course.occupation_id
    initial["version"] = course.version
    form = _course_form(request, course=course, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        version = changes.pop("version")
        try:
            services.course_update(
                acting_user=request.user,
                course=course,
                expected_version=version,
                changes=changes,
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("training:course_detail", pk=course.pk)
    return render(request, "training/course_form.html", {"form": form, "course": course})


def _publication(request, pk, *, publish: bool):
    course = selectors.course_get(user=request.user, pk=pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page was out of date. Please try again."))
        return redirect("training:course_detail", pk=course.pk)
    service = services.course_publish if publish else services.course_unpublish
    try:
        service(
            acting_user=request.user,
            course=course,
            expected_version=form.cleaned_data["version"],
            request=request,
        )
    except DomainError as exc:
        texts = [m for msgs in exc.errors.values() for m in msgs] or [str(exc.message)]
        for text in texts:
            messages.error(request, text)
    else:
        messages.success(
            request, _("Course published.") if publish else _("Course withdrawn from publication.")
        )
    return redirect("training:course_detail", pk=course.pk)


@require_POST
@permission_required("training.manage_course", raise_exception=True)
def course_publish(request, pk):
    return _publication(request, pk, publish=True)


@require_POST
@permission_required("training.manage_course", raise_exception=True)
def course_unpublish(request, pk):
    return _publication(request, pk, publish=False)
