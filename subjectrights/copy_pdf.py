"""The copy of a person's own data as a PDF to hand over or print (GB/T 35273 §8.6).

The same sections as the workbook (copy.py), every label in Chinese and Tibetan, rendered
with the vendored Tibetan font (core.pdf). A person without Excel can still read their copy.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pdf import render_pdf
from people.models import Person
from subjectrights.copy import SECTIONS, both, person_rows, plain
from subjectrights.models import RequestKind

LABELS = {
    "title": RequestKind.COPY.label,
    "personal": _("Personal details"),
    "field": _("field"),
    "value": _("value"),
    "none": _("None yet."),
    "request": _("produced for data-subject request"),
    "produced": _("produced on"),
}


def copy_context(*, person: Person, user, subject_request=None) -> dict:
    sections = []
    for section in SECTIONS:
        objects = section.rows(person, user)
        rows = [[plain(column.value(obj)) for column in section.columns] for obj in objects]
        sections.append(
            {"title": both(section.title), "headers": [both(c.label) for c in section.columns], "rows": rows}
        )
    return {
        "labels": {key: both(label) for key, label in LABELS.items()},
        "person": person,
        "person_rows": person_rows(person, render=plain),
        "sections": sections,
        "request_number": subject_request.pk if subject_request is not None else None,
        "produced_on": plain(timezone.now()),
    }


def copy_pdf(*, person: Person, user, subject_request=None) -> bytes:
    return render_pdf(
        "subjectrights/copy_pdf.html", copy_context(person=person, user=user, subject_request=subject_request)
    )
