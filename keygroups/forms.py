import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import MAX_VERSION
from core.widgets import DateInput
from keygroups.models import Category, Rule

IN_FUTURE = _("The date cannot be in the future.")


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


def _not_future(value: datetime.date) -> datetime.date:
    if value and value > timezone.localdate():
        raise forms.ValidationError(IN_FUTURE)
    return value


class CategoryForm(forms.Form):
    name_zh = forms.CharField(label=_("Chinese name"), max_length=100)
    name_bo = forms.CharField(label=_("Tibetan name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    parent = CategoryChoiceField(label=_("parent"), queryset=Category.objects.none(), required=False)
    rule = forms.ChoiceField(label=_("how membership is decided"), choices=Rule.choices)
    evidence_hint = forms.CharField(label=_("evidence needed"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=32767, initial=0)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)

    def __init__(self, *args, category=None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Category.objects.order_by("order", "code")
        if category is not None:
            parents = parents.exclude(pk=category.pk)
        self.fields["parent"].queryset = parents


class CategoryCreateForm(CategoryForm):
    code = forms.SlugField(
        label=_("code"),
        max_length=40,
        help_text=_("Lower-case letters, digits and underscores; it cannot be changed later."),
    )
    field_order = ["code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]


class MembershipAddForm(forms.Form):
    category = CategoryChoiceField(label=_("key group"), queryset=Category.objects.none())
    started_on = forms.DateField(label=_("from"), validators=[_not_future], widget=DateInput())
    evidence = forms.CharField(
        label=_("evidence"),
        max_length=300,
        help_text=_("The document that shows it, with its number and date."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class MembershipEndForm(forms.Form):
    ended_on = forms.DateField(label=_("until"), validators=[_not_future], widget=DateInput())
    reason = forms.CharField(label=_("why it ended"), max_length=200)
