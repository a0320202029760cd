"""Data exchange with the regional employment platform (§4.4.1): imports and logged exports.

An import checks every record first and reports each problem with the record's index
and field. By default a list with any bad record writes nothing; with `valid_only`
the good records go in. Imports are idempotent by `external_id`: a record already
here updates it when its data changed (version + 1, audit entry) and is otherwise
reported unchanged. Writing is one transaction with a savepoint per record.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import audit_event
from core.channels import IntakeChannel
from core.errors import DomainError, NotAllowed, ValidationFailed
from employers.models import Employer
from exchange.catalogue import UNIT_OUT_OF_SCOPE, Catalogue
from exchange.person_format import CheckedPerson, check_job_seeker, job_seeker_record
from exchange.report import ImportReport, RecordError
from exchange.selectors import desired_occupation_codes
from exchange.vacancy_format import CheckedVacancy, check_vacancy
from exchange.writers import PersonWriter, VacancyWriter
from people.models import Person
from people.selectors import key_group_codes_by_person
from privacy.models import AccessKind
from privacy.services import access_log, refuse_unapproved_bulk
from vacancies.models import Vacancy

MAX_RECORDS = 5000
IMPORT = "exchange.import_data"

NOT_A_LIST = _("Send a JSON list of records.")
TOO_MANY = _("At most %(limit)s records at a time. Split the list.")
NO_RECORDS = _("The list holds no records.")
DUPLICATE_EXTERNAL_ID = _("Duplicate of record %(index)s (the same external id).")
DUPLICATE_ID_NUMBER = _("Duplicate of record %(index)s (the same ID number).")
HELD_ELSEWHERE = _("The record with this external id is held outside your area.")
EMPLOYER_FIELD_REQUIRED = _("No employer has this credit code yet: give this field so it can be registered.")
PERSON_ELSEWHERE = _("A file with this ID number is held outside your area (by %(unit)s).")
OTHER_EXTERNAL_ID = _("The file with this ID number is already linked to another external id.")
ID_MISMATCH = _("This external id belongs to a person with another ID number.")
SAVED_MEANWHILE = _("Someone changed this record while the list was being imported. Import the list again.")


class _Abort(Exception):
    """Rolls the whole import back when one record failed while writing (all-or-nothing)."""


def _records(records) -> list:
    if not isinstance(records, list):
        raise ValidationFailed(errors={"records": [str(NOT_A_LIST)]})
    if not records:
        raise ValidationFailed(errors={"records": [str(NO_RECORDS)]})
    if len(records) > MAX_RECORDS:
        raise ValidationFailed(errors={"records": [str(TOO_MANY % {"limit": MAX_RECORDS})]})
    return records


def _add_errors(report: ImportReport, index: int, errors) -> None:
    report.errors.extend(RecordError(index=index, field=f, message=str(m)) for f, m in errors)


def _domain_errors(exc: DomainError) -> list[tuple[str, str]]:
    if not exc.errors:
        return [("", str(exc.message))]
    return [("" if f == "__all__" else f, str(m)) for f, messages in exc.errors.items() for m in messages]


def _write_all(items, write, report: ImportReport, *, valid_only: bool, note: str, acting_user, request):
    """Write each checked item in its own savepoint; all of them or (with `valid_only`) the good ones."""
    try:
        with transaction.atomic():
            for item in items:
                try:
                    with transaction.atomic():
                        result = write(item)
                except DomainError as exc:
                    _add_errors(report, item.index, _domain_errors(exc))
                    continue
                except IntegrityError:
                    _add_errors(report, item.index, [("", str(SAVED_MEANWHILE))])
                    continue
                report.results.append(result)
            if report.errors and not valid_only:
                raise _Abort
            audit_event(
                action=Action.CREATE,
                username=acting_user.username,
                actor=acting_user,
                request=request,
                note=f"exchange import: {note}: {len(report.results)} of {report.total} records",
            )
    except _Abort:
        report.results = []
        return
    report.committed = True


# --- vacancies ------------------------------------------------------------------------


def _check_vacancies_against_database(checked: list[CheckedVacancy], catalogue, report) -> dict:
    existing = {
        v.external_id: v
        for v in Vacancy.objects.select_related("unit").filter(
            external_id__in=[c.external_id for c in checked]
        )
    }
    known = set(
        Employer.objects.filter(credit_code__in={c.employer.credit_code for c in checked}).values_list(
            "credit_code", flat=True
        )
    )
    for item in checked:
        errors = []
        current = existing.get(item.external_id)
        if current is not None and not catalogue.in_scope(current.unit):
            errors.append(("external_id", str(HELD_ELSEWHERE)))
        if item.employer.credit_code not in known:
            errors += [(f"employer.{key}", str(EMPLOYER_FIELD_REQUIRED)) for key in item.employer.missing]
            unit = item.employer.values.get("unit")
            if unit is not None and not catalogue.in_scope(unit):
                errors.append(("employer.unit", str(UNIT_OUT_OF_SCOPE % {"code": unit.code})))
            known.add(item.employer.credit_code)  # the first record with the code registers it
        _add_errors(report, item.index, errors)
    return existing


def vacancies_import(
    *,
    acting_user,
    records,
    channel: str = IntakeChannel.REGIONAL_PLATFORM,
    valid_only: bool = False,
    request=None,
) -> ImportReport:
    if not acting_user.has_perm(IMPORT):
        raise NotAllowed()
    if channel not in IntakeChannel.values:
        raise ValueError(f"Unknown channel {channel!r}")
    records = _records(records)
    report = ImportReport(kind="vacancies", total=len(records))
    catalogue = Catalogue(acting_user=acting_user)
    checked: list[CheckedVacancy] = []
    first: dict[str, int] = {}
    for index, data in enumerate(records):
        item, errors = check_vacancy(index, data, catalogue)
        if item is not None and item.external_id in first:
            errors, item = (
                [("external_id", str(DUPLICATE_EXTERNAL_ID % {"index": first[item.external_id]}))],
                None,
            )
        if item is not None:
            first[item.external_id] = index
            checked.append(item)
        _add_errors(report, index, errors)
    existing = _check_vacancies_against_database(checked, catalogue, report)
    bad = {error.index for error in report.errors}
    if bad and not valid_only:
        return report
    writer = VacancyWriter(acting_user=acting_user, channel=channel, existing=existing, request=request)
    good = [item for item in checked if item.index not in bad]
    _write_all(
        good,
        writer,
        report,
        valid_only=valid_only,
        note="vacancies",
        acting_user=acting_user,
        request=request,
    )
    return report


# --- job seekers ----------------------------------------------------------------------


def _check_persons_against_database(checked: list[CheckedPerson], catalogue, report) -> dict:
    """The person each record concerns: None for a new one, else (person, attach external id)."""
    by_external = {
        p.external_id: p
        for p in Person.objects.select_related("unit").filter(
            external_id__in=[c.external_id for c in checked]
        )
    }
    by_index = {
        p.id_number_index: p
        for p in Person.objects.select_related("unit").filter(
            id_number_index__in=[c.identity["id_number_index"] for c in checked]
        )
    }
    targets: dict[int, tuple[Person, bool] | None] = {}
    for item in checked:
        errors = []
        person = by_external.get(item.external_id)
        on_file = by_index.get(item.identity["id_number_index"])
        attach = False
        if person is not None:
            if not catalogue.in_scope(person.unit):
                errors.append(("external_id", str(HELD_ELSEWHERE)))
            elif person.id_number_index != item.identity["id_number_index"]:
                errors.append(("id_number", str(ID_MISMATCH)))
        elif on_file is not None:
            person, attach = on_file, True
            if not catalogue.in_scope(on_file.unit):
                errors.append(("id_number", str(PERSON_ELSEWHERE % {"unit": on_file.unit.name})))
            elif on_file.external_id:
                errors.append(("external_id", str(OTHER_EXTERNAL_ID)))
        _add_errors(report, item.index, errors)
        targets[item.index] = (person, attach) if person is not None else None
    return targets


def job_seekers_import(
    *, acting_user, records, valid_only: bool = False, request=None, today: datetime.date | None = None
) -> ImportReport:
    if not (acting_user.has_perm(IMPORT) and acting_user.has_perm("people.manage_person")):
        raise NotAllowed()
    records = _records(records)
    today = today or timezone.localdate()
    report = ImportReport(kind="job_seekers", total=len(records))
    catalogue = Catalogue(acting_user=acting_user)
    checked: list[CheckedPerson] = []
    first_external: dict[str, int] = {}
    first_number: dict[str, int] = {}
    for index, data in enumerate(records):
        item, errors = check_job_seeker(index, data, catalogue, today=today)
        if item is not None:
            number = item.identity["id_number_index"]
            if item.external_id in first_external:
                errors = [
                    ("external_id", str(DUPLICATE_EXTERNAL_ID % {"index": first_external[item.external_id]}))
                ]
            elif number in first_number:
                errors = [("id_number", str(DUPLICATE_ID_NUMBER % {"index": first_number[number]}))]
            else:
                first_external[item.external_id] = first_number[number] = index
                checked.append(item)
        _add_errors(report, index, errors)
    targets = _check_persons_against_database(checked, catalogue, report)
    bad = {error.index for error in report.errors}
    if bad and not valid_only:
        return report
    writer = PersonWriter(acting_user=acting_user, targets=targets, request=request, today=today)
    good = [item for item in checked if item.index not in bad]
    _write_all(
        good,
        writer,
        report,
        valid_only=valid_only,
        note="job seekers",
        acting_user=acting_user,
        request=request,
    )
    return report


# --- exports --------------------------------------------------------------------------

MASKED_EXPORT_REASON = "regional platform exchange (masked)"
REASON_REQUIRED = _("Give the reason you need the full values.")


def job_seekers_export_check(*, acting_user, full: bool, reason: str, count: int | None = None) -> None:
    """Refuse a full export to whoever may not make one, or without a reason; and, given
    the total `count`, one of more persons than may leave without a second person's approval."""
    if full and not acting_user.has_perm("people.export_full"):
        raise NotAllowed()
    if full and not (reason or "").strip():
        raise ValidationFailed(errors={"reason": [str(REASON_REQUIRED)]})
    if count is not None:
        refuse_unapproved_bulk(full=full, count=count)


def job_seekers_export(
    *,
    acting_user,
    persons,
    full: bool = False,
    reason: str = "",
    query: str = "",
    request=None,
    approval=None,
):
    """The exchange records of `persons` (from selectors.job_seeker_export_list), logged as an export.

    Masked unless `full`, which needs `people.export_full` and a reason, and for more
    than BULK_EXPORT_APPROVAL_ROWS persons an approval already spent on this export
    (privacy.export_gate; the API checks the whole list's count before paging).
    """
    job_seekers_export_check(acting_user=acting_user, full=full, reason=reason)
    persons = list(persons)
    if approval is None:
        refuse_unapproved_bulk(full=full, count=len(persons))
    else:
        reason = f"{approval.reason} (approval {approval.pk})"
    ids = [p.pk for p in persons]
    groups = key_group_codes_by_person(ids)
    occupations = desired_occupation_codes(ids)
    access_log(
        user=acting_user,
        kind=AccessKind.EXPORT,
        subject_type="person",
        record_count=len(persons),
        query=query,
        fields=["id_number" if full else "id_number_masked", "phone" if full else "phone_masked", "exchange"],
        reason=reason if full else MASKED_EXPORT_REASON,
        request=request,
    )
    return [
        job_seeker_record(
            p, full=full, key_groups=groups.get(p.pk, []), occupations=occupations.get(p.pk, [])
        )
        for p in persons
    ]
