"""Forms of the data-subject request pages. They parse input; subjectrights.services decides."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import MAX_VERSION
from core.widgets import DateInput
from subjectrights.models import RefusalReason, RequestChannel, RequestKind, State, VerificationMethod
from subjectrights.services import NOTE_MAX, TEXT_MAX

IN_FUTURE = _("The date cannot be in the future.")


def _all(choices) -> list:
    return [("", _("All")), *choices]


def _version():
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)


def _text(label, *, required=True, max_length=TEXT_MAX):
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": 3})
    )


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("request"), choices=RequestKind.choices)
    channel = forms.ChoiceField(label=_("received through"), choices=RequestChannel.choices)
    received_on = forms.DateField(label=_("received on"), widget=DateInput())
    details = _text(_("what the person asked"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(IN_FUTURE)
        return value


class VerifyForm(forms.Form):
    method = forms.ChoiceField(label=_("identity verified by"), choices=VerificationMethod.choices)
    note = forms.CharField(label=_("note"), max_length=NOTE_MAX, required=False)
    version = _version()


class CompleteForm(forms.Form):
    outcome = _text(_("what was done"))
    version = _version()


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(label=_("reason for refusal"), choices=RefusalReason.choices)
    note = forms.CharField(
        label=_("explanation to the person"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = _version()


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=NOTE_MAX, required=False)
    version = _version()


ACTION_FORMS = {
    "verify": VerifyForm,
    "complete": CompleteForm,
    "refuse": RefuseForm,
    "withdraw": WithdrawForm,
}


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=_("state"), required=False, choices=_all(State.choices))
    kind = forms.ChoiceField(label=_("request"), required=False, choices=_all(RequestKind.choices))
    unit = forms.ChoiceField(label=_("unit"), required=False)
    overdue = forms.BooleanField(label=_("overdue only"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _all((u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in units)

    def filters(self) -> dict:
        """The valid filters only; a bad value shows as an error and filters nothing."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        return {
            "state": data.get("state", ""),
            "kind": data.get("kind", ""),
            "overdue_only": bool(data.get("overdue")),
            "unit_code": data.get("unit", ""),
        }
