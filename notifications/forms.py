"""Forms of the push channel pages. They parse input; the services decide."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.backends import configured_channels
from notifications.models import Channel, ItemType
from notifications.selectors import pushable_item

# A bare number, or the public link of the item (…/jobs/123/ or …/courses/45/).
ITEM_NUMBER = re.compile(r"^\s*(?:\S*/)?(\d{1,18})/?\s*$")
NO_SUCH_ITEM = {
    ItemType.VACANCY: _("No published vacancy has this number."),
    ItemType.COURSE: _("No training course open for recommendation has this number."),
}
NOT_A_NUMBER = _("Give the number of the vacancy or course, or paste its link.")
PUSHABLE_TYPES = [
    (ItemType.VACANCY.value, ItemType.VACANCY.label),
    (ItemType.COURSE.value, ItemType.COURSE.label),
]


def channel_choices():
    return [("", _("The person's preferred channel"))] + [
        (value, label) for value, label in Channel.choices if value in configured_channels()
    ]


class PushForm(forms.Form):
    item_type = forms.ChoiceField(label=_("item"), choices=PUSHABLE_TYPES, initial=ItemType.VACANCY)
    item = forms.CharField(
        label=_("number or link"),
        max_length=300,
        help_text=_("The number shown on the job board, e.g. 1024, or the page's address."),
    )
    channel = forms.ChoiceField(label=_("channel"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = channel_choices()

    def clean(self):
        data = super().clean()
        item_type, raw = data.get("item_type"), data.get("item")
        if not item_type or raw is None:
            return data
        match = ITEM_NUMBER.match(raw)
        if not match:
            self.add_error("item", NOT_A_NUMBER)
            return data
        item = pushable_item(item_type=item_type, item_id=int(match.group(1)), today=timezone.localdate())
        if item is None:
            self.add_error("item", NO_SUCH_ITEM[item_type])
        data["item"] = item
        return data


class RatioFilterForm(forms.Form):
    unit = forms.ChoiceField(label=_("unit"), required=False)
    show = forms.ChoiceField(
        label=_("show"),
        required=False,
        choices=[("below", _("Below the target")), ("all", _("Everyone in a key group"))],
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All"))] + [
            (u.code, f"{'— ' * (u.depth - 1)}{u.name}") for u in units
        ]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"unit_code": data.get("unit", ""), "below_only": data.get("show", "below") != "all"}
