"""Forms of the service pages. They parse input; servicerecords.services decides."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.forms import MAX_VERSION
from core.widgets import DateInput
from servicerecords.models import Channel, Language, ServiceType

IN_FUTURE = _("The date cannot be in the future.")
PERIOD_REVERSED = _("The end of the period is before its start.")


def _all(choices) -> list:
    return [("", _("All")), *choices]


def _not_future(value: datetime.date) -> datetime.date:
    if value and value > timezone.localdate():
        raise forms.ValidationError(IN_FUTURE)
    return value


class ServiceTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _date_input():
    return DateInput()


class ServiceRecordForm(forms.Form):
    service_type = ServiceTypeChoiceField(label=_("service"), queryset=ServiceType.objects.none())
    on = forms.DateField(label=_("date"), validators=[_not_future], widget=_date_input())
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices)
    language = forms.ChoiceField(label=_("language used"), choices=Language.choices)
    notes = forms.CharField(
        label=_("notes"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )
    outcome = forms.CharField(label=_("outcome"), required=False, max_length=300)

    def __init__(self, *args, types, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("on", timezone.localdate())
        initial.setdefault("channel", Channel.IN_PERSON)
        initial.setdefault(
            "language", Language.TIBETAN if (get_language() or "").startswith("bo") else Language.CHINESE
        )
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = types


class ServiceEditForm(forms.Form):
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices)
    language = forms.ChoiceField(label=_("language used"), choices=Language.choices)
    notes = forms.CharField(
        label=_("notes"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )
    outcome = forms.CharField(label=_("outcome"), required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ServiceFilterForm(forms.Form):
    service_type = forms.ChoiceField(label=_("service"), required=False)
    channel = forms.ChoiceField(label=_("channel"), required=False, choices=_all(Channel.choices))
    unit = forms.ChoiceField(label=_("given by"), required=False)
    date_from = forms.DateField(label=_("from"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("until"), required=False, widget=_date_input())
    # Set by the link "all services" on a person's file.
    person = forms.IntegerField(required=False, min_value=1, max_value=MAX_VERSION, widget=forms.HiddenInput)

    def __init__(self, *args, units, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _all((u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in units)
        self.fields["service_type"].choices = _all((t.code, t.name) for t in types)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", PERIOD_REVERSED)
        return data

    def filters(self) -> dict:
        """The valid filters only; a bad value shows as an error and filters nothing."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        return {
            "service_type": data.get("service_type", ""),
            "channel": data.get("channel", ""),
            "unit_code": data.get("unit", ""),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "person_id": data.get("person"),
        }


class ServiceTypeForm(forms.Form):
    name_zh = forms.CharField(label=_("Chinese name"), max_length=100)
    name_bo = forms.CharField(label=_("Tibetan name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    is_assistance = forms.BooleanField(
        label=_("counts as assistance"),
        required=False,
        initial=True,
        help_text=_(
            "Given to a person with an open assistance file, it meets first assistance or a follow-up."
        ),
    )
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)
    sort = forms.IntegerField(label=_("order"), min_value=0, max_value=32767, initial=0)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "code")}


class ServiceTypeCreateForm(ServiceTypeForm):
    code = forms.SlugField(
        label=_("code"),
        max_length=40,
        help_text=_("Lower-case letters, digits and underscores; it cannot be changed later."),
    )
    field_order = ["code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]
