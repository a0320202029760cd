from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts import second_factor, selectors, services
from accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    RoleForm,
    SecondFactorCodeForm,
    StaffCreateForm,
    StaffProfileForm,
)
from accounts.roles import Role
from accounts.throttles import limit_sign_in
from audit.models import Action
from audit.services import audit_event
from core.errors import DomainError
from core.exports import xlsx_response
from core.views import apply_domain_error, paginate, query_without_page, render_list
from network.selectors import orgunit_choices


@method_decorator(limit_sign_in, name="dispatch")
class LoginView(auth_views.LoginView):
    """Password first; SecondFactorMiddleware then asks for the code where one is needed."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def lockout_response(request, response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    message = _("Too many failed sign-ins. This account is locked for %(minutes)d minutes.") % {
        "minutes": minutes
    }
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "message": message, "errors": {}}, status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)


@require_POST
def set_language(request):
    """Switch language and, for a signed-in user, remember it on the account."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_language(user=request.user, language=language)
    response = django_set_language(request)
    if response.status_code == 204:  # Django answers 204 to a bad "next"
        return HttpResponseRedirect("/")
    return response


@login_required
def profile(request):
    form = PasswordChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_password(
                user=request.user, new_password=form.cleaned_data["new_password"], request=request
            )
        except DomainError as exc:
            form.add_error("new_password", exc.errors.get("password", [str(exc.message)]))
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            return redirect("accounts:profile")
    code_form = SecondFactorCodeForm()
    code_form.fields["code"].widget.attrs.pop("autofocus", None)  # the page's first form is the password
    context = {
        "form": form,
        "code_form": code_form,
        "has_second_factor": second_factor.confirmed_totp(request.user) is not None,
        "recovery_codes_left": second_factor.recovery_codes_left(request.user),
    }
    return render(request, "accounts/profile.html", context)


@permission_required("accounts.view_staff", raise_exception=True)
def staff_list(request):
    staff = selectors.staff_list(
        user=request.user,
        role=request.GET.get("role", "")[:30],
        unit_code=request.GET.get("unit", "")[:12],
        q=request.GET.get("q", "")[:50],
    )
    if request.GET.get("format") == "xlsx":
        # Staff names are personal data: every export is on the audit trail.
        audit_event(
            action=Action.EXPORT,
            username=request.user.username,
            actor=request.user,
            request=request,
            note=f"staff export: {request.GET.urlencode()}"[:300],
        )
        return xlsx_response(
            filename="staff.xlsx",
            headers=[
                _("user name"),
                _("Chinese name"),
                _("Tibetan name"),
                _("role"),
                _("unit"),
                _("career guidance qualification"),
                _("speaks Tibetan"),
                _("speaks Chinese"),
            ],
            rows=(
                [
                    u.username,
                    u.name_zh,
                    u.name_bo,
                    u.get_role_display(),
                    u.unit.name if u.unit else "",
                    u.get_qualification_level_display() or "",
                    _("yes") if u.speaks_tibetan else _("no"),
                    _("yes") if u.speaks_chinese else _("no"),
                ]
                for u in staff
            ),
        )
    return render_list(
        request,
        "accounts/staff_list.html",
        "accounts/_staff_results.html",
        {
            "page": paginate(request, staff),
            "roles": Role.choices,
            "query": query_without_page(request),
        },
    )


@permission_required("accounts.view_staff", raise_exception=True)
def staff_detail(request, pk):
    member = selectors.staff_get(user=request.user, pk=pk)
    return render(
        request,
        "accounts/staff_detail.html",
        {
            "member": member,
            "role_form": RoleForm(initial={"role": member.role, "version": member.version}),
        },
    )


@permission_required("accounts.manage_staff", raise_exception=True)
def staff_create(request):
    form = StaffCreateForm(request.POST or None, units=orgunit_choices(user=request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            member = services.staff_create(acting_user=request.user, request=request, **data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Account created. The security administrator assigns its role."))
            return redirect("accounts:staff_detail", pk=member.pk)
    return render(request, "accounts/staff_form.html", {"form": form, "creating": True})


@permission_required("accounts.manage_staff", raise_exception=True)
def staff_edit(request, pk):
    member = selectors.staff_get(user=request.user, pk=pk)
    initial = {name: getattr(member, name) for name in services.PROFILE_FIELDS}
    initial["version"] = member.version
    form = StaffProfileForm(request.POST or None, initial=initial, units=orgunit_choices(user=request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.staff_update(
                acting_user=request.user, user=member, expected_version=version, request=request, **data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:staff_detail", pk=member.pk)
    return render(request, "accounts/staff_form.html", {"form": form, "member": member})


@require_POST
@permission_required("accounts.assign_role", raise_exception=True)
def staff_assign_role(request, pk):
    member = selectors.staff_get(user=request.user, pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.staff_assign_role(
                acting_user=request.user,
                user=member,
                role=form.cleaned_data["role"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Role saved."))
            return redirect("accounts:staff_detail", pk=member.pk)
    return render(request, "accounts/staff_detail.html", {"member": member, "role_form": form}, status=400)


@require_POST
@permission_required("accounts.unlock_login", raise_exception=True)
def staff_unlock(request, pk):
    member = selectors.staff_get(user=request.user, pk=pk)
    services.staff_unlock_login(acting_user=request.user, user=member, request=request)
    messages.success(request, _("Sign-in lock lifted."))
    return redirect("accounts:staff_detail", pk=member.pk)
