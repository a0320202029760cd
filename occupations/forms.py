from django import forms
from django.utils.translation import gettext_lazy as _

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
