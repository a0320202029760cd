from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from network.models import OrgUnit


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The user name or password is not correct. After %(limit)s failures in a row "
            "the account is locked for a while."
        ),
        "inactive": _("This account is disabled."),
    }

    def get_invalid_login_error(self):
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'— ' * (obj.depth - 1)}{obj.name} ({obj.code})"


class StaffProfileForm(forms.Form):
    name_zh = forms.CharField(label=_("Chinese name"), max_length=50, required=False)
    name_bo = forms.CharField(label=_("Tibetan name"), max_length=100, required=False)
    phone = forms.CharField(label=_("work phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("email"), required=False)
    unit = UnitChoiceField(label=_("unit"), queryset=OrgUnit.objects.none())
    qualification_level = forms.TypedChoiceField(
        label=_("career guidance qualification"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + list(User._meta.get_field("qualification_level").choices),
    )
    speaks_tibetan = forms.BooleanField(label=_("speaks Tibetan"), required=False)
    speaks_chinese = forms.BooleanField(label=_("speaks Chinese"), required=False)
    psychological_counsellor = forms.BooleanField(label=_("psychological counsellor"), required=False)
    training_liaison = forms.BooleanField(label=_("training liaison"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.all()


class StaffCreateForm(StaffProfileForm):
    username = forms.RegexField(
        label=_("user name"),
        max_length=150,
        regex=r"^[a-z0-9][a-z0-9._-]*$",
        error_messages={"invalid": _("Use lower-case letters, digits, dots, dashes and underscores.")},
    )
    password = forms.CharField(label=_("initial password"), widget=forms.PasswordInput, strip=False)

    field_order = ["username", "password"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("role"), choices=[("", _("No role (cannot sign in to work)"))] + Role.choices, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("current password"), widget=forms.PasswordInput, strip=False)
    new_password = forms.CharField(label=_("new password"), widget=forms.PasswordInput, strip=False)
    new_password_again = forms.CharField(
        label=_("new password again"), widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_old_password(self):
        if not self.user.check_password(self.cleaned_data["old_password"]):
            raise forms.ValidationError(_("The current password is not correct."))
        return self.cleaned_data["old_password"]

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("code from your authenticator app, or a recovery code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )
