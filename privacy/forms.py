from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from privacy.models import AccessKind, ApprovalState

DATES_REVERSED = _("The start date is after the end date.")


class AccessFilterForm(forms.Form):
    username = forms.CharField(label=_("account"), max_length=150, required=False)
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=[("", _("All")), *AccessKind.choices])
    subject_type = forms.ChoiceField(label=_("record type"), required=False)
    subject_id = forms.CharField(label=_("record id"), max_length=40, required=False)
    date_from = forms.DateField(label=_("from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("until"), required=False, widget=DateInput())

    def __init__(self, *args, subject_types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_type"].choices = [("", _("All"))] + [(t, t) for t in subject_types]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", DATES_REVERSED)
        return data

    def selector_filters(self) -> dict:
        """The valid filters only; a bad value shows as an error and filters nothing."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {name: data[name] for name in self.fields if data.get(name) not in (None, "")}


class ApprovalFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("state"), required=False, choices=[("", _("All")), *ApprovalState.choices]
    )


class ApprovalDecisionForm(forms.Form):
    APPROVE = "approve"
    REJECT = "reject"

    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
