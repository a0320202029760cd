"""Forms of the recommendation pages. They parse input; recommendations.services decides."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from recommendations import workflow
from recommendations.models import Origin, State

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
NOTE_MAX = 500
# Recorded after a hire; not a step of the chain (recommendations.services.recommendation_record_follow_up).
FOLLOW_UP = "follow_up"


def _all(choices) -> list:
    return [("", _("All")), *choices]


class RecommendationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)
    state = forms.ChoiceField(label=_("state"), required=False, choices=_all(State.choices))
    origin = forms.ChoiceField(label=_("origin"), required=False, choices=_all(Origin.choices))
    unit = forms.ChoiceField(label=_("file held by"), required=False)
    month = forms.RegexField(
        label=_("matched in"),
        regex=MONTH,
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"invalid": _("Give a month such as 2026-03.")},
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _all((u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in units)

    def filters(self) -> dict:
        """The valid filters only; a bad value shows as an error and filters nothing."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        month = data.get("month") or ""
        return {
            "q": data.get("q", ""),
            "state": data.get("state", ""),
            "origin": data.get("origin", ""),
            "unit_code": data.get("unit", ""),
            "month": datetime.date(int(month[:4]), int(month[5:]), 1) if month else None,
        }


class ActionForm(forms.Form):
    """One step on one recommendation; which fields matter depends on the action."""

    action = forms.ChoiceField(choices=[(name, name) for name in [*workflow.PUBLIC_ACTIONS, FOLLOW_UP]])
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("reason"), max_length=20, required=False)
    on = forms.DateField(label=_("date"), required=False, widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=NOTE_MAX, required=False)
    confirm = forms.BooleanField(label=_("I confirm"), required=False)

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "action": data["action"],
            "version": data["version"],
            "reason": data["reason"],
            "note": data["note"],
            "on": data["on"],
            "confirm": data["confirm"],
        }
