from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.views import apply_domain_error
from keygroups import selectors, services
from keygroups.forms import CategoryCreateForm, CategoryForm, MembershipAddForm, MembershipEndForm
from people.selectors import person_get


@permission_required("keygroups.view_categories", raise_exception=True)
def category_list(request):
    counts = selectors.membership_counts_by_category(user=request.user)
    categories = selectors.category_list()
    for category in categories:
        category.open_members = counts.get(category.pk, 0)
    return render(
        request,
        "keygroups/category_list.html",
        {"categories": categories, "show_counts": request.user.has_perm("people.view_person")},
    )


def _category_values(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


@permission_required("keygroups.manage_categories", raise_exception=True)
def category_create(request):
    form = CategoryCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_create(acting_user=request.user, request=request, **_category_values(form))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Category created. Memberships follow at the next refresh."))
            return redirect("keygroups:category_list")
    return render(request, "keygroups/category_form.html", {"form": form})


@permission_required("keygroups.manage_categories", raise_exception=True)
def category_edit(request, pk):
    category = selectors.category_get(pk=pk)
    initial = {name: getattr(category, name) for name in services.CATEGORY_FIELDS}
    initial["version"] = category.version
    form = CategoryForm(request.POST or None, initial=initial, category=category)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        try:
            services.category_update(
                acting_user=request.user,
                category=category,
                expected_version=version,
                request=request,
                **_category_values(form),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved. Memberships follow at the next refresh."))
            return redirect("keygroups:category_list")
    return render(request, "keygroups/category_form.html", {"form": form, "category": category})


@permission_required("people.manage_person", raise_exception=True)
def membership_add(request, person_pk):
    person = person_get(user=request.user, pk=person_pk)
    form = MembershipAddForm(
        request.POST or None,
        categories=selectors.manual_categories(),
        initial={"started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add_manual(
                acting_user=request.user, person=person, request=request, **form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Key-group membership recorded."))
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "keygroups/membership_add.html", {"form": form, "person": person})


@permission_required("people.manage_person", raise_exception=True)
def membership_end(request, pk):
    membership = selectors.membership_get(user=request.user, pk=pk)
    form = MembershipEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                acting_user=request.user,
                membership=membership,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Membership ended; it stays in the person's history."))
            return redirect("people:person_detail", pk=membership.person_id)
    return render(request, "keygroups/membership_end.html", {"form": form, "membership": membership})
