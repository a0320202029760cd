"""Import of persons from Excel (§4.4.1, SPEC §6): the template, the import and its report.

The whole file is read and checked before anything is written, so the user sees every
problem at once. Writing is one transaction: by default a file with any bad row writes
nothing; with `valid_rows_only` the good rows go in. An ID number that is already in
the register is skipped, so importing the same file twice creates nothing twice.

Reading uses python-calamine (fast); the template and the report are written with
openpyxl. 100,000 rows must import in two minutes, so there are no per-row queries:
units, occupations and already-registered ID numbers are looked up in bulk.
"""

import contextlib
import datetime
import gc
import io
import os
import re
from dataclasses import dataclass, field

import python_calamine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from audit.models import Action
from audit.services import audit_event
from core.errors import NotAllowed, ValidationFailed
from core.scope import unit_in_scope
from keygroups import services as keygroup_services
from keygroups.rules_engine import Facts, rules_met
from network.models import OrgUnit
from occupations.models import Occupation
from people import derived
from people.choices import Disability, Education, EmploymentStatus, Proficiency
from people.models import Person

BATCH = 1000
MAX_ROWS = 200_000  # a bigger file is refused before it is checked; split it
MAX_SALARY = 1_000_000
PERSONS_SHEET = "persons"
# Excel forbids "/" in sheet names; the full-width solidus reads the same.
NOTES_SHEET = "说明／གསལ་བཤད།"
LANGUAGES = ("zh-hans", "bo")


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    bo: str
    en: str
    required: bool = False
    width: int = 16


# Header labels are data, not gettext strings: the sheet carries both languages at once,
# whatever the language of the person who downloads it.
COLUMNS: tuple[Column, ...] = (
    Column("name_zh", "中文姓名", "རྒྱ་ཡིག་གི་མིང་།", "Chinese name", width=12),
    Column("name_bo", "藏文姓名", "བོད་ཡིག་གི་མིང་།", "Tibetan name", width=18),
    Column("id_number", "身份证号码", "ཐོབ་ཐང་ལག་ཁྱེར་ཨང་གྲངས།", "ID number", required=True, width=22),
    Column("phone", "联系电话", "ཁ་པར་ཨང་གྲངས།", "Phone", width=15),
    Column("unit", "建档单位代码", "ཡིག་ཚགས་འཛིན་མཁན་སྡེ་ཚན་གྱི་ཨང་རྟགས།", "File held by (unit code)", True, 14),
    Column("household_unit", "户籍地代码", "ཐེམ་ཐོ་ཡོད་སའི་ས་གནས་ཨང་རྟགས།", "Household registration (unit code)"),
    Column("residence_unit", "居住地代码", "སྡོད་གནས་ས་གནས་ཨང་རྟགས།", "Lives in (unit code)"),
    Column("address", "详细地址", "སྡོད་གནས་ཁ་བྱང་།", "Address", width=24),
    Column("education", "文化程度", "ཤེས་ཡོན་ཚད།", "Education"),
    Column("major", "所学专业", "སློབ་སྦྱོང་བྱས་པའི་ཆེད་ལས།", "Major"),
    Column("graduation_date", "毕业日期", "སློབ་མཐར་ཕྱིན་པའི་ཚེས་གྲངས།", "Graduation date", width=13),
    Column("employment_status", "就业状态", "ལས་ཞུགས་གནས་སྟངས།", "Employment status"),
    Column("disability", "残疾等级", "དབང་པོ་སྐྱོན་ཅན་གྱི་རིམ་པ།", "Disability", width=10),
    Column("skills", "技能特长", "ལག་རྩལ་ཁྱད་ཆོས།", "Skills", width=20),
    Column("salary_expectation", "期望月薪（元）", "རེ་བའི་ཟླ་ཕོགས། (སྒོར།)", "Expected monthly salary (yuan)"),
    Column(
        "desired_occupations", "求职意向工种代码", "འཚོལ་འདོད་ལས་རིགས་ཀྱི་ཨང་རྟགས།", "Desired occupations (codes)"
    ),
    Column("tibetan_level", "藏语水平", "བོད་སྐད་ཀྱི་ཆུ་ཚད།", "Tibetan", width=10),
    Column("chinese_level", "汉语水平", "རྒྱ་སྐད་ཀྱི་ཆུ་ཚད།", "Chinese", width=10),
    Column(
        "willing_outside_county", "愿意县外就业", "རྫོང་ཕྱི་ལ་ལས་ཀ་བྱེད་འདོད།", "Willing to work outside the county"
    ),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
CHOICE_COLUMNS = {
    "education": Education,
    "employment_status": EmploymentStatus,
    "disability": Disability,
    "tibetan_level": Proficiency,
    "chinese_level": Proficiency,
}
MAX_LENGTHS = {"name_zh": 50, "name_bo": 100, "address": 200, "major": 100, "skills": 2000}
TRUE_WORDS = {"是", "y", "yes", "true", "1", "ཡིན", "√", "✓"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "མིན"}
YES_NO = (("是", "ཡིན།", "yes"), ("否", "མིན།", "no"))

# General notes for the template's second sheet, in both languages (data, like the labels).
NOTES = (
    (
        "带 * 的列必须填写；中文姓名和藏文姓名至少填一个。",
        "* རྟགས་ཡོད་པའི་ཕྲེང་ངེས་པར་དུ་འབྲི་དགོས། མིང་རྒྱ་ཡིག་གམ་བོད་ཡིག་གང་རུང་གཅིག་འབྲི་དགོས།",
    ),
    (
        "第一、二行是表头（中文、藏文），请保留；数据从第三行开始。",
        "ཕྲེང་དང་པོ་དང་གཉིས་པ་ནི་གདོང་ཐིག་ཡིན། དེ་ཉར་ཚགས་བྱེད་རོགས། གཞི་གྲངས་ཕྲེང་གསུམ་པ་ནས་འགོ་འཛུགས།",
    ),
    (
        "单位代码为服务网络中的代码，例如 540102002；户籍地、居住地留空时与建档单位相同。",
        (
            "སྡེ་ཚན་གྱི་ཨང་རྟགས་ནི་ཞབས་ཞུའི་དྲ་རྒྱའི་ནང་གི་ཨང་རྟགས་ཡིན། དཔེར་ན། 540102002 "
            "ཐེམ་ཐོ་དང་སྡོད་གནས་སྟོང་པ་ཡིན་ན་ཡིག་ཚགས་འཛིན་མཁན་སྡེ་ཚན་དང་གཅིག་མཚུངས།"
        ),
    ),
    ("日期填 YYYY-MM-DD，例如 2024-07-01。", "ཚེས་གྲངས་ YYYY-MM-DD ལྟར་འབྲི་དགོས། དཔེར་ན། 2024-07-01"),
    (
        "求职意向工种填职业代码，多个用 ; 或 ， 分隔，例如 4-03-02-01;4-07-03-02。",
        "འཚོལ་འདོད་ལས་རིགས་ཀྱི་ཨང་རྟགས་འབྲི་དགོས། མང་ན་ ; ཡང་ན་ ， ཡིས་ཁ་གྱེས་དགོས།",
    ),
    ("选项列填下表中的代码或中文名称。", "འདེམས་ཚན་གྱི་ཕྲེང་དུ་གཤམ་གྱི་རེའུ་མིག་ནང་གི་ཨང་རྟགས་སམ་རྒྱ་ཡིག་གི་མིང་འབྲི་དགོས།"),
    (
        "身份证号码已在登记册中的人员会被跳过，重复导入不会重复建档。",
        "ཐོབ་ཐང་ལག་ཁྱེར་ཨང་གྲངས་ཐོ་དེབ་ནང་ཡོད་ན་མཆོང་ངེས། ཡང་བསྐྱར་ནང་འདྲེན་བྱས་ཀྱང་ཡིག་ཚགས་གཉིས་མི་འཛུགས།",
    ),
)

NOT_XLSX = _("This file is not an Excel workbook (.xlsx). Download the template and fill it in.")
NO_HEADER = _("No header row was found. Keep the template's Chinese or Tibetan header row.")
MISSING_COLUMNS = _("These columns are missing: %(columns)s.")
NO_NAME_COLUMN = _("The sheet needs a Chinese name or a Tibetan name column.")
NO_ROWS = _("The file has no rows to import.")
TOO_MANY_ROWS = _("The file has more than %(limit)s rows. Split it into smaller files.")
NAME_REQUIRED = _("Enter a Chinese or a Tibetan name.")
VALUE_REQUIRED = _("This column must be filled in.")
TOO_LONG = _("At most %(limit)s characters.")
UNKNOWN_UNIT = _("There is no unit with the code %(code)s.")
UNIT_OUT_OF_SCOPE = _("The unit %(code)s is outside your own area.")
BAD_CHOICE = _("“%(value)s” is not an allowed value; see the sheet “%(sheet)s”.")
BAD_DATE = _("Enter a date as YYYY-MM-DD.")
BAD_SALARY = _("Enter a whole number of yuan between 0 and %(limit)s.")
BAD_YES_NO = _("Enter 是 (yes) or 否 (no).")
UNKNOWN_OCCUPATIONS = _("Unknown occupation code(s): %(codes)s.")
DUPLICATE_IN_FILE = _("Duplicate of row %(row)s (the same ID number).")
MORE_ERRORS = _("%(count)s more errors are not listed. Correct the ones above and import again.")
REGISTERED_MEANWHILE = _(
    "Someone registered one of these ID numbers while the file was being imported. "
    "Nothing was saved; import the file again."
)


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it
    column: str  # the column's label in the user's language; blank for the whole row
    message: str


@dataclass
class ImportReport:
    filename: str = ""
    total: int = 0
    imported: int = 0
    already_registered: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False

    @property
    def rows_with_errors(self) -> int:
        return len({error.row for error in self.errors})


def column_label(key: str, language: str | None = None) -> str:
    column = COLUMN_BY_KEY[key]
    language = language or translation.get_language() or "zh-hans"
    if language.startswith("bo"):
        return column.bo
    if language.startswith("en"):
        return column.en
    return column.zh


def _norm(text: str) -> str:
    # Headers and choice cells are matched loosely: case, spaces, "*" and a final shad.
    return re.sub(r"[\s*＊]", "", text).casefold().rstrip("་།")


LABELS = {_norm(label): c.key for c in COLUMNS for label in (c.zh, c.bo, c.en, c.key)}


def choice_lookup(choices) -> dict[str, str]:
    """Code or label (Chinese, Tibetan or English) → code, for one choice column."""
    lookup: dict[str, str] = {}
    for language in ("en", "bo", "zh-hans"):
        with translation.override(language):
            lookup.update({_norm(str(label)): code for code, label in choices.choices})
            lookup.update({str(label): code for code, label in choices.choices})
    lookup.update({_norm(code): code for code in choices.values})
    lookup.update({code: code for code in choices.values})
    return lookup


# --- the template ---------------------------------------------------------------------


def _labels(choices, language: str) -> list[str]:
    with translation.override(language):
        return [str(label) for label in choices.labels]


def template_workbook() -> bytes:
    """The empty sheet with its two header rows, and the allowed values on a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = PERSONS_SHEET
    sheet.append([c.zh + ("*" if c.required else "") for c in COLUMNS])
    sheet.append([c.bo + ("*" if c.required else "") for c in COLUMNS])
    fill = PatternFill("solid", fgColor="DDEBF7")
    for row in sheet.iter_rows(min_row=1, max_row=2):
        for cell in row:
            cell.font = Font(bold=True)
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = column.width
        if column.key in {"id_number", "phone", "unit", "household_unit", "residence_unit"}:
            # Text format, or Excel turns an 18-digit ID into 5.40102E+17 and loses digits.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A3"

    notes = workbook.create_sheet(NOTES_SHEET)
    for zh, bo in NOTES:
        notes.append([zh, bo])
    notes.append([])
    header = ["列 / ཕྲེང་།", "代码 / ཨང་རྟགས།", "中文", "བོད་ཡིག"]
    notes.append(header)
    for cell in notes[notes.max_row]:
        cell.font = Font(bold=True)
    for key, choices in CHOICE_COLUMNS.items():
        column = COLUMN_BY_KEY[key]
        zh_labels, bo_labels = _labels(choices, "zh-hans"), _labels(choices, "bo")
        for code, zh, bo in zip(choices.values, zh_labels, bo_labels, strict=True):
            notes.append([f"{column.zh} / {column.bo}", code, zh, bo])
    column = COLUMN_BY_KEY["willing_outside_county"]
    for zh, bo, code in YES_NO:
        notes.append([f"{column.zh} / {column.bo}", code, zh, bo])
    for letter, width in zip("ABCD", (40, 16, 28, 36), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading --------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # numbers typed into a General cell: 540102002.0
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _header_keys(row) -> dict[int, str]:
    keys: dict[int, str] = {}
    for position, cell in enumerate(row):
        key = LABELS.get(_norm(_text(cell)))
        if key and key not in keys.values():
            keys[position] = key
    return keys


def _find_header(rows) -> tuple[dict[int, str], int]:
    """Column positions by key, and the index of the first data row.

    The template has a Chinese and a Tibetan header row; a sheet with only one of them
    (or English labels) works too.
    """
    for index, row in enumerate(rows[:10]):
        keys = _header_keys(row)
        if not keys:
            continue
        start = index + 1
        while start < len(rows) and start <= index + 2:
            more = _header_keys(rows[start])
            filled = sum(1 for cell in rows[start] if _text(cell))
            if not more or len(more) * 2 < filled:
                break
            for position, key in more.items():
                if position not in keys and key not in keys.values():
                    keys[position] = key
            start += 1
        return keys, start
    raise ValidationFailed(errors={"file": [str(NO_HEADER)]})


def _read_sheet(file) -> list[list]:
    file.seek(0)
    if file.read(4) != b"PK\x03\x04":  # an .xlsx is a zip archive
        raise ValidationFailed(errors={"file": [str(NOT_XLSX)]})
    file.seek(0)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(file)
        name = PERSONS_SHEET if PERSONS_SHEET in workbook.sheet_names else workbook.sheet_names[0]
        # Absolute positions, so list index + 1 is the row number Excel shows.
        return workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (python_calamine.CalamineError, ValueError, IndexError, OSError) as exc:
        raise ValidationFailed(errors={"file": [str(NOT_XLSX)]}) from exc


def _check_columns(keys: dict[int, str]) -> None:
    present = set(keys.values())
    missing = [column_label(c.key) for c in COLUMNS if c.required and c.key not in present]
    if missing:
        raise ValidationFailed(errors={"file": [str(MISSING_COLUMNS % {"columns": ", ".join(missing)})]})
    if not {"name_zh", "name_bo"} & present:
        raise ValidationFailed(errors={"file": [str(NO_NAME_COLUMN)]})


# --- checking one row -----------------------------------------------------------------


@dataclass
class _Row:
    number: int
    fields: dict
    occupations: list[int]


class _Checker:
    """Everything a row is checked against, loaded once per file."""

    def __init__(self, *, acting_user, today: datetime.date):
        self.today = today
        self.acting_user = acting_user
        self.units = {unit.code: unit for unit in OrgUnit.objects.all()}
        self.occupations = dict(Occupation.objects.values_list("code", "id"))
        self.choices = {key: choice_lookup(choices) for key, choices in CHOICE_COLUMNS.items()}
        self.in_scope: dict[str, bool] = {}
        self.names: dict[tuple[str, str], dict] = {}  # names repeat a lot; pinyin is slow

    def row(self, number: int, cells: dict, text: dict[str, str]) -> tuple[_Row | None, list, str | None]:
        """The row ready to write (or None), its errors as (key, message), its ID's blind index.

        `cells` holds the values as read (dates stay dates), `text` the same as text.
        """
        errors: list[tuple[str, str]] = []
        values: dict = {}
        for key, limit in MAX_LENGTHS.items():
            if len(text.get(key, "")) > limit:
                errors.append((key, str(TOO_LONG % {"limit": limit})))
            values[key] = text.get(key, "")
        if not (values["name_zh"] or values["name_bo"]):
            errors.append(("name_zh" if "name_zh" in cells else "name_bo", str(NAME_REQUIRED)))
        self._identity(text, values, errors)
        self._units(text, values, errors)
        for key in CHOICE_COLUMNS:
            self._choice(key, text.get(key, ""), values, errors)
        values["graduation_date"] = self._date("graduation_date", cells.get("graduation_date"), errors)
        values["salary_expectation"] = self._salary(text.get("salary_expectation", ""), errors)
        values["willing_outside_county"] = self._yes_no(text.get("willing_outside_county", ""), errors)
        occupations = self._occupations(text.get("desired_occupations", ""), errors)
        id_index = values.get("id_number_index")
        if errors:
            return None, errors, id_index
        if values.get("employment_status", EmploymentStatus.UNEMPLOYED) == EmploymentStatus.UNEMPLOYED:
            values["unemployed_since"] = self.today
        names = (values["name_zh"], values["name_bo"])
        if names not in self.names:
            self.names[names] = derived.name_values(*names)
        values.update(self.names[names])
        return _Row(number=number, fields=values, occupations=occupations), errors, id_index

    def _identity(self, text, values, errors) -> None:
        if not text.get("id_number"):
            errors.append(("id_number", str(VALUE_REQUIRED)))
        else:
            try:
                values.update(derived.id_number_values(text["id_number"], today=self.today))
            except ValidationError as exc:
                errors.extend(("id_number", str(message)) for message in exc.messages)
        try:
            values.update(derived.phone_values(text.get("phone", "")))
        except ValidationError as exc:
            errors.extend(("phone", str(message)) for message in exc.messages)

    def _unit(self, key, code, errors):
        unit = self.units.get(code)
        if unit is None:
            errors.append((key, str(UNKNOWN_UNIT % {"code": code[:20]})))
        return unit

    def _units(self, text, values, errors) -> None:
        code = text.get("unit", "")
        unit = self._unit("unit", code, errors) if code else None
        if not code:
            errors.append(("unit", str(VALUE_REQUIRED)))
        if unit is not None:
            if code not in self.in_scope:
                self.in_scope[code] = unit_in_scope(self.acting_user, unit)
            if not self.in_scope[code]:
                errors.append(("unit", str(UNIT_OUT_OF_SCOPE % {"code": code})))
            values["unit_id"] = unit.pk
        # Left blank, where the person is registered and lives default to the file's unit.
        for key in ("household_unit", "residence_unit"):
            other = self._unit(key, text[key], errors) if text.get(key) else unit
            values[f"{key}_id"] = other.pk if other else None

    def _choice(self, key, raw, values, errors) -> None:
        if not raw:
            return  # the model's default
        lookup = self.choices[key]
        code = lookup.get(raw) or lookup.get(_norm(raw))
        if code is None:
            errors.append((key, str(BAD_CHOICE % {"value": raw[:30], "sheet": NOTES_SHEET})))
        else:
            values[key] = code

    def _date(self, key, value, errors) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        raw = _text(value)
        if not raw:
            return None
        match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", raw)
        try:
            day = datetime.date(*(int(part) for part in match.groups())) if match else None
        except ValueError:
            day = None
        if day is None or day.year < 1900:
            errors.append((key, str(BAD_DATE)))
        return day

    def _salary(self, raw: str, errors) -> int | None:
        if not raw:
            return None
        if not raw.isdigit() or int(raw) > MAX_SALARY:
            errors.append(("salary_expectation", str(BAD_SALARY % {"limit": MAX_SALARY})))
            return None
        return int(raw)

    def _yes_no(self, raw: str, errors) -> bool:
        word = raw if raw in TRUE_WORDS or raw in FALSE_WORDS else _norm(raw)
        if word in TRUE_WORDS:
            return True
        if word and word not in FALSE_WORDS:
            errors.append(("willing_outside_county", str(BAD_YES_NO)))
        return False

    def _occupations(self, raw: str, errors) -> list[int]:
        codes = [code for code in re.split(r"[;；,，、\s]+", raw) if code]
        unknown = [code[:20] for code in codes if code not in self.occupations]
        if unknown:
            errors.append(("desired_occupations", str(UNKNOWN_OCCUPATIONS % {"codes": ", ".join(unknown)})))
        return list(dict.fromkeys(self.occupations[c] for c in codes if c in self.occupations))


def _registered(indexes: list[str]) -> set[str]:
    """Which blind indexes are already in the register: one query per thousand."""
    found: set[str] = set()
    for start in range(0, len(indexes), BATCH):
        chunk = indexes[start : start + BATCH]
        found.update(
            Person.objects.filter(id_number_index__in=chunk).values_list("id_number_index", flat=True)
        )
    return found


def _check(rows, keys, first: int, *, checker, report) -> list[_Row]:
    good: list[_Row] = []
    first_row: dict[str, int] = {}  # blind index → the row that had it first
    for index in range(first, len(rows)):
        number = index + 1  # as Excel shows it
        row = rows[index]
        cells = {key: (row[pos] if pos < len(row) else None) for pos, key in keys.items()}
        text = {key: _text(value) for key, value in cells.items()}
        if not any(text.values()):
            continue
        report.total += 1
        if report.total > MAX_ROWS:
            raise ValidationFailed(errors={"file": [str(TOO_MANY_ROWS % {"limit": MAX_ROWS})]})
        checked, errors, id_index = checker.row(number, cells, text)
        if id_index is not None:
            if id_index in first_row:
                errors.append(("id_number", str(DUPLICATE_IN_FILE % {"row": first_row[id_index]})))
                checked = None
            else:
                first_row[id_index] = number
        for key, message in errors:
            report.errors.append(RowError(row=number, column=column_label(key), message=message))
        if checked is not None:
            good.append(checked)
    return good


# --- writing --------------------------------------------------------------------------


def _meets_a_rule(person: Person, today: datetime.date) -> bool:
    # A new person has no household, registration or manual membership yet, so these
    # facts decide whether `memberships_refresh` would open anything for them.
    facts = Facts.of(person)
    return bool(rules_met(facts, today))


def _new_persons(rows: list[_Row], acting_user) -> list[Person]:
    # Positional arguments build a model four times faster than keywords; every field
    # not in the row keeps its model default, as it would with Person(**fields).
    fields = Person._meta.concrete_fields
    defaults = {f.attname: None if f.primary_key else f.get_default() for f in fields}
    defaults["registered_by_id"] = acting_user.pk
    persons = []
    for row in rows:
        values = defaults | row.fields
        persons.append(Person(*[values[f.attname] for f in fields]))
    return persons


def _write(rows: list[_Row], *, acting_user, today: datetime.date) -> None:
    through = Person.desired_occupations.through
    categories = keygroup_services.active_categories()
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        persons = _new_persons(chunk, acting_user)
        Person.objects.bulk_create(persons, batch_size=BATCH)
        links = [
            through(person_id=person.pk, occupation_id=occupation)
            for person, row in zip(persons, chunk, strict=True)
            for occupation in row.occupations
        ]
        through.objects.bulk_create(links, batch_size=BATCH)
        # Reloading people who meet no rule would cost a third of the import for nothing.
        derive = [person.pk for person in persons if _meets_a_rule(person, today)]
        if derive:
            # Looked up through the module so tests (and a crash) can step in here.
            keygroup_services.memberships_refresh(person_ids=derive, today=today, categories=categories)


@contextlib.contextmanager
def _frozen_for_gc():
    """Keep the cyclic garbage collector from rescanning long-lived objects.

    A 100,000-row file keeps its checked rows alive until they are written, and every
    full collection would walk them (and all of Django) again: 12% of the import time.
    Frozen objects are still freed by reference counting; they are only not scanned.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def persons_import(
    *, acting_user, file, valid_rows_only: bool = False, request=None, today: datetime.date | None = None
) -> ImportReport:
    """Check every row, then write all of them, the valid ones, or nothing.

    Not decorated with `transaction.atomic`: checking 100,000 rows takes a while and
    needs no lock, so only the writing (`_commit`) runs in the one transaction.
    """
    if not acting_user.has_perm("people.import_persons"):
        raise NotAllowed()
    today = today or timezone.localdate()
    report = ImportReport(filename=os.path.basename(getattr(file, "name", "") or "")[:100])
    rows = _read_sheet(file)
    keys, first_data = _find_header(rows)
    _check_columns(keys)
    checker = _Checker(acting_user=acting_user, today=today)
    with _frozen_for_gc():
        good = _check(rows, keys, first_data, checker=checker, report=report)
        del rows
        if report.total == 0:
            raise ValidationFailed(errors={"file": [str(NO_ROWS)]})
        gc.freeze()  # the checked rows stay alive until they are written
        registered = _registered([row.fields["id_number_index"] for row in good])
        new = [row for row in good if row.fields["id_number_index"] not in registered]
        report.already_registered = len(good) - len(new)
        if report.errors and not valid_rows_only:
            return report
        _commit(new, report, acting_user=acting_user, request=request, today=today)
    return report


def _commit(rows: list[_Row], report: ImportReport, *, acting_user, request, today) -> None:
    try:
        with transaction.atomic():
            _write(rows, acting_user=acting_user, today=today)
            audit_event(
                action=Action.CREATE,
                username=acting_user.username,
                actor=acting_user,
                request=request,
                note=f"import: {len(rows)} persons from {report.filename}",
            )
    except IntegrityError as exc:  # an ID registered by someone else since it was checked
        raise ValidationFailed(errors={"file": [str(REGISTERED_MEANWHILE)]}) from exc
    report.imported = len(rows)
    report.committed = True


# --- the report -----------------------------------------------------------------------


def report_workbook(report: ImportReport, *, omitted: int = 0) -> bytes:
    """The full error list as .xlsx, with the counts on top; `omitted` errors did not fit."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Import report"))[:31])
    sheet.append([str(_("File")), report.filename])
    sheet.append([str(_("Rows in the file")), report.total])
    sheet.append([str(_("Imported")), report.imported])
    sheet.append([str(_("Already in the register")), report.already_registered])
    sheet.append([str(_("Rows with errors")), report.rows_with_errors])
    sheet.append([])
    sheet.append([str(_("Row")), str(_("Column")), str(_("Problem"))])
    for error in report.errors:
        # Messages are ours, but a leading "=" must never become a formula.
        message = "'" + error.message if error.message.startswith(("=", "+", "-", "@")) else error.message
        sheet.append([error.row, error.column, message])
    if omitted:
        sheet.append(["", "", str(MORE_ERRORS % {"count": omitted})])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
