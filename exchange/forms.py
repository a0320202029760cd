import datetime

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from keygroups.models import Category
from vacancies.models import Status

VACANCIES = "vacancies"
JOB_SEEKERS = "job_seekers"
WHAT = [(VACANCIES, _("Vacancies")), (JOB_SEEKERS, _("Job seekers"))]
FORMATS = [("json", "JSON"), ("xlsx", _("Excel (.xlsx)"))]
ONLY_JSON_OR_XLSX = _("Choose a .json or an .xlsx file.")
TOO_BIG = _("The file is larger than %(limit)s. Split it into smaller files.")
REASON_FOR_FULL = _("Give the reason you need the full values.")
DATES_REVERSED = _("The end date is before the start date.")
RANGE_TOO_LONG = _("Choose a period of at most %(days)s days.")
MAX_INTAKE_DAYS = 3 * 366
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)
OUT_OF_RANGE = _("Give a day between 2000 and 2100.")


class ImportForm(forms.Form):
    what = forms.ChoiceField(label=_("records"), choices=WHAT)
    file = forms.FileField(
        label=_("File (.json or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.xlsx,application/json"}),
    )
    valid_only = forms.BooleanField(
        label=_("Import the valid records even if others have errors"),
        required=False,
        help_text=_("Otherwise nothing is imported while any record has an error."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".json", ".xlsx")):
            raise forms.ValidationError(ONLY_JSON_OR_XLSX)
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(TOO_BIG % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)})
        return upload


class _SinceField(forms.DateField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("changed since"),
            required=False,
            widget=DateInput(),
            help_text=_("Only records changed on or after this day."),
            **kwargs,
        )

    def validate(self, value):
        super().validate(value)
        if value and not EARLIEST <= value <= timezone.localdate():
            raise forms.ValidationError(_("Give a day between 2000 and today."))


class VacancyExportForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), required=False, choices=[("", _("All")), *Status.choices])
    since = _SinceField()
    format = forms.ChoiceField(label=_("format"), choices=FORMATS, initial="xlsx")


class JobSeekerExportForm(forms.Form):
    unit = forms.ChoiceField(label=_("unit"), required=False)
    key_group = forms.ChoiceField(label=_("key group"), required=False)
    since = _SinceField()
    format = forms.ChoiceField(label=_("format"), choices=FORMATS, initial="xlsx")
    full = forms.BooleanField(label=_("full ID numbers and phones"), required=False)
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)

    def __init__(self, *args, units, may_export_full: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All"))] + [
            (u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in units
        ]
        self.fields["key_group"].choices = [("", _("All"))] + [
            (c.code, c.name) for c in Category.objects.filter(is_active=True)
        ]
        if not may_export_full:
            del self.fields["full"]
            del self.fields["reason"]

    def clean(self):
        data = super().clean()
        if data.get("full") and not (data.get("reason") or "").strip():
            self.add_error("reason", REASON_FOR_FULL)
        return data


class IntakeForm(forms.Form):
    date_from = forms.DateField(label=_("from"), widget=DateInput())
    date_to = forms.DateField(label=_("until"), widget=DateInput())
    unit = forms.ChoiceField(label=_("unit"), required=False)
    kind = forms.ChoiceField(label=_("kind"), required=False)

    def __init__(self, *args, units, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("My area"))] + [
            (u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in units
        ]
        self.fields["kind"].choices = [("", _("All"))] + list(kinds)

    @staticmethod
    def default_period(today: datetime.date) -> dict:
        return {"date_from": today.replace(day=1), "date_to": today}

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", DATES_REVERSED)
            elif (end - start).days > MAX_INTAKE_DAYS:
                self.add_error("date_to", RANGE_TOO_LONG % {"days": MAX_INTAKE_DAYS})
        for name in ("date_from", "date_to"):
            if data.get(name) and not EARLIEST <= data[name] <= LATEST:
                self.add_error(name, OUT_OF_RANGE)
        return data
