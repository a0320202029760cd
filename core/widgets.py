from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. Its value must be ISO whatever the page's language:
    with the zh-hans format ("2026/11/28") Chrome shows the field empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
