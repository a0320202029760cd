"""Forms of the worklist pages and the transfer. They parse input; the services decide."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from network.models import Level, OrgUnit
from worklist.models import Kind
from worklist.selectors import UNASSIGNED

ITEM = re.compile(r"^(\d{1,18}):(\d{1,9})$")
BAD_ITEM = _("The list of work items was not understood. Reload the page and try again.")


def _all(choices) -> list:
    return [("", _("All")), *choices]


def staff_label(user) -> str:
    return f"{user.display_name} · {user.get_role_display()} · {user.unit.name}"


class UnitFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=_all(Kind.choices))
    assignee = forms.ChoiceField(label=_("assigned to"), required=False)
    unit = forms.ChoiceField(label=_("unit"), required=False)
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    escalated = forms.BooleanField(label=_("escalated only"), required=False)

    def __init__(self, *args, staff, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = _all(
            [(UNASSIGNED, _("Unassigned")), *((str(u.pk), staff_label(u)) for u in staff)]
        )
        self.fields["unit"].choices = _all((u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in units)

    def filters(self) -> dict:
        """The valid filters only; a bad value shows as an error and filters nothing."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        return {
            "kind": data.get("kind", ""),
            "assignee": data.get("assignee", ""),
            "unit_code": data.get("unit", ""),
            "overdue_only": bool(data.get("overdue")),
            "escalated": bool(data.get("escalated")),
        }


class ReassignForm(forms.Form):
    """Ticked rows ("id:version" each, the version the page showed) and the new assignee."""

    assignee = forms.ChoiceField(label=_("assign to"))

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            ("", "—"),
            (UNASSIGNED, _("Nobody (back to the unit's pool)")),
            *((str(u.pk), staff_label(u)) for u in staff),
        ]
        self.staff = {str(u.pk): u for u in staff}

    def clean(self):
        data = super().clean()
        items = []
        for value in self.data.getlist("item"):
            match = ITEM.match(value)
            if not match:
                raise forms.ValidationError(BAD_ITEM)
            items.append((int(match[1]), int(match[2])))
        data["items"] = items
        return data

    def assignee_user(self):
        value = self.cleaned_data["assignee"]
        return None if value == UNASSIGNED else self.staff[value]


def transfer_units():
    return (
        OrgUnit.objects.filter(is_active=True, level__in=[Level.TOWNSHIP, Level.VILLAGE])
        .select_related("parent__parent")
        .order_by("path")
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        chain = (
            [unit.parent.name, unit.name]
            if unit.level == Level.TOWNSHIP
            else [
                unit.parent.parent.name,
                unit.parent.name,
                unit.name,
            ]
        )
        return " · ".join(chain)


class TransferForm(forms.Form):
    unit = UnitChoiceField(label=_("receiving unit"), queryset=OrgUnit.objects.none(), to_field_name="code")
    reason = forms.CharField(label=_("reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    move_residence = forms.BooleanField(
        label=_("the person lives there now (move the residence too)"), required=False
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = transfer_units()
        if person is not None:
            units = units.exclude(pk=person.unit_id)
            self.fields["version"].initial = person.version
        self.fields["unit"].queryset = units
