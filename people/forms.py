"""Forms of the workers' register pages. They parse input; the services decide."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from core.text import validate_name_text
from keygroups.models import Category
from network.models import Level, OrgUnit
from occupations.models import Occupation, OccupationLevel
from people.choices import (
    CHANNEL_PURPOSES,
    ConsentChannel,
    ConsentPurpose,
    ContactChannel,
    ContactOutcome,
    Disability,
    Education,
    EmploymentStatus,
    Proficiency,
    WorkMode,
)
from people.models import Person

YES_NO = [("", _("All")), ("yes", _("yes")), ("no", _("no"))]
KEEP_CURRENT = _("Current: %(masked)s. Leave empty to keep it.")
INFO_NEEDS_REACHING = _("Information can only be marked as updated when the person was reached.")
NOT_IN_FUTURE = _("The time cannot be in the future.")
REASON_FOR_FULL = _("Give the reason for exporting full ID numbers and phones.")


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)
    unit = forms.ChoiceField(label=_("unit"), required=False)
    status = forms.ChoiceField(
        label=_("employment status"), required=False, choices=[("", _("All")), *EmploymentStatus.choices]
    )
    key_group = forms.ChoiceField(label=_("key group"), required=False)
    unreachable = forms.ChoiceField(label=_("unreachable"), required=False, choices=YES_NO)
    zero_employment = forms.ChoiceField(label=_("zero-employment household"), required=False, choices=YES_NO)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All"))] + [
            (u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in units
        ]
        self.fields["key_group"].choices = [("", _("All"))] + [
            (c.code, c.name) for c in Category.objects.filter(is_active=True)
        ]

    def selector_filters(self) -> dict:
        """The valid filters only; a bad value shows as an error and filters nothing."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q", ""),
            "unit_code": data.get("unit", ""),
            "status": data.get("status", ""),
            "key_group": data.get("key_group", ""),
            "unreachable": _yes_no(data.get("unreachable", "")),
            "zero_employment": _yes_no(data.get("zero_employment", "")),
        }


class ExportForm(forms.Form):
    full = forms.BooleanField(label=_("full ID numbers and phones"), required=False)
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("full") and not (data.get("reason") or "").strip():
            self.add_error("reason", REASON_FOR_FULL)
        return data


class OccupationField(forms.MultipleChoiceField):
    """Leaf occupations grouped under their major group; a native <select multiple>."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.choices = self._grouped

    @staticmethod
    def _grouped():
        majors = {o.code: o.name for o in Occupation.objects.filter(level=OccupationLevel.MAJOR)}
        groups: dict[str, list] = {}
        for occupation in Occupation.objects.filter(level=OccupationLevel.OCCUPATION).order_by("code"):
            major = majors.get(occupation.code.split("-")[0], "")
            groups.setdefault(major, []).append((str(occupation.pk), f"{occupation.code} {occupation.name}"))
        return list(groups.items())

    def clean(self, value):
        return [int(pk) for pk in super().clean(value)]


def _any_unit_queryset():
    return OrgUnit.objects.filter(is_active=True).order_by("path")


class PersonForm(forms.Form):
    """One form for register and edit; fieldsets are listed in FIELDSETS for the template."""

    name_zh = forms.CharField(
        label=_("Chinese name"), max_length=50, required=False, validators=[validate_name_text]
    )
    name_bo = forms.CharField(
        label=_("Tibetan name"), max_length=100, required=False, validators=[validate_name_text]
    )
    id_number = forms.CharField(
        label=_("resident ID number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    unit = UnitChoiceField(label=_("file held by"), queryset=OrgUnit.objects.none())
    household_unit = UnitChoiceField(label=_("household registration (户籍)"), queryset=_any_unit_queryset())
    residence_unit = UnitChoiceField(label=_("lives in"), queryset=_any_unit_queryset())
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    education = forms.ChoiceField(label=_("education"), choices=Education.choices, initial=Education.SENIOR)
    major = forms.CharField(label=_("major"), max_length=100, required=False)
    graduation_date = forms.DateField(
        label=_("graduation date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    skills = forms.CharField(label=_("skills"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    certificates = forms.CharField(
        label=_("certificates"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    work_history = forms.CharField(
        label=_("work history"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    experience_years = forms.IntegerField(
        label=_("years of work experience"), required=False, min_value=0, max_value=60, initial=0
    )
    tibetan_level = forms.ChoiceField(label=_("Tibetan"), choices=Proficiency.choices)
    chinese_level = forms.ChoiceField(label=_("Chinese"), choices=Proficiency.choices)
    disability = forms.ChoiceField(label=_("disability grade"), choices=Disability.choices)
    disability_details = forms.CharField(
        label=_("disability details"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    desired_occupations = OccupationField(
        label=_("desired occupations"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )
    desired_districts = forms.ModelMultipleChoiceField(
        label=_("desired districts"),
        required=False,
        queryset=OrgUnit.objects.filter(is_active=True, level=Level.DISTRICT).order_by("path"),
        widget=forms.CheckboxSelectMultiple,
    )
    salary_expectation = forms.IntegerField(
        label=_("expected monthly salary (yuan)"), required=False, min_value=0, max_value=1_000_000
    )
    work_mode = forms.ChoiceField(label=_("kind of work"), choices=WorkMode.choices, initial=WorkMode.ANY)
    willing_outside_county = forms.BooleanField(label=_("willing to work outside the county"), required=False)
    employment_status = forms.ChoiceField(
        label=_("employment status"), choices=EmploymentStatus.choices, initial=EmploymentStatus.UNEMPLOYED
    )
    able_and_willing = forms.BooleanField(
        label=_("able and willing to work"),
        required=False,
        initial=True,
        help_text=_("Untick for a member who cannot work or does not want to (counts for zero-employment)."),
    )
    preferred_language = forms.ChoiceField(
        label=_("preferred language"), choices=Person._meta.get_field("preferred_language").choices
    )
    contact_channel = forms.ChoiceField(
        label=_("preferred contact channel"), choices=ContactChannel.choices, initial=ContactChannel.PHONE
    )
    confirm_similar = forms.BooleanField(
        label=_("This is a different person — register anyway"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    FIELDSETS = [
        (_("Names"), ["name_zh", "name_bo"]),
        (_("Identity"), ["id_number", "phone"]),
        (_("Where"), ["unit", "household_unit", "residence_unit", "address"]),
        (
            _("Background"),
            [
                "education",
                "major",
                "graduation_date",
                "skills",
                "certificates",
                "work_history",
                "experience_years",
            ],
        ),
        (_("Languages"), ["tibetan_level", "chinese_level"]),
        (_("Disability"), ["disability", "disability_details"]),
        (
            _("Job intentions"),
            [
                "desired_occupations",
                "desired_districts",
                "salary_expectation",
                "work_mode",
                "willing_outside_county",
            ],
        ),
        (_("Employment"), ["employment_status", "able_and_willing"]),
        (_("Contact preferences"), ["preferred_language", "contact_channel"]),
    ]
    # Not part of the person's values.
    CONTROL_FIELDS = ("confirm_similar", "version")

    def __init__(self, *args, units, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["unit"].queryset = units
        if person is not None:
            # On edit the stored identifiers are never sent to the browser; empty keeps them.
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = KEEP_CURRENT % {"masked": person.id_number_masked}
            if person.phone_masked:
                self.fields["phone"].help_text = KEEP_CURRENT % {"masked": person.phone_masked}
            del self.fields["confirm_similar"]
            self.fields["version"].required = True

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        from people.services import PERSON_FIELDS

        initial = {name: getattr(person, name) for name in PERSON_FIELDS if name in cls.base_fields}
        initial["unit"] = person.unit_id
        initial["household_unit"] = person.household_unit_id
        initial["residence_unit"] = person.residence_unit_id
        initial["desired_occupations"] = [
            str(pk) for pk in person.desired_occupations.values_list("pk", flat=True)
        ]
        initial["desired_districts"] = list(person.desired_districts.values_list("pk", flat=True))
        initial["version"] = person.version
        return initial

    def fieldsets(self):
        return [
            (title, [self[name] for name in names if name in self.fields]) for title, names in self.FIELDSETS
        ]

    def values(self) -> dict:
        """The cleaned person values; on edit an empty ID or phone means "keep"."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.CONTROL_FIELDS}
        data["desired_districts"] = list(data["desired_districts"])
        data["experience_years"] = data.get("experience_years") or 0
        if self.person is not None:
            for name in ("id_number", "phone"):
                if not (data.get(name) or "").strip():
                    data.pop(name, None)
        return data


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)


class ContactForm(forms.Form):
    at = forms.DateTimeField(
        label=_("time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    channel = forms.ChoiceField(label=_("channel"), choices=ContactChannel.choices)
    outcome = forms.ChoiceField(label=_("outcome"), choices=ContactOutcome.choices)
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    info_updated = forms.BooleanField(
        label=_("information updated"),
        required=False,
        help_text=_("The person's information was checked and updated."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"at": timezone.localtime().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)

    def clean_at(self):
        at = self.cleaned_data["at"]
        # A little slack for a clock that runs ahead of the server's.
        if at > timezone.now() + datetime.timedelta(minutes=10):
            raise forms.ValidationError(NOT_IN_FUTURE)
        return at

    def clean(self):
        data = super().clean()
        if data.get("info_updated") and data.get("outcome") and data["outcome"] != ContactOutcome.REACHED:
            self.add_error("info_updated", INFO_NEEDS_REACHING)
        return data


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("purpose"), choices=ConsentPurpose.choices)
    channel = forms.ChoiceField(
        label=_("channel"),
        required=False,
        choices=[("", _("All channels")), *ConsentChannel.choices],
        help_text=_("Notifications only: consent may cover one channel."),
    )

    def clean(self):
        data = super().clean()
        if data.get("channel") and data.get("purpose") not in CHANNEL_PURPOSES:
            self.add_error("channel", _("Only a consent to notifications can name a channel."))
        return data
