"""Pages of data-subject requests: the list (filters, masked names, Excel export), a new
request from the person's file, the request with its actions, and the copy download."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.exports import XLSX, export_refused, xlsx_response
from core.masking import masked_name
from core.views import apply_domain_error, filter_query, paginate, query_without_page, render_list
from network.models import Level
from network.selectors import orgunit_choices
from people.selectors import person_get
from privacy.services import export_logged
from subjectrights import selectors, services, workflow
from subjectrights.forms import ACTION_FORMS, FilterForm, RequestForm
from subjectrights.models import RequestKind, State
from subjectrights.rules import RECORD, VIEW

PER_PAGE = 50


@permission_required(VIEW, raise_exception=True)
def request_list(request):
    today = timezone.localdate()
    units = orgunit_choices(user=request.user).exclude(level=Level.VILLAGE)
    form = FilterForm(request.GET or None, units=units)
    requests = selectors.request_list(user=request.user, today=today, **form.filters())
    if request.GET.get("format") == "xlsx":
        return _export(request, requests, today, filters_valid=not form.errors)
    page = paginate(request, requests, PER_PAGE)
    for row in page.object_list:
        selectors.annotate_state(row, today)
        row.masked_name = masked_name(row.person)
    return render_list(
        request,
        "subjectrights/request_list.html",
        "subjectrights/_request_results.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "deadline_days": settings.STANDARD["DATA_SUBJECT_REQUEST_DAYS"],
        },
    )


def _export(request, requests, today, *, filters_valid: bool):
    count = requests.count()
    if export_refused(request, count=count, filters_valid=filters_valid):
        return redirect(f"{reverse('subjectrights:list')}?{filter_query(request)}")
    export_logged(
        request,
        subject_type="subject_request",
        count=count,
        fields=["name_masked", "id_number_masked", "unit", "kind", "channel", "state", "dates"],
        reason=_("Excel export of data-subject requests"),
        query=filter_query(request),
        note=f"subject-requests.xlsx ({count} rows): {filter_query(request)}",
    )
    rows = (
        selectors.annotate_state(r, today)
        for r in requests.defer("person__id_number", "person__phone", "person__disability_details")
    )
    return xlsx_response(
        filename="subject-requests.xlsx",
        headers=[
            _("number"),
            _("person"),
            _("resident ID number"),
            _("unit code"),
            _("request"),
            _("received through"),
            _("received on"),
            _("answer due"),
            _("overdue"),
            _("state"),
            _("answered on"),
        ],
        rows=(
            [
                r.pk,
                masked_name(r.person),
                r.person.id_number_masked,
                r.person.unit.code,
                r.get_kind_display(),
                r.get_channel_display(),
                r.received_on,
                r.due_on,
                _("yes") if r.overdue else _("no"),
                r.get_state_display(),
                r.completed_on,
            ]
            for r in rows
        ),
    )


@permission_required(RECORD, raise_exception=True)
def request_new(request, person_pk):
    person = person_get(user=request.user, pk=person_pk)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_receive(
                acting_user=request.user, person=person, request=request, **form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Request recorded; the answer is due by %(due)s.") % {"due": created.due_on.isoformat()},
            )
            return redirect("subjectrights:detail", pk=created.pk)
    return render(request, "subjectrights/request_form.html", {"form": form, "person": person})


def _detail_context(request, subject_request, bound: dict | None = None) -> dict:
    today = timezone.localdate()
    selectors.annotate_state(subject_request, today)
    actions = workflow.actions_for(subject_request, request.user)
    bound = bound or {}
    forms = [
        (
            action,
            bound.get(action.name) or ACTION_FORMS[action.name](initial={"version": subject_request.version}),
        )
        for action in actions
    ]
    person = subject_request.person
    changed = [
        str(type(person)._meta.get_field(name).verbose_name)
        for name in subject_request.changed_fields or []
        if name in {f.name for f in type(person)._meta.get_fields()}
    ]
    return {
        "subject_request": subject_request,
        "person": person,
        "steps": selectors.steps(subject_request),
        "action_forms": forms,
        "changed_fields": changed,
        "can_copy": (
            request.user.has_perm(RECORD)
            and subject_request.kind in workflow.COPY_KINDS
            and subject_request.state in (State.VERIFIED, State.COMPLETED)
        ),
        "is_correction": subject_request.kind == RequestKind.CORRECTION and subject_request.is_open,
        "irreversible": subject_request.kind in workflow.IRREVERSIBLE_KINDS,
    }


@permission_required(VIEW, raise_exception=True)
def request_detail(request, pk):
    subject_request = selectors.request_get(user=request.user, pk=pk)
    return render(request, "subjectrights/request_detail.html", _detail_context(request, subject_request))


@permission_required(RECORD, raise_exception=True)
def request_action(request, pk, action):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    subject_request = selectors.request_get(user=request.user, pk=pk)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        return redirect("subjectrights:detail", pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        values = dict(form.cleaned_data)
        try:
            services.request_transition(
                acting_user=request.user,
                subject_request=subject_request,
                action=action,
                request=request,
                **values,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            subject_request = selectors.request_get(user=request.user, pk=pk)
        else:
            messages.success(request, _("Saved."))
            return redirect("subjectrights:detail", pk=pk)
    context = _detail_context(request, subject_request, bound={action: form})
    return render(request, "subjectrights/request_detail.html", context, status=400)


CONTENT_TYPES = {"xlsx": XLSX, "pdf": "application/pdf"}


@permission_required(RECORD, raise_exception=True)
def copy_download(request, pk, fmt="xlsx"):
    subject_request = selectors.request_get(user=request.user, pk=pk)
    try:
        content = services.copy_produce(
            acting_user=request.user, subject_request=subject_request, fmt=fmt, request=request
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("subjectrights:detail", pk=pk)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="my-data-request-{subject_request.pk}.{fmt}"'
    return response
