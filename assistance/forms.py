"""Forms of the assistance pages. They parse input; assistance.services decides."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assistance.models import FileStatus, MeasureKind, Outcome
from core.forms import MAX_VERSION
from core.widgets import DateInput

IN_FUTURE = _("The date cannot be in the future.")
APPROVE, REFUSE = "approve", "refuse"


def _all(choices) -> list:
    return [("", _("All")), *choices]


def _not_future(value: datetime.date) -> datetime.date:
    if value and value > timezone.localdate():
        raise forms.ValidationError(IN_FUTURE)
    return value


def _date(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        validators=[_not_future],
        widget=DateInput(),
    )


def _version():
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)


class FileOpenForm(forms.Form):
    category = forms.ChoiceField(label=_("key group"))
    opened_on = _date(_("opened"))

    def __init__(self, *args, memberships, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("opened_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(str(m.category_id), m.category.name) for m in memberships]


class ClosureProposeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("note"),
        max_length=300,
        required=False,
        help_text=_(
            "For a move out of Lhasa, say where to. A move within Lhasa is a transfer: the file stays "
            "open and follows the person."
        ),
    )
    version = _version()


class ClosureDecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))])
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    version = _version()


class MeasureForm(forms.Form):
    started_on = _date(_("started"), required=False)
    done_on = _date(_("done"), required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    version = _version()


class MeasureAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("measure"), choices=MeasureKind.choices)


class FileFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), required=False, choices=_all(FileStatus.choices))
    overdue = forms.BooleanField(label=_("first assistance overdue"), required=False)
    unit = forms.ChoiceField(label=_("file held by"), required=False)
    category = forms.ChoiceField(label=_("key group"), required=False)

    def __init__(self, *args, units, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _all((u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in units)
        self.fields["category"].choices = _all((c.code, c.name) for c in categories)

    def filters(self) -> dict:
        """The valid filters only; a bad value shows as an error and filters nothing."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status", ""),
            "overdue": bool(data.get("overdue")),
            "unit_code": data.get("unit", ""),
            "category": data.get("category", ""),
        }


class CoverageFilterForm(forms.Form):
    unit = forms.ChoiceField(label=_("unit"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _all((u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in units)

    def unit_code(self) -> str:
        return self.cleaned_data.get("unit", "") if self.is_valid() else ""
