"""Forms of the employer pages. They parse input; employers.services decides."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from core.channels import IntakeChannel
from core.widgets import DateInput
from employers.models import Ownership, Size
from employers.validation import parse_credit_code
from industries import selectors as industry_selectors
from network.models import OrgUnit

YES_NO = [("", _("All")), ("yes", _("yes")), ("no", _("no"))]
UNKNOWN_INDUSTRY = _("Choose an industry from the list.")


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class IndustryField(forms.ChoiceField):
    """A GB/T 4754 division, grouped by section in a native <select>; cleans to the Industry."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.choices = self._choices_with_blank

    def _choices_with_blank(self):
        return [("", "—"), *industry_selectors.industry_choices()]

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        industry = industry_selectors.division_get(code)
        if industry is None:
            raise ValidationError(UNKNOWN_INDUSTRY, code="invalid_choice")
        return industry


class EmployerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)
    industry = forms.ChoiceField(label=_("industry"), required=False)
    unit = forms.ChoiceField(label=_("unit"), required=False)
    key_enterprise = forms.ChoiceField(label=_("key enterprise"), required=False, choices=YES_NO)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        sections = [(s.code, f"{s.code} {s.name}") for s in industry_selectors.section_list()]
        self.fields["industry"].choices = [
            ("", _("All")),
            (_("Sections"), sections),
            *industry_selectors.industry_choices(),
        ]
        self.fields["unit"].choices = [("", _("All"))] + [
            (u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in units
        ]

    def selector_filters(self) -> dict:
        """The valid filters only; a bad value shows as an error and filters nothing."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q", ""),
            "industry": data.get("industry", ""),
            "unit_code": data.get("unit", ""),
            "key_enterprise": _yes_no(data.get("key_enterprise", "")),
        }


class EmployerForm(forms.Form):
    name_zh = forms.CharField(label=_("Chinese name"), max_length=100)
    name_bo = forms.CharField(label=_("Tibetan name"), max_length=200, required=False)
    credit_code = forms.CharField(
        label=_("unified social credit code"),
        max_length=40,
        help_text=_("18 characters, as printed on the business licence."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    industry = IndustryField(label=_("industry"))
    size = forms.ChoiceField(label=_("size"), choices=Size.choices, initial=Size.SMALL)
    ownership = forms.ChoiceField(label=_("ownership"), choices=Ownership.choices)
    unit = UnitChoiceField(label=_("located in"), queryset=OrgUnit.objects.none())
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("contact phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    publish_contact_phone = forms.BooleanField(
        label=_("show the contact phone on the public job board"), required=False
    )
    description = forms.CharField(
        label=_("about the employer"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    channel = forms.ChoiceField(label=_("received through"), choices=IntakeChannel.choices)
    external_id = forms.CharField(label=_("regional platform id"), max_length=64, required=False)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2_147_483_647)

    def __init__(self, *args, units, employer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if employer is None:
            del self.fields["version"]
            del self.fields["is_active"]

    @staticmethod
    def initial_for(employer) -> dict:
        initial = {
            name: getattr(employer, name)
            for name in (
                "name_zh",
                "name_bo",
                "credit_code",
                "size",
                "ownership",
                "address",
                "contact_name",
                "contact_phone",
                "publish_contact_phone",
                "description",
                "channel",
                "is_active",
                "version",
            )
        }
        initial["industry"] = employer.industry.code
        initial["unit"] = employer.unit_id
        initial["external_id"] = employer.external_id or ""
        return initial

    def clean_credit_code(self):
        return parse_credit_code(self.cleaned_data["credit_code"])

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


def _today():
    return timezone.localdate()


class KeyFlagForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the largest employer of the township; hires many people from key groups."),
    )
    flagged_on = forms.DateField(label=_("listed on"), initial=_today, widget=DateInput())


class KeyUnflagForm(forms.Form):
    reason = forms.CharField(label=_("why removed"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    ended_on = forms.DateField(label=_("removed on"), initial=_today, widget=DateInput())


class DirectoryFilterForm(forms.Form):
    unit = forms.ChoiceField(label=_("unit"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All"))] + [
            (u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in units
        ]
