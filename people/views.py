"""Pages of the workers' register: the list, register/edit, and the one-screen file (一人一档)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.exports import EXPORT_MAX_ROWS, export_refused, xlsx_response
from core.views import apply_domain_error, filter_query, paginate, render_list
from keygroups.models import Category
from network.selectors import orgunit_choices
from people import selectors, services
from people.forms import ConsentForm, ContactForm, ExportForm, PersonFilterForm, PersonForm, RevealForm
from people.identity import age_on
from privacy.export_gate import full_export_gate
from privacy.models import AccessKind, ExportName
from privacy.services import access_log
from registrations import selectors as registration_selectors
from registrations.models import Kind

EXPORT_CAP = EXPORT_MAX_ROWS
MASKED_EXPORT_REASON = "list export (masked)"
# Query parameters that steer the page or the export rather than filter the list.
CONTROL_PARAMS = ("page", "format", "full", "reason", "approval")


def _filter_query(request) -> str:
    return filter_query(request, drop=CONTROL_PARAMS)


def _category_names() -> dict[str, str]:
    return {c.code: c.name for c in Category.objects.all()}


@permission_required("people.view_person", raise_exception=True)
def person_list(request):
    form = PersonFilterForm(request.GET or None, units=orgunit_choices(user=request.user))
    persons = selectors.person_list(user=request.user, **form.selector_filters())
    if request.GET.get("format") == "xlsx":
        return _export(request, persons, filters_valid=not form.errors)
    page = paginate(request, persons)
    codes = selectors.key_group_codes_by_person(p.pk for p in page)
    names = _category_names()
    for person in page:
        person.key_groups = [(code, names.get(code, code)) for code in codes.get(person.pk, [])]
    return render_list(
        request,
        "people/person_list.html",
        "people/_person_results.html",
        {"form": form, "page": page, "query": _filter_query(request), "export_form": ExportForm()},
    )


def _export(request, persons, *, filters_valid: bool):
    export_form = ExportForm(request.GET)
    export_form.is_valid()
    full = bool(export_form.cleaned_data.get("full"))
    if full and not request.user.has_perm("people.export_full"):
        raise PermissionDenied
    back = f"{reverse('people:person_list')}?{_filter_query(request)}"
    if export_form.errors:
        for errors in export_form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    count = persons.count()
    if export_refused(request, count=count, filters_valid=filters_valid, cap=EXPORT_CAP):
        return redirect(back)
    if not full:
        return _export_file(request, persons, full=False, reason=MASKED_EXPORT_REASON)
    # The approval is spent in the transaction that writes the file and its log row.
    with transaction.atomic():
        gate = full_export_gate(
            request,
            export=ExportName.PEOPLE_LIST,
            count=count,
            reason=export_form.cleaned_data["reason"],
            back=back,
        )
        if gate.response is not None:
            return gate.response
        reason = export_form.cleaned_data["reason"]
        if gate.approval is not None:
            reason = f"{gate.approval.reason} (approval {gate.approval.pk})"
        return _export_file(request, persons, full=True, reason=reason)


def _export_file(request, persons, *, full: bool, reason: str):
    if not full:
        # The encrypted columns are not even read for a masked export.
        persons = persons.defer("id_number", "phone", "disability_details")
    rows = list(persons.order_by("unit__path", "id"))
    codes: dict[int, list[str]] = {}
    for start in range(0, len(rows), 5000):
        codes.update(selectors.key_group_codes_by_person(p.pk for p in rows[start : start + 5000]))
    fields = [
        "name_zh",
        "name_bo",
        "id_number" if full else "id_number_masked",
        "phone" if full else "phone_masked",
    ]
    access_log(
        user=request.user,
        kind=AccessKind.EXPORT,
        subject_type="person",
        record_count=len(rows),
        query=_filter_query(request),
        fields=[*fields, "unit", "employment_status", "key_groups"],
        reason=reason,
        request=request,
    )
    return xlsx_response(
        filename="persons.xlsx",
        headers=[
            _("Chinese name"),
            _("Tibetan name"),
            _("resident ID number"),
            _("phone"),
            _("sex"),
            _("date of birth"),
            _("unit code"),
            _("unit"),
            _("employment status"),
            _("key groups"),
            _("unreachable"),
        ],
        rows=(
            [
                p.name_zh,
                p.name_bo,
                p.id_number if full else p.id_number_masked,
                p.phone if full else p.phone_masked,
                p.get_sex_display(),
                p.birth_date,
                p.unit.code,
                p.unit.name,
                p.get_employment_status_display(),
                " ".join(codes.get(p.pk, [])),
                _("yes") if p.is_unreachable else "",
            ]
            for p in rows
        ),
    )


@permission_required("people.manage_person", raise_exception=True)
def person_create(request):
    form = PersonForm(request.POST or None, units=orgunit_choices(user=request.user))
    possible_duplicate = False
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_register(
                acting_user=request.user,
                values=form.values(),
                confirm_similar=form.cleaned_data.get("confirm_similar", False),
                request=request,
            )
        except DomainError as exc:
            possible_duplicate = exc.code == "possible_duplicate"
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Person registered."))
            return redirect("people:person_detail", pk=person.pk)
    return render(
        request, "people/person_form.html", {"form": form, "possible_duplicate": possible_duplicate}
    )


@permission_required("people.manage_person", raise_exception=True)
def person_edit(request, pk):
    person = selectors.person_get(user=request.user, pk=pk)
    form = PersonForm(
        request.POST or None,
        units=orgunit_choices(user=request.user),
        person=person,
        initial=PersonForm.initial_for(person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                acting_user=request.user,
                person=person,
                expected_version=form.cleaned_data["version"],
                changes=form.values(),
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            # The service may have set values on the instance before refusing; show the stored ones.
            person = selectors.person_get(user=request.user, pk=pk)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


def _file_context(request, person, **forms) -> dict:
    """Everything the one-screen file shows; `forms` replaces a blank form with a bound one."""
    user = request.user
    today = timezone.localdate()
    household_members = []
    if person.household_id:
        household_members = (
            selectors.person_list(user=user)
            .filter(household_id=person.household_id)
            .order_by("relation_to_head", "birth_date")
        )
    registrations = list(registration_selectors.registration_list_for_person(user=user, person=person))
    for registration in registrations:
        registration.actions = registration_selectors.registration_actions(
            user=user, registration=registration
        )
    open_kinds = {r.kind for r in registrations if r.status != "closed"}
    contacts = person.contacts.select_related("by")
    return {
        "person": person,
        "age": age_on(person.birth_date, today),
        "desired_occupations": person.desired_occupations.all(),
        "desired_districts": person.desired_districts.all(),
        "household": person.household,
        "household_members": household_members,
        "open_memberships": selectors.open_key_groups(person),
        "past_memberships": person.key_group_memberships.filter(ended_on__isnull=False).select_related(
            "category"
        ),
        "registrations": registrations,
        "can_open": [kind for kind in Kind if kind not in open_kinds],
        "contacts": contacts[:30],
        "contact_count": contacts.count(),
        "consents": person.consents.select_related("recorded_by", "withdrawn_by"),
        "contact_form": forms.get("contact_form") or ContactForm(),
        "consent_form": forms.get("consent_form") or ConsentForm(),
        "reveal_form": RevealForm(),
    }


@permission_required("people.view_person", raise_exception=True)
def person_detail(request, pk):
    person = selectors.person_get(user=request.user, pk=pk)
    return render(request, "people/person_detail.html", _file_context(request, person))


@never_cache
@require_POST
@permission_required("people.reveal_identifiers", raise_exception=True)
def person_reveal(request, pk):
    person = selectors.person_get(user=request.user, pk=pk)
    form = RevealForm(request.POST)
    revealed = None
    if form.is_valid():
        try:
            revealed = services.person_reveal(
                acting_user=request.user, person=person, reason=form.cleaned_data["reason"], request=request
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
    template = "people/_reveal.html" if request.htmx else "people/person_reveal.html"
    return render(request, template, {"person": person, "reveal_form": form, "revealed": revealed})


def _back_to_file(person, anchor: str):
    return redirect(f"{reverse('people:person_detail', args=[person.pk])}#{anchor}")


@require_POST
@permission_required("people.manage_person", raise_exception=True)
def contact_add(request, pk):
    person = selectors.person_get(user=request.user, pk=pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_record(
                acting_user=request.user, person=person, request=request, **form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Contact attempt recorded."))
            return _back_to_file(person, "contacts")
    return render(request, "people/person_detail.html", _file_context(request, person, contact_form=form))


@require_POST
@permission_required("people.manage_person", raise_exception=True)
def consent_add(request, pk):
    person = selectors.person_get(user=request.user, pk=pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_give(
                acting_user=request.user,
                person=person,
                purpose=form.cleaned_data["purpose"],
                channel=form.cleaned_data["channel"],
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return _back_to_file(person, "consents")
    return render(request, "people/person_detail.html", _file_context(request, person, consent_form=form))


@require_POST
@permission_required("people.manage_person", raise_exception=True)
def consent_withdraw(request, pk, consent_pk):
    person = selectors.person_get(user=request.user, pk=pk)
    consent = person.consents.filter(pk=consent_pk).first()
    if consent is None:
        raise Http404
    try:
        services.consent_withdraw(acting_user=request.user, consent=consent, request=request)
    except DomainError as exc:
        messages.error(request, " ".join(str(m) for msgs in exc.errors.values() for m in msgs) or exc.message)
    else:
        messages.success(request, _("Consent withdrawn."))
    return _back_to_file(person, "consents")


@require_POST
@permission_required("notifications.push_item", raise_exception=True)
def push_add(request, pk):
    """Push a published vacancy or a recommendable course to the person (§5.4.1, the 1:4 count)."""
    from notifications.forms import PushForm
    from notifications.services import push_to_person

    person = selectors.person_get(user=request.user, pk=pk)
    form = PushForm(request.POST)
    if form.is_valid():
        try:
            push = push_to_person(
                person=person,
                item=form.cleaned_data["item"],
                channel=form.cleaned_data["channel"] or None,
                acting_user=request.user,
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if push.is_new:
                messages.success(request, _("Pushed: %(subject)s") % {"subject": push.subject})
            else:
                messages.info(
                    request,
                    _(
                        "This item was already pushed to the person on this channel on %(date)s; "
                        "it was not sent again."
                    )
                    % {"date": date_format(timezone.localtime(push.created_at), "SHORT_DATE_FORMAT")},
                )
            return _back_to_file(person, "pushes")
    context = _file_context(request, person)
    context["push_form"] = form
    return render(request, "people/person_detail.html", context)
