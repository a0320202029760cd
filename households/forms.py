from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from core.forms import MAX_VERSION
from households.models import Allowance
from people.choices import Relation

RELATION_REQUIRED = _("Choose how this person is related to the head of household.")


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=60)
    unit = forms.RegexField(regex=r"^[0-9]{6,12}$", required=False)
    zero = forms.ChoiceField(
        required=False,
        choices=[("", _("All")), ("yes", _("Zero-employment")), ("no", _("Not zero-employment"))],
    )


class HouseholdForm(forms.Form):
    unit = UnitChoiceField(label=_("unit"), queryset=None)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    has_business_income = forms.BooleanField(label=_("has business income"), required=False)
    allowance_status = forms.ChoiceField(label=_("allowance status"), choices=Allowance.choices)
    land_lost = forms.BooleanField(label=_("land-lost farmer or herder household"), required=False)
    relocated = forms.BooleanField(label=_("relocated household (易地搬迁)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)

    def __init__(self, *args, units, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if creating:
            del self.fields["version"]


class MemberSetForm(forms.Form):
    """Join a household chosen from the search, or leave (no household chosen)."""

    household = forms.ModelChoiceField(
        label=_("household"), queryset=None, required=False, widget=forms.RadioSelect, empty_label=None
    )
    relation_to_head = forms.ChoiceField(
        label=_("relation to the head of household"),
        choices=[("", "—")] + list(Relation.choices),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households

    def clean(self):
        data = super().clean()
        if data.get("household") is not None and not data.get("relation_to_head"):
            self.add_error("relation_to_head", RELATION_REQUIRED)
        return data
