"""Forms of the vacancy pages. They parse input; vacancies.services decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from core.channels import IntakeChannel
from occupations.models import Occupation
from occupations.selectors import leaf_choices
from people.choices import Education, Proficiency
from vacancies import selectors, workflow
from vacancies.models import PayPeriod, Source, Status, WorkType

MAX_SALARY = 1_000_000
MAX_HEADCOUNT = 10_000
OCCUPATION_CODE = r"^\d(-\d{2}){0,3}$"


def _all(choices) -> list:
    return [("", _("All")), *choices]


class VacancyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=60, required=False)
    status = forms.ChoiceField(label=_("status"), required=False, choices=_all(Status.choices))
    work_type = forms.ChoiceField(label=_("kind of work"), required=False, choices=_all(WorkType.choices))
    occupation = forms.RegexField(
        label=_("occupation code"),
        regex=OCCUPATION_CODE,
        required=False,
        max_length=12,
        error_messages={"invalid": _("Give an occupation code such as 4-03 or 4-03-02-01.")},
    )
    unit = forms.ChoiceField(label=_("held by"), required=False)
    employer = forms.TypedChoiceField(label=_("employer"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from network.selectors import orgunit_choices

        self.fields["unit"].choices = _all(
            (u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in orgunit_choices(user=user)
        )
        self.fields["employer"].choices = _all(
            (e.pk, e.name_zh) for e in selectors.employer_choices(user=user)
        )

    def selector_filters(self) -> dict:
        """The valid filters only; a bad value shows as an error and filters nothing."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q", ""),
            "status": data.get("status", ""),
            "work_type": data.get("work_type", ""),
            "occupation_code": data.get("occupation", ""),
            "unit_code": data.get("unit", ""),
            "employer_id": data.get("employer"),
        }


def _text(label, *, rows=2, max_length=2000):
    return forms.CharField(
        label=label, required=False, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


class VacancyForm(forms.Form):
    employer = forms.ModelChoiceField(label=_("employer"), queryset=None)
    title_zh = forms.CharField(label=_("Chinese title"), max_length=100)
    title_bo = forms.CharField(label=_("Tibetan title"), max_length=200, required=False)
    occupation = forms.TypedChoiceField(label=_("occupation"), coerce=int, choices=leaf_choices)
    description = _text(_("job description"), rows=4, max_length=5000)
    headcount = forms.IntegerField(label=_("headcount"), min_value=1, max_value=MAX_HEADCOUNT, initial=1)
    salary_min = forms.IntegerField(label=_("lowest pay (yuan)"), min_value=0, max_value=MAX_SALARY)
    salary_max = forms.IntegerField(label=_("highest pay (yuan)"), min_value=0, max_value=MAX_SALARY)
    pay_period = forms.ChoiceField(label=_("pay period"), choices=PayPeriod.choices, initial=PayPeriod.MONTH)
    work_type = forms.ChoiceField(label=_("kind of work"), choices=WorkType.choices)
    unit = UnitChoiceField(label=_("held by"), queryset=None)
    work_unit = UnitChoiceField(label=_("place of work"), queryset=None)

    education_min = forms.ChoiceField(label=_("minimum education"), choices=Education.choices)
    age_min = forms.IntegerField(label=_("minimum age"), required=False, min_value=0, max_value=100)
    age_max = forms.IntegerField(label=_("maximum age"), required=False, min_value=0, max_value=100)
    age_reason = forms.CharField(
        label=_("why the age range is needed"),
        required=False,
        max_length=300,
        help_text=_(
            "Needed when the range is narrower than working age, e.g. a legal requirement of the job."
        ),
    )
    tibetan_required = forms.ChoiceField(label=_("Tibetan needed"), choices=Proficiency.choices)
    chinese_required = forms.ChoiceField(label=_("Chinese needed"), choices=Proficiency.choices)
    skills = _text(_("skills"))
    certificates = _text(_("certificates"))
    experience_years_min = forms.IntegerField(
        label=_("years of experience wanted"), required=False, min_value=0, max_value=40, initial=0
    )
    physical_requirements = forms.CharField(label=_("physical conditions"), required=False, max_length=300)
    other_requirements = _text(_("other requirements"))

    accommodation = forms.BooleanField(label=_("accommodation provided"), required=False)
    meals = forms.BooleanField(label=_("meals provided"), required=False)
    social_insurance = forms.BooleanField(label=_("social insurance"), required=False)

    source = forms.ChoiceField(label=_("source"), choices=Source.choices, initial=Source.STAFF)
    channel = forms.ChoiceField(label=_("received through"), choices=IntakeChannel.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    FIELDSETS = [
        (
            _("The job"),
            ["employer", "title_zh", "title_bo", "occupation", "description", "headcount", "work_type"],
        ),
        (_("Pay"), ["salary_min", "salary_max", "pay_period"]),
        (_("Where"), ["unit", "work_unit"]),
        (
            _("Requirements"),
            [
                "education_min",
                "age_min",
                "age_max",
                "age_reason",
                "tibetan_required",
                "chinese_required",
                "skills",
                "certificates",
                "experience_years_min",
                "physical_requirements",
                "other_requirements",
            ],
        ),
        (_("Benefits"), ["accommodation", "meals", "social_insurance"]),
        (_("Received"), ["source", "channel"]),
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from network.selectors import orgunit_choices

        self.fields["employer"].queryset = selectors.employer_choices(user=user)
        self.fields["unit"].queryset = orgunit_choices(user=user)
        self.fields["work_unit"].queryset = selectors.work_unit_choices()

    @classmethod
    def initial_for(cls, vacancy) -> dict:
        from vacancies.services import VACANCY_FIELDS

        initial = {name: getattr(vacancy, name) for name in VACANCY_FIELDS if name in cls.base_fields}
        initial.update(
            employer=vacancy.employer_id,
            occupation=vacancy.occupation_id,
            unit=vacancy.unit_id,
            work_unit=vacancy.work_unit_id,
            version=vacancy.version,
        )
        return initial

    def fieldsets(self):
        return [(title, [self[name] for name in names]) for title, names in self.FIELDSETS]

    def values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["occupation"] = Occupation.objects.get(pk=data["occupation"])
        for name in ("description", "skills", "certificates", "other_requirements", "title_bo"):
            data[name] = data.get(name) or ""
        data["experience_years_min"] = data.get("experience_years_min") or 0
        return data


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, name) for name in workflow.PUBLIC_ACTIONS])
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2_147_483_647)
