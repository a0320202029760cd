"""The copy of a person's own data (GB/T 35273 §8.2, §8.6): one workbook, one sheet per
section, every label in Chinese and Tibetan side by side.

It is the person's own record, so values are in full (ID number, phone, disability
details). services.copy_produce logs each hand-over; this module only reads,
and reads through core.scope like every other reader of personal records.
"""

import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.exports import _safe as formula_safe
from core.scope import scoped
from guidance.models import EmploymentPlan, PersonalPolicyPlan
from keygroups.models import Membership
from notifications.models import Push
from people.models import Consent, ContactAttempt, Person
from recommendations.models import Recommendation
from registrations.models import Registration
from servicerecords.models import ServiceRecord

LANGUAGES = ("zh-hans", "bo")
# Internal columns: search keys, blind indexes, masked copies, the edit lock.
PERSON_SKIP = frozenset(
    {
        "name_pinyin",
        "name_wylie",
        "id_number_index",
        "id_number_masked",
        "phone_index",
        "phone_masked",
        "version",
        "registered_by",
    }
)
SECTION_FIELDS = [
    "personal details",
    "key groups",
    "registrations",
    "consents",
    "contacts",
    "services",
    "recommendations",
    "pushes",
    "plans",
]


def both(label) -> tuple[str, str]:
    """A label as Chinese and Tibetan readers see it."""
    texts = []
    for language in LANGUAGES:
        with translation.override(language):
            texts.append(str(label))
    return texts[0], texts[1]


def bilingual(label) -> str:
    zh, bo = both(label)
    return zh if zh == bo else f"{zh} / {bo}"


def named(obj) -> str:
    """A catalogue entry or unit in both scripts (names are data, stored in both)."""
    if obj is None:
        return ""
    for field in ("name", "title"):
        zh = getattr(obj, f"{field}_zh", None)
        if zh is not None:
            bo = getattr(obj, f"{field}_bo", "") or ""
            return f"{zh} / {bo}" if bo and bo != zh else zh
    return str(obj)


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return bilingual(_("yes") if value else _("no"))
    if isinstance(value, datetime.datetime):
        # Spreadsheets hold no time zone: the local time, as on the pages.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Model):
        return named(value)
    return formula_safe(value)


def choice(instance, field: str) -> str:
    """A coded value shown as its label in both languages."""
    value = getattr(instance, field)
    if not value:
        return ""
    labels = dict(instance._meta.get_field(field).flatchoices)
    return bilingual(labels.get(value, value))


def _field_value(person: Person, field):
    if field.choices:
        return choice(person, field.name)
    if field.is_relation:
        related = getattr(person, field.name)
        if related is None:
            return ""
        return named(related) if hasattr(related, "name_zh") else f"#{related.pk}"
    return getattr(person, field.attname)


def plain(value) -> str:
    """A value as printed text (the PDF copy): no spreadsheet formula guard, dates as ISO."""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    return str(cell(value))


def person_rows(person: Person, render: Callable = cell) -> list[tuple]:
    rows = []
    for field in Person._meta.concrete_fields:
        if field.name in PERSON_SKIP:
            continue
        label = _("record number") if field.primary_key else field.verbose_name
        rows.append((*both(label), render(_field_value(person, field))))
    for name in ("desired_occupations", "desired_districts"):
        field = Person._meta.get_field(name)
        values = "; ".join(named(o) for o in getattr(person, name).all())
        rows.append((*both(field.verbose_name), values))
    return rows


@dataclass(frozen=True)
class Column:
    label: object
    value: Callable


@dataclass(frozen=True)
class Section:
    title: object
    columns: list[Column]
    rows: Callable[[Person, object], Iterable]


def _col(label, attr: str) -> Column:
    return Column(label, lambda obj: getattr(obj, attr))


def _choice_col(label, attr: str) -> Column:
    return Column(label, lambda obj: choice(obj, attr))


def _own(model, person, user, related=()):
    return scoped(model.objects.filter(person=person), user).select_related(*related)


SECTIONS = [
    Section(
        _("Key groups"),
        [
            Column(_("category"), lambda m: named(m.category)),
            _col(_("from"), "started_on"),
            _col(_("until"), "ended_on"),
            _choice_col(_("source"), "source"),
            _col(_("evidence"), "evidence"),
            _col(_("why it ended"), "end_reason"),
        ],
        lambda person, user: _own(Membership, person, user, related=("category",)).order_by(
            "started_on", "id"
        ),
    ),
    Section(
        _("Registrations"),
        [
            _choice_col(_("kind"), "kind"),
            _col(_("registered on"), "registered_on"),
            Column(_("registered at"), lambda r: named(r.unit)),
            _choice_col(_("employment type"), "employment_type"),
            _col(_("employer"), "employer_name"),
            _col(_("job"), "job_title"),
            _col(_("reason"), "reason"),
            _choice_col(_("status"), "status"),
            _col(_("closed on"), "closed_on"),
            _choice_col(_("reason for closing"), "close_reason"),
        ],
        lambda person, user: _own(Registration, person, user, related=("unit",)).order_by(
            "registered_on", "id"
        ),
    ),
    Section(
        _("Consents"),
        [
            _choice_col(_("purpose"), "purpose"),
            Column(_("channel"), lambda c: choice(c, "channel") or bilingual(_("All channels"))),
            _col(_("given"), "given_at"),
            _col(_("withdrawn"), "withdrawn_at"),
        ],
        lambda person, user: _own(Consent, person, user).order_by("given_at", "id"),
    ),
    Section(
        _("Contacts"),
        [
            _col(_("time"), "at"),
            _choice_col(_("channel"), "channel"),
            _choice_col(_("outcome"), "outcome"),
            _col(_("note"), "note"),
        ],
        lambda person, user: _own(ContactAttempt, person, user).order_by("at", "id"),
    ),
    Section(
        _("Services"),
        [
            _col(_("date"), "on"),
            Column(_("service"), lambda s: named(s.service_type)),
            Column(_("unit"), lambda s: named(s.unit)),
            _choice_col(_("channel"), "channel"),
            _choice_col(_("language used"), "language"),
            _col(_("notes"), "notes"),
            _col(_("outcome"), "outcome"),
        ],
        lambda person, user: _own(ServiceRecord, person, user, related=("service_type", "unit")).order_by(
            "on", "id"
        ),
    ),
    Section(
        _("Recommendations"),
        [
            Column(_("vacancy"), lambda r: named(r.vacancy)),
            Column(_("employer"), lambda r: named(r.vacancy.employer)),
            _choice_col(_("state"), "state"),
            _col(_("matched"), "matched_at"),
            _col(_("shown"), "shown_at"),
            _col(_("referred"), "referred_at"),
            _col(_("interview date"), "interview_on"),
            _col(_("hired on"), "hired_on"),
            _choice_col(_("seeker's reason"), "decline_reason"),
            _choice_col(_("employer's reason"), "reject_reason"),
        ],
        lambda person, user: _own(Recommendation, person, user, related=("vacancy__employer",)).order_by(
            "matched_at", "id"
        ),
    ),
    Section(
        _("Pushes"),
        [
            _col(_("pushed"), "created_at"),
            _choice_col(_("channel"), "channel"),
            _col(_("subject"), "subject"),
            _col(_("message"), "body"),
            _choice_col(_("delivery status"), "status"),
            _col(_("sent"), "sent_at"),
        ],
        lambda person, user: _own(Push, person, user).order_by("created_at", "id"),
    ),
    Section(
        _("Employment plans"),
        [
            _col(_("plan version"), "number"),
            _choice_col(_("state"), "state"),
            _col(_("goals"), "goals"),
            _col(_("valid from"), "valid_from"),
            _col(_("valid until"), "valid_until"),
            _col(_("agreed on"), "agreed_on"),
            _col(_("ended"), "ended_on"),
        ],
        lambda person, user: scoped(EmploymentPlan.objects.filter(case__person=person), user).order_by(
            "case_id", "number"
        ),
    ),
    Section(
        _("Personal policy plans (一人一策)"),
        [
            _col(_("plan version"), "number"),
            _col(_("drawn up on"), "created_on"),
            _col(_("situation analysis"), "situation"),
            _col(_("measures"), "measures"),
            _col(_("review on"), "review_on"),
        ],
        lambda person, user: _own(PersonalPolicyPlan, person, user).order_by("number"),
    ),
]


def _sheet_title(title, used: set[str]) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\ ; the Chinese title is short.
    base = "".join(c for c in both(title)[0] if c not in "[]:*?/\\")[:28] or "sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base}{n}", n + 1
    used.add(name)
    return name


def _bold(row) -> None:
    for c in row:
        c.font = Font(bold=True)


def _widths(sheet) -> None:
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(12, width + 2), 60)


def copy_workbook(*, person: Person, user, subject_request=None) -> bytes:
    """The workbook's bytes: the person sheet first, then one sheet per section."""
    workbook = Workbook()
    used: set[str] = set()
    sheet = workbook.active
    sheet.title = _sheet_title(_("Personal details"), used)
    sheet.append([*both(_("Personal details")), ""])
    sheet.append([*both(_("field")), bilingual(_("value"))])
    _bold(sheet[1])
    _bold(sheet[2])
    for row in person_rows(person):
        sheet.append(list(row))
    if subject_request is not None:
        sheet.append([])
        sheet.append(
            [*both(_("produced for data-subject request")), f"#{subject_request.pk}"],
        )
    sheet.append([*both(_("produced on")), cell(timezone.now())])
    _widths(sheet)
    for section in SECTIONS:
        sheet = workbook.create_sheet(_sheet_title(section.title, used))
        labels = [both(c.label) for c in section.columns]
        sheet.append([zh for zh, _bo in labels])
        sheet.append([bo for _zh, bo in labels])
        _bold(sheet[1])
        _bold(sheet[2])
        for obj in section.rows(person, user):
            sheet.append([cell(c.value(obj)) for c in section.columns])
        _widths(sheet)
        for row in sheet.iter_rows(min_row=3):
            for c in row:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
