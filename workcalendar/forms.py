from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from workcalendar.models import DayKind


class RegionalDayForm(forms.Form):
    day = forms.DateField(label=_("date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("kind"), choices=DayKind.choices)
    region = forms.RegexField(
        label=_("region"),
        regex=r"^(CN|[0-9]{6}([0-9]{3}){0,2})$",
        help_text=_("CN for the national schedule, or a division code"),
        error_messages={"invalid": _("Give CN or a division code of 6, 9 or 12 digits.")},
    )
    name = forms.CharField(label=_("name"), max_length=100)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["version"]


class CalculatorForm(forms.Form):
    start = forms.DateField(label=_("start date"), widget=DateInput())
    days = forms.IntegerField(label=_("working days to add"), min_value=-3650, max_value=3650)
    region = forms.RegexField(
        label=_("region"),
        regex=r"^(CN|[0-9]{6}([0-9]{3}){0,2})$",
        initial="540100",
        error_messages={"invalid": _("Give CN or a division code of 6, 9 or 12 digits.")},
    )
