"""Login and logout go into the audit trail. Django only reports them through signals."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import Action
from audit.services import audit_event


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_event(action=Action.LOGIN, username=user.get_username(), actor=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_event(action=Action.LOGOUT, username=user.get_username(), actor=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_event(
        action=Action.LOGIN_FAILED,
        username=credentials.get("username", ""),
        request=request,
        # accounts.second_factor reports wrong codes through this signal too, to share the lockout.
        note=credentials.get("second_factor", ""),
    )


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, **kwargs):
    audit_event(action=Action.LOCKED_OUT, username=username or "", request=request)
