"""Forms of the guidance pages. They parse input; the guidance services decide."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from guidance import workflow
from guidance.models import CaseOutcome, ReviewDecision
from keygroups.models import Category
from people.choices import Education, EmploymentStatus
from policies.models import Policy
from servicerecords.models import ServiceType

NOTE_MAX = 500
TEXT_MAX = 5000
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=DATE)


def _text(label, required=True, rows=3):
    return forms.CharField(
        label=label, max_length=TEXT_MAX, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


def version_field():
    return forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class MoveForm(forms.Form):
    """One move of the case; the choices are the moves its step allows now."""

    target = forms.ChoiceField(label=_("go to"))
    version = version_field()
    note = forms.CharField(label=_("note"), max_length=NOTE_MAX, required=False)
    outcome = forms.ChoiceField(label=_("outcome"), required=False, choices=[("", "—"), *CaseOutcome.choices])

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(m.target, workflow.move_label(m)) for m in moves]


class IntakeForm(forms.Form):
    notes = _text(_("intake notes"), rows=4)
    on = _date(_("date"), required=False)


class AssessmentForm(forms.Form):
    instrument = forms.CharField(label=_("instrument"), max_length=100)
    summary = _text(_("summary"), rows=4)
    results = forms.CharField(
        label=_("results"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('Optional, as named values in JSON, for example {"R": 42, "I": 18, "S": 30}.'),
    )
    on = _date(_("date"), required=False)

    def clean_results(self):
        raw = self.cleaned_data["results"].strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("Give the results as named values (a JSON object).")) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Give the results as named values (a JSON object)."))
        return value


class GoalAnalysisForm(forms.Form):
    reasoning = _text(_("counsellor's reasoning"), rows=4)
    goals = _text(_("goals"), rows=3)
    on = _date(_("date"), required=False)


class PlanTermsForm(forms.Form):
    goals = _text(_("goals"), rows=3)
    valid_from = _date(_("valid from"))
    valid_until = _date(_("valid until"))
    review_every_days = forms.IntegerField(label=_("review every (days)"), min_value=1, max_value=366)
    version = version_field()


class PlanActionForm(forms.Form):
    description = forms.CharField(label=_("action"), max_length=300)
    due_on = _date(_("due"))
    service_type = forms.ModelChoiceField(
        label=_("service"), required=False, queryset=ServiceType.objects.none(), empty_label="—"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = ServiceType.objects.filter(is_active=True)


class ActionDoneForm(forms.Form):
    done_on = _date(_("done"), required=False)


class AgreeForm(forms.Form):
    agreed_on = _date(_("agreed on"))
    signed = forms.BooleanField(label=_("The person has read the plan, agrees with it and has signed it."))
    version = version_field()


class VersionForm(forms.Form):
    version = version_field()


class ReviewForm(forms.Form):
    on = _date(_("review date"))
    notes = _text(_("notes"), rows=3)
    decision = forms.ChoiceField(label=_("decision"), choices=ReviewDecision.choices)
    version = version_field()


class PersonalPolicyForm(forms.Form):
    situation = _text(_("situation analysis"), rows=4)
    measures = _text(_("measures"), rows=4)
    policies = forms.ModelMultipleChoiceField(
        label=_("policies applied"), required=False, queryset=Policy.objects.none()
    )
    review_on = _date(_("review on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policies"].queryset = Policy.objects.filter(is_active=True)


def _unit_choices(units, empty_label):
    return [("", empty_label), *((u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in units)]


class UnitFilterForm(forms.Form):
    unit = forms.ChoiceField(label=_("file held by"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units, _("All"))


class ProgrammeForm(forms.Form):
    title_zh = forms.CharField(label=_("Chinese title"), max_length=200)
    title_bo = forms.CharField(label=_("Tibetan title"), max_length=400, required=False)
    description = _text(_("description"), required=False)
    audience_note = forms.CharField(label=_("audience"), max_length=300, required=False)
    unit = forms.ChoiceField(label=_("run by"))
    starts_on = _date(_("starts"))
    ends_on = _date(_("ends"))
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        self.fields["unit"].choices = _unit_choices(units, "—")

    def clean_unit(self):
        return self.units[self.cleaned_data["unit"]]


class CohortForm(forms.Form):
    """The cohort filter of a programme (guidance.cohort.CohortFilter)."""

    key_group = forms.ChoiceField(label=_("key group"), required=False)
    education = forms.MultipleChoiceField(
        label=_("education"), required=False, choices=Education.choices, widget=forms.CheckboxSelectMultiple
    )
    employment_status = forms.ChoiceField(
        label=_("employment status"), required=False, choices=[("", _("All")), *EmploymentStatus.choices]
    )
    graduated_from = _date(_("graduated from"), required=False)
    graduated_until = _date(_("graduated until"), required=False)
    age_from = forms.IntegerField(label=_("age from"), required=False, min_value=0, max_value=120)
    age_to = forms.IntegerField(label=_("age to"), required=False, min_value=0, max_value=120)
    unit_code = forms.ChoiceField(label=_("within unit"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        categories = Category.objects.filter(is_active=True).order_by("order", "code")
        self.fields["key_group"].choices = [("", _("All")), *((c.code, c.name) for c in categories)]
        self.fields["unit_code"].choices = _unit_choices(units, _("All"))


class SessionForm(forms.Form):
    on = _date(_("date"))
    starts_at = forms.TimeField(
        label=_("time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = forms.CharField(label=_("place"), max_length=200)
    topic = forms.CharField(label=_("topic"), max_length=200, required=False)
