"""Forms of the training pages. They parse input; training.services decides."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from core.channels import IntakeChannel
from core.widgets import DateInput
from occupations.models import Occupation, OccupationLevel
from training.models import CourseLanguage, Qualification
from training.selectors import CourseTiming, ProviderStatus
from training.validation import MAX_CAPACITY, MAX_SUBSIDY

ALL = ("", _("All"))
STATUS_CHOICES = [
    ALL,
    (ProviderStatus.QUALIFIED, _("qualified (active, licence valid)")),
    (ProviderStatus.EXPIRING, _("licence expires within 60 days")),
    (ProviderStatus.EXPIRED, _("licence expired")),
    (ProviderStatus.INACTIVE, _("inactive")),
]
TIMING_CHOICES = [
    ALL,
    (CourseTiming.UPCOMING, _("upcoming")),
    (CourseTiming.RUNNING, _("running")),
    (CourseTiming.ENDED, _("ended")),
]
YES_NO = [ALL, ("yes", _("yes")), ("no", _("no"))]
OCCUPATION_PREFIX = r"^\d(-\d{2}){0,3}$"


def _unit_choices(units) -> list:
    return [ALL] + [(u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in units]


class ProviderFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=50, required=False)
    status = forms.ChoiceField(label=_("status"), required=False, choices=STATUS_CHOICES)
    unit = forms.ChoiceField(label=_("unit"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)

    def selector_filters(self) -> dict:
        """The valid filters only; a bad value shows as an error and filters nothing."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q", ""),
            "status": data.get("status", ""),
            "unit_code": data.get("unit", ""),
        }


class CourseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=50, required=False)
    occupation = forms.RegexField(
        label=_("occupation code"),
        regex=OCCUPATION_PREFIX,
        required=False,
        help_text=_("A code or its start, such as 4-03"),
        error_messages={
            "invalid": _("Give an occupation code such as 4-03-02-01, or its start such as 4-03.")
        },
    )
    language = forms.ChoiceField(label=_("language"), required=False, choices=[ALL, *CourseLanguage.choices])
    timing = forms.ChoiceField(label=_("dates"), required=False, choices=TIMING_CHOICES)
    published = forms.ChoiceField(label=_("published"), required=False, choices=YES_NO)
    unit = forms.ChoiceField(label=_("unit"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)

    def selector_filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q", ""),
            "occupation": data.get("occupation", ""),
            "language": data.get("language", ""),
            "timing": data.get("timing", ""),
            "published": {"yes": True, "no": False}.get(data.get("published", "")),
            "unit_code": data.get("unit", ""),
        }


class ProviderForm(forms.Form):
    name_zh = forms.CharField(label=_("Chinese name"), max_length=100)
    name_bo = forms.CharField(label=_("Tibetan name"), max_length=200, required=False)
    credit_code = forms.CharField(
        label=_("unified social credit code"),
        max_length=30,
        help_text=_("18 characters, as printed on the business licence or registration certificate"),
    )
    qualification = forms.ChoiceField(label=_("qualification"), choices=Qualification.choices)
    licence_number = forms.CharField(label=_("school-running licence number"), max_length=50)
    licence_expires_on = forms.DateField(label=_("licence valid until"), widget=DateInput())
    unit = UnitChoiceField(label=_("registered with"), queryset=None)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=20, required=False)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, units, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if creating:
            del self.fields["version"]
            del self.fields["is_active"]


def _occupation_choices():
    """Level-4 occupations grouped under their major group, names in the active language."""
    majors = {o.code: o.name for o in Occupation.objects.filter(level=OccupationLevel.MAJOR)}
    groups: dict[str, list] = {}
    for occupation in Occupation.objects.filter(level=OccupationLevel.OCCUPATION).order_by("code"):
        major = majors.get(occupation.code.split("-")[0], "")
        groups.setdefault(major, []).append((occupation.pk, f"{occupation.code} {occupation.name}"))
    return [("", "—"), *groups.items()]


class OccupationChoiceField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, **kwargs)
        self.choices = _occupation_choices

    def clean(self, value):
        pk = super().clean(value)
        return Occupation.objects.filter(pk=pk).first() if pk is not None else None


class ProviderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.credit_code})"


class CourseForm(forms.Form):
    provider = ProviderChoiceField(label=_("training provider"), queryset=None)
    title_zh = forms.CharField(label=_("Chinese title"), max_length=100)
    title_bo = forms.CharField(label=_("Tibetan title"), max_length=200, required=False)
    occupation = OccupationChoiceField(label=_("occupation"))
    language = forms.ChoiceField(label=_("language of instruction"), choices=CourseLanguage.choices)
    starts_on = forms.DateField(label=_("starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("ends"), widget=DateInput())
    place = forms.CharField(label=_("place"), max_length=200)
    unit = UnitChoiceField(label=_("run by"), queryset=None)
    capacity = forms.IntegerField(label=_("places"), min_value=1, max_value=MAX_CAPACITY, initial=30)
    subsidy = forms.IntegerField(
        label=_("subsidy per trainee (yuan)"), min_value=0, max_value=MAX_SUBSIDY, initial=0
    )
    channel = forms.ChoiceField(label=_("received through"), choices=IntakeChannel.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, units, providers, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["provider"].queryset = providers
        if creating:
            del self.fields["version"]


class VersionForm(forms.Form):
    """The publish and unpublish buttons carry the version the user saw."""

    version = forms.IntegerField(min_value=1, max_value=2**31 - 1)


def initial_dates(today: datetime.date) -> dict:
    return {"starts_on": today + datetime.timedelta(days=14), "ends_on": today + datetime.timedelta(days=28)}
