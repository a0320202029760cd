"""Pages for employment and unemployment registration (§5.7) and the closure queue."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.views import apply_domain_error, paginate, query_without_page
from network.selectors import orgunit_choices
from people.selectors import person_get
from registrations import selectors, services
from registrations.forms import (
    RegistrationCloseForm,
    RegistrationDecideForm,
    RegistrationOpenForm,
    RegistrationProposeForm,
)
from registrations.models import Kind


def _to_file(person_pk: int, anchor: str = "registrations"):
    return redirect(f"{reverse('people:person_detail', args=[person_pk])}#{anchor}")


@permission_required("people.manage_person", raise_exception=True)
def registration_open(request, person_pk):
    person = person_get(user=request.user, pk=person_pk)
    kind = request.GET.get("kind", "")
    form = RegistrationOpenForm(request.POST or None, initial={"kind": kind} if kind in Kind.values else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_open(
                acting_user=request.user, person=person, request=request, **form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Registration opened."))
            return _to_file(person.pk)
    return render(
        request,
        "registrations/registration_form.html",
        {"form": form, "person": person, "title": _("Open a registration")},
    )


@permission_required("people.manage_person", raise_exception=True)
def registration_close(request, pk):
    registration = selectors.registration_get(user=request.user, pk=pk)
    form = RegistrationCloseForm(request.POST or None, registration=registration)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.registration_close(
                acting_user=request.user,
                registration=registration,
                expected_version=data["version"],
                reason=data["reason"],
                closed_on=data["closed_on"],
                note=data["note"],
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Registration closed."))
            return _to_file(registration.person_id)
    return render(
        request,
        "registrations/registration_form.html",
        {
            "form": form,
            "person": registration.person,
            "registration": registration,
            "title": _("Close the registration"),
        },
    )


@permission_required("people.manage_person", raise_exception=True)
def registration_propose(request, pk):
    registration = selectors.registration_get(user=request.user, pk=pk)
    form = RegistrationProposeForm(request.POST or None, registration=registration)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.registration_propose_closure(
                acting_user=request.user,
                registration=registration,
                expected_version=data["version"],
                reason=data["reason"],
                note=data["note"],
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Closure proposed to the station head."))
            return _to_file(registration.person_id)
    return render(
        request,
        "registrations/registration_form.html",
        {
            "form": form,
            "person": registration.person,
            "registration": registration,
            "title": _("Propose closing the registration"),
        },
    )


@permission_required("registrations.decide_closure", raise_exception=True)
def registration_decide(request, pk):
    registration = selectors.registration_get(user=request.user, pk=pk)
    form = RegistrationDecideForm(request.POST or None, initial={"version": registration.version})
    # Only a fixed token, never a URL, so this cannot become an open redirect.
    from_queue = request.POST.get("next") == "queue"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.registration_decide_closure(
                acting_user=request.user,
                registration=registration,
                expected_version=data["version"],
                approve=data["decision"] == "approve",
                note=data["note"],
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if data["decision"] == "approve":
                messages.success(request, _("Closure approved; the registration is closed."))
            else:
                messages.success(request, _("Closure rejected; the registration stays open."))
            return redirect("registrations:proposal_list") if from_queue else _to_file(registration.person_id)
    return render(
        request,
        "registrations/registration_form.html",
        {
            "form": form,
            "person": registration.person,
            "registration": registration,
            "title": _("Decide on the closure proposal"),
        },
    )


@permission_required("registrations.decide_closure", raise_exception=True)
def proposal_list(request):
    units = orgunit_choices(user=request.user)
    unit_code = request.GET.get("unit", "")[:12]
    proposals = selectors.proposal_list(user=request.user, unit_code=unit_code)
    return render(
        request,
        "registrations/proposal_list.html",
        {"page": paginate(request, proposals), "units": units, "query": query_without_page(request)},
    )
