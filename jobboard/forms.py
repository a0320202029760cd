"""The board's search filters: one form parses them for the pages and for the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from network.models import Level, OrgUnit
from occupations.models import Occupation, OccupationLevel
from vacancies.models import WorkType

Q_MAX_LENGTH = 100
# Far above any real wage, and inside every database's integer range.
SALARY_MAX_VALUE = 1_000_000


class VacancySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Keyword"),
        required=False,
        max_length=Q_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"max_length": _("Use at most %(limit_value)d characters.")},
    )
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=12)
    district = forms.CharField(label=_("District or county"), required=False, max_length=12)
    salary_min = forms.IntegerField(
        label=_("Pay at least (yuan)"),
        required=False,
        min_value=0,
        max_value=SALARY_MAX_VALUE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 100}),
        error_messages={
            "invalid": _("Enter a whole number of yuan."),
            "min_value": _("Enter 0 or more."),
            "max_value": _("Enter at most %(limit_value)s."),
        },
    )
    work_type = forms.ChoiceField(
        label=_("Kind of work"),
        required=False,
        choices=[("", _("Any"))] + WorkType.choices,
        error_messages={"invalid_choice": _("Not one of the allowed values.")},
    )

    def __init__(self, *args, with_choices: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_choices:  # the API needs no <select> options
            return
        # Pages offer the major groups and districts; the API also takes finer codes.
        majors = Occupation.objects.filter(level=OccupationLevel.MAJOR).order_by("code")
        self.fields["occupation"].widget = forms.Select(
            choices=[("", _("Any"))] + [(o.code, o.name) for o in majors]
        )
        self.fields["district"].widget = forms.Select(
            choices=[("", _("Anywhere in Lhasa"))] + [(u.code, u.name) for u in _districts()]
        )

    def clean_occupation(self):
        code = self.cleaned_data["occupation"]
        if code and not Occupation.objects.filter(code=code).exists():
            raise forms.ValidationError(_("No occupation has this code."))
        return code

    def clean_district(self):
        code = self.cleaned_data["district"]
        if code and not _districts().filter(code=code).exists():
            raise forms.ValidationError(_("Not a district or county of Lhasa."))
        return code


def _districts():
    return OrgUnit.objects.filter(level=Level.DISTRICT, is_active=True).order_by("code")
