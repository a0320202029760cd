"""Date pickers get ISO values in every language (the browser refuses any other)."""

import datetime

from django import forms
from django.utils import translation

from core.widgets import DateInput
from registrations.forms import _date_widget
from servicerecords.forms import _date_input


class _Form(forms.Form):
    on = forms.DateField(widget=DateInput())


def test_the_value_is_iso_in_chinese_and_tibetan():
    for language in ("zh-hans", "bo", "en"):
        with translation.override(language):
            html = str(_Form(initial={"on": datetime.date(2026, 11, 28)})["on"])
        assert 'type="date"' in html
        assert 'value="2026-11-28"' in html, (language, html)


def test_the_forms_that_had_their_own_widget_use_it():
    assert isinstance(_date_widget(), DateInput)
    assert isinstance(_date_input(), DateInput)
