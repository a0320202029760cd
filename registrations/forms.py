"""Forms for opening, closing and deciding on registrations. The services hold the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

from core.widgets import DateInput
from registrations.models import (
    EMPLOYMENT_CLOSE_REASONS,
    PROPOSAL_ONLY_REASONS,
    UNEMPLOYMENT_CLOSE_REASONS,
    CloseReason,
    EmploymentType,
    Kind,
)

BAD_CREDIT_CODE = _("This is not a valid unified social credit code (18 characters).")


def _date_widget():
    return DateInput()


def _reasons(kind: str, *, proposal: bool):
    allowed = UNEMPLOYMENT_CLOSE_REASONS if kind == Kind.UNEMPLOYMENT else EMPLOYMENT_CLOSE_REASONS
    if not proposal:
        allowed = [r for r in allowed if r not in PROPOSAL_ONLY_REASONS]
    return [(r.value, r.label) for r in allowed]


class RegistrationOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices)
    registered_on = forms.DateField(label=_("registered on"), widget=_date_widget())
    employment_type = forms.ChoiceField(
        label=_("employment type"),
        choices=[("", "—"), *EmploymentType.choices],
        required=False,
        help_text=_("Employment registration only."),
    )
    employer_name = forms.CharField(label=_("employer"), max_length=200, required=False)
    employer_credit_code = forms.CharField(label=_("employer credit code"), max_length=18, required=False)
    job_title = forms.CharField(label=_("job"), max_length=100, required=False)
    reason = forms.CharField(
        label=_("reason"),
        max_length=200,
        required=False,
        help_text=_("Unemployment registration: why the person is out of work."),
    )

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {"registered_on": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)

    def clean_employer_credit_code(self):
        code = self.cleaned_data["employer_credit_code"].strip().upper()
        if code and not uscc.is_valid(code):
            raise forms.ValidationError(BAD_CREDIT_CODE)
        return code


class RegistrationCloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("reason for closing"))
    closed_on = forms.DateField(label=_("closed on"), widget=_date_widget())
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, registration, **kwargs):
        kwargs.setdefault("initial", {"closed_on": timezone.localdate(), "version": registration.version})
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = _reasons(registration.kind, proposal=False)


class RegistrationProposeForm(forms.Form):
    reason = forms.ChoiceField(label=_("reason for closing"))
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, registration, **kwargs):
        initial = {"version": registration.version}
        if registration.kind == Kind.UNEMPLOYMENT:
            initial["reason"] = CloseReason.NO_CONTACT
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = _reasons(registration.kind, proposal=True)


class RegistrationDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"), choices=[("approve", _("Approve closure")), ("reject", _("Reject, keep open"))]
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
