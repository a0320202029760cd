"""The filters of the ratio pages: a month (this month unless chosen) and a unit."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# Nothing was recorded on the platform before this; older months are a typing slip.
FIRST_MONTH = datetime.date(2020, 1, 1)


class RatioFilterForm(forms.Form):
    month = forms.CharField(
        label=_("month"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )
    unit = forms.ChoiceField(label=_("unit"), required=False)

    def __init__(self, data=None, *, units, today: datetime.date, **kwargs):
        if data is not None and not data.get("month"):
            # The picker shows the month counted, also when only the unit was chosen.
            data = data.copy()
            data["month"] = f"{today:%Y-%m}"
        super().__init__(data, initial={"month": f"{today:%Y-%m}"}, **kwargs)
        self.today = today
        self.fields["month"].widget.attrs.update({"min": f"{FIRST_MONTH:%Y-%m}", "max": f"{today:%Y-%m}"})
        self.fields["unit"].choices = [("", _("All"))] + [
            (u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in units
        ]

    def clean_month(self) -> datetime.date | None:
        raw = (self.cleaned_data.get("month") or "").strip()
        if not raw:
            return None
        match = MONTH.match(raw)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Give a month as year and month, e.g. 2026-11."))
        month = datetime.date(int(match.group(1)), int(match.group(2)), 1)
        if month > self.today.replace(day=1):
            raise forms.ValidationError(_("A month that has not begun has nothing to count."))
        if month < FIRST_MONTH:
            first = f"{FIRST_MONTH:%Y-%m}"
            raise forms.ValidationError(_("Choose a month from %(first)s on.") % {"first": first})
        return month

    def filters(self) -> dict:
        """The month's first day and the unit code; the current month for a missing or wrong entry
        (the form shows the error)."""
        data = {}
        if self.is_bound:
            self.is_valid()  # keeps the fields that are valid in cleaned_data
            data = self.cleaned_data
        return {
            "month": data.get("month") or self.today.replace(day=1),
            "unit_code": data.get("unit", ""),
        }
