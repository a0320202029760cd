"""Preventive guidance pages (§7.8): programmes, the cohort preview and enrolment, sessions,
the attendance sheet of a session and the attendance export."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotAllowed
from core.exports import xlsx_response
from core.views import apply_domain_error, paginate
from guidance import programme_services, selectors
from guidance.cohort import CohortFilter, cohort
from guidance.forms import CohortForm, ProgrammeForm, SessionForm
from guidance.models import Attendance
from guidance.rules import MANAGE_PROGRAMMES, VIEW_PROGRAMMES
from network.selectors import orgunit_choices
from privacy.services import export_logged

PREVIEW_ROWS = 50
EXPORT_REASON = "attendance of programme {pk} (masked)"


@permission_required(VIEW_PROGRAMMES, raise_exception=True)
def programme_list(request):
    programmes = selectors.programme_list(user=request.user)
    return render(
        request,
        "guidance/programme_list.html",
        {"page": paginate(request, programmes), "can_manage": request.user.has_perm(MANAGE_PROGRAMMES)},
    )


def _forms(request, programme=None):
    units = list(orgunit_choices(user=request.user))
    if request.method == "POST":
        return ProgrammeForm(request.POST, units=units), CohortForm(request.POST, units=units)
    if programme is None:
        return ProgrammeForm(units=units), CohortForm(units=units)
    chosen = CohortFilter.from_json(programme.cohort_filter)
    values = {
        name: getattr(programme, name) for name in ("title_zh", "title_bo", "description", "audience_note")
    }
    values.update(
        unit=programme.unit.code,
        starts_on=programme.starts_on,
        ends_on=programme.ends_on,
        version=programme.version,
    )
    return ProgrammeForm(initial=values, units=units), CohortForm(initial=chosen.to_json(), units=units)


def _save(request, programme=None):
    form, cohort_form = _forms(request, programme)
    if request.method == "POST" and form.is_valid() and cohort_form.is_valid():
        values = dict(form.cleaned_data)
        version = values.pop("version")
        chosen = CohortFilter(**cohort_form.cleaned_data)
        try:
            saved = programme_services.programme_save(
                acting_user=request.user,
                values=values,
                cohort_filter=chosen,
                programme=programme,
                version=version,
                request=request,
            )
        except NotAllowed as exc:
            raise PermissionDenied from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
            for field, problems in exc.errors.items():
                if field in cohort_form.fields:
                    for problem in problems:
                        cohort_form.add_error(field, problem)
        else:
            messages.success(request, _("Saved."))
            return redirect("guidance:programme_detail", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "cohort_form": cohort_form, "programme": programme}
    return render(request, "guidance/programme_form.html", context, status=status)


@permission_required(MANAGE_PROGRAMMES, raise_exception=True)
def programme_create(request):
    return _save(request)


@permission_required(MANAGE_PROGRAMMES, raise_exception=True)
def programme_edit(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    if not selectors.can_manage_programme(request.user, programme):
        raise PermissionDenied
    return _save(request, programme)


def _detail(request, programme, *, session_form=None, status=200):
    user = request.user
    found = cohort(user=user, programme=programme, on=programme.starts_on)
    enrolled_ids = set(programme.enrolments.values_list("person_id", flat=True))
    preview = list(found[:PREVIEW_ROWS])
    for person in preview:
        person.enrolled = person.pk in enrolled_ids
    sessions = list(programme.sessions.all())
    attended = dict.fromkeys((s.pk for s in sessions), 0)
    for session_id in Attendance.objects.filter(session__programme=programme, attended=True).values_list(
        "session_id", flat=True
    ):
        attended[session_id] += 1
    for session in sessions:
        session.attended_count = attended[session.pk]
    enrolled = selectors.enrolled_persons(user=user, programme=programme)
    context = {
        "programme": programme,
        "chosen": CohortFilter.from_json(programme.cohort_filter),
        "found_count": found.count(),
        "preview": preview,
        "to_enrol": found.exclude(pk__in=enrolled_ids).count(),
        "enrolled": enrolled,
        "enrolled_count": len(enrolled_ids),
        "sessions": sessions,
        "can_manage": selectors.can_manage_programme(user, programme),
        "session_form": session_form or SessionForm(initial={"on": programme.starts_on}),
    }
    return render(request, "guidance/programme_detail.html", context, status=status)


@permission_required(VIEW_PROGRAMMES, raise_exception=True)
def programme_detail(request, pk):
    return _detail(request, selectors.programme_get(user=request.user, pk=pk))


@require_POST
@permission_required(MANAGE_PROGRAMMES, raise_exception=True)
def programme_enrol(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    try:
        count = programme_services.programme_enrol_cohort(
            acting_user=request.user, programme=programme, request=request
        )
    except NotAllowed as exc:
        raise PermissionDenied from exc
    messages.success(
        request,
        ngettext("%(count)d person enrolled.", "%(count)d persons enrolled.", count) % {"count": count},
    )
    return redirect("guidance:programme_detail", pk=programme.pk)


@require_POST
@permission_required(MANAGE_PROGRAMMES, raise_exception=True)
def session_add(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    form = SessionForm(request.POST)
    if not form.is_valid():
        return _detail(request, programme, session_form=form, status=400)
    try:
        programme_services.session_add(
            acting_user=request.user, programme=programme, request=request, **form.cleaned_data
        )
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except DomainError as exc:
        apply_domain_error(form, exc)
        return _detail(request, programme, session_form=form, status=exc.status)
    messages.success(request, _("Session added."))
    return redirect("guidance:programme_detail", pk=programme.pk)


@permission_required(VIEW_PROGRAMMES, raise_exception=True)
def attendance_sheet(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    programme = session.programme
    can_manage = selectors.can_manage_programme(request.user, programme)
    errors = []
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit() and len(v) <= 18}
        try:
            count = programme_services.attendance_record(
                acting_user=request.user, session=session, present=present, request=request
            )
        except DomainError as exc:
            errors = [str(m) for msgs in exc.errors.values() for m in msgs] or [str(exc.message)]
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance recorded for %(count)d person.",
                    "Attendance recorded for %(count)d persons.",
                    count,
                )
                % {"count": count},
            )
            return redirect("guidance:attendance", pk=session.pk)
    marks = dict(Attendance.objects.filter(session=session).values_list("person_id", "attended"))
    persons = list(selectors.enrolled_persons(user=request.user, programme=programme))
    for person in persons:
        person.attended = marks.get(person.pk)
    context = {
        "session": session,
        "programme": programme,
        "persons": persons,
        "can_manage": can_manage,
        "errors": errors,
        "recorded": bool(marks),
    }
    return render(request, "guidance/attendance_sheet.html", context, status=400 if errors else 200)


@permission_required(VIEW_PROGRAMMES, raise_exception=True)
def attendance_export(request, pk):
    """One row per enrolled person, one column per session (attended yes/no); masked IDs."""
    programme = selectors.programme_get(user=request.user, pk=pk)
    sessions = list(programme.sessions.all())
    persons = list(selectors.enrolled_persons(user=request.user, programme=programme))
    marks = {
        (session_id, person_id): attended
        for session_id, person_id, attended in Attendance.objects.filter(
            session__programme=programme
        ).values_list("session_id", "person_id", "attended")
    }
    export_logged(
        request,
        subject_type="person",
        count=len(persons),
        fields=["name_zh", "name_bo", "id_number_masked", "unit", "attendance"],
        reason=EXPORT_REASON.format(pk=programme.pk),
        query=f"programme={programme.pk}",
        note=f"attendance programme {programme.pk}: {len(persons)} rows",
    )
    yes, no = _("yes"), _("no")

    def mark(session, person):
        value = marks.get((session.pk, person.pk))
        return "" if value is None else (yes if value else no)

    headers = [_("Chinese name"), _("Tibetan name"), _("resident ID number"), _("unit code")]
    headers += [f"{s.on:%Y-%m-%d} {s.starts_at:%H:%M}" for s in sessions]
    headers.append(_("sessions attended"))
    rows = (
        [
            p.name_zh,
            p.name_bo,
            p.id_number_masked,
            p.unit.code,
            *(mark(s, p) for s in sessions),
            sum(1 for s in sessions if marks.get((s.pk, p.pk))),
        ]
        for p in persons
    )
    today = timezone.localdate()
    return xlsx_response(
        filename=f"attendance-{programme.pk}-{today:%Y%m%d}.xlsx", headers=headers, rows=rows
    )
