"""Pages of the second factor: verify at sign-in, enrol, recovery codes, and the reset."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import second_factor, selectors
from accounts.forms import SecondFactorCodeForm
from accounts.throttles import limit_sign_in
from accounts.views import lockout_response


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _failed(request, form):
    """A wrong code: the lockout may now be reached, which ends the session."""
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return lockout_response(request)
    form.add_error("code", str(second_factor.OtpInvalid.default_message))
    return None


@login_required
@limit_sign_in
def otp_verify(request):
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if second_factor.confirmed_totp(user) is None:
        return redirect(f"{resolve_url('accounts:otp_enrol')}?{request.GET.urlencode()}")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor.verify_session(request=request, code=form.cleaned_data["code"])
        except second_factor.OtpInvalid:
            locked = _failed(request, form)
            if locked:
                return locked
        else:
            if device.persistent_id.startswith("otp_static"):
                messages.warning(
                    request,
                    _("You used a recovery code. %(count)d are left; make new ones on your account page.")
                    % {"count": second_factor.recovery_codes_left(user)},
                )
            return redirect(_next_url(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@limit_sign_in
def otp_enrol(request):
    user = request.user
    if second_factor.confirmed_totp(user) is not None:
        return redirect(f"{resolve_url('accounts:otp_verify')}?{request.GET.urlencode()}")
    device = second_factor.enrolment_device(user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor.confirm_enrolment(
                user=user, code=form.cleaned_data["code"], request=request
            )
        except second_factor.OtpInvalid:
            locked = _failed(request, form)
            if locked:
                return locked
        else:
            request.session[second_factor.RECOVERY_CODES_SESSION_KEY] = codes
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(
                f"{resolve_url('accounts:recovery_codes')}?{urlencode({'next': _next_url(request)})}"
            )
    context = {
        "form": form,
        "qr_svg": second_factor.qr_svg(device),
        "secret": second_factor.manual_secret(device),
        "issuer": settings.OTP_TOTP_ISSUER,
        "required": second_factor.second_factor_required(user),
        "next": _next_url(request),
    }
    return render(request, "accounts/otp_enrol.html", context)


@login_required
def recovery_codes(request):
    """The new codes, once: kept in the session only until the user says they are saved."""
    codes = request.session.get(second_factor.RECOVERY_CODES_SESSION_KEY)
    if not codes:
        messages.info(request, _("The recovery codes are shown only once. Make new ones if you lost them."))
        return redirect("accounts:profile")
    if request.method == "POST":
        del request.session[second_factor.RECOVERY_CODES_SESSION_KEY]
        return redirect(_next_url(request))
    if request.GET.get("format") == "txt":
        heading = _("Recovery codes for %(user)s (%(issuer)s); each works once:") % {
            "user": request.user.get_username(),
            "issuer": settings.OTP_TOTP_ISSUER,
        }
        text = "\n".join([heading, *codes])
        response = HttpResponse(text + "\n", content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="recovery-codes.txt"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})


@login_required
@require_POST
@limit_sign_in
def recovery_regenerate(request):
    form = SecondFactorCodeForm(request.POST)
    if form.is_valid():
        try:
            codes = second_factor.regenerate_recovery_codes(
                user=request.user, code=form.cleaned_data["code"], request=request
            )
        except second_factor.OtpInvalid:
            locked = _failed(request, form)
            if locked:
                return locked
        else:
            request.session[second_factor.RECOVERY_CODES_SESSION_KEY] = codes
            return redirect("accounts:recovery_codes")
    messages.error(request, _("The code is not correct or has already been used."))
    return redirect("accounts:profile")


@require_POST
@permission_required("accounts.reset_second_factor", raise_exception=True)
def staff_reset_second_factor(request, pk):
    member = selectors.staff_get(user=request.user, pk=pk)
    second_factor.reset_second_factor(acting_user=request.user, user=member, request=request)
    messages.success(request, _("Second factor removed. The user sets up a new one at the next sign-in."))
    return redirect("accounts:staff_detail", pk=member.pk)
