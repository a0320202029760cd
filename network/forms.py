from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from network.models import ServicePointKind


class OrgUnitForm(forms.Form):
    name_zh = forms.CharField(label=_("Chinese name"), max_length=100)
    name_bo = forms.CharField(label=_("Tibetan name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("latitude"), max_digits=8, decimal_places=5, required=False, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        label=_("longitude"), max_digits=8, decimal_places=5, required=False, min_value=-180, max_value=180
    )
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput)


class OrgUnitCreateForm(OrgUnitForm):
    code = forms.RegexField(
        label=_("code"),
        regex=r"^[0-9]{6,12}$",
        error_messages={"invalid": _("A division code has 6 to 12 digits.")},
    )
    field_order = ["code"]

    def __init__(self, *args, parent, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        del self.fields["is_active"]
        del self.fields["version"]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not code.startswith(self.parent.code):
            raise forms.ValidationError(_("The code must start with the parent unit's code."))
        return code


class ServicePointForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ServicePointKind.choices)
    unit = UnitChoiceField(label=_("unit"), queryset=None)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=100)
    name_bo = forms.CharField(label=_("Tibetan name"), max_length=200)
    location = forms.CharField(label=_("location"), max_length=200)
    latitude = forms.DecimalField(
        label=_("latitude"), max_digits=8, decimal_places=5, required=False, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        label=_("longitude"), max_digits=8, decimal_places=5, required=False, min_value=-180, max_value=180
    )
    schedule = forms.CharField(
        label=_("schedule"), max_length=200, help_text=_("For example: every Tuesday and Friday 10:00–16:00")
    )
    target_groups = forms.CharField(label=_("people served"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, units, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if creating:
            del self.fields["version"]
