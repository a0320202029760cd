from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MAX_VERSION
from occupations.models import OccupationLevel


class OccupationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=50, required=False)
    level = forms.TypedChoiceField(
        label=_("level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All")), *OccupationLevel.choices],
    )
    parent = forms.CharField(max_length=12, required=False, widget=forms.HiddenInput)

    def selector_filters(self) -> dict:
        """The valid filters only; a bad value shows as an error and filters nothing."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "level": data.get("level"),
            "parent_code": data.get("parent") or "",
        }


class OccupationNamesForm(forms.Form):
    name_zh = forms.CharField(label=_("Chinese name"), max_length=100)
    name_bo = forms.CharField(label=_("Tibetan name"), max_length=200, required=False)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}
