from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from people.imports import NOT_XLSX

ONLY_XLSX = _("Choose an Excel workbook ending in .xlsx (older .xls files: save them as .xlsx first).")
TOO_BIG = _("The file is larger than %(limit)s. Split it into smaller files.")


class PersonImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    valid_rows_only = forms.BooleanField(
        label=_("Import the valid rows even if other rows have errors"),
        required=False,
        help_text=_("Otherwise nothing is imported while any row has an error."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(ONLY_XLSX)
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(TOO_BIG % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)})
        # An .xlsx is a zip archive; a renamed CSV or .xls stops here, not in the reader.
        upload.seek(0)
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(NOT_XLSX)
        return upload
