"""Writing one checked record through the owning app's services.

Vacancies go through vacancies.services (a vacancy that passed review goes back to
review when the platform changes it), employers through employers.services and
persons through people.services, so every rule, version check and audit entry of
those apps applies to imported data as well. Each writer returns the record's outcome.
"""

import datetime

from django.utils import timezone

from audit.models import Action
from audit.services import audit_change, snapshot
from core.channels import IntakeChannel
from core.concurrency import save_with_version
from core.errors import ValidationFailed
from employers import services as employer_services
from employers.models import Employer
from exchange.person_format import CheckedPerson
from exchange.report import Outcome, RecordResult
from exchange.vacancy_format import FINAL, CheckedVacancy
from people import services as people_services
from people.models import Person
from vacancies import services as vacancy_services
from vacancies import workflow
from vacancies.models import Source, Status, Vacancy

PLATFORM_NOTE = "regional platform import"
SOURCES = {
    IntakeChannel.REGIONAL_PLATFORM: Source.REGIONAL_PLATFORM,
    IntakeChannel.JOB_FAIR: Source.JOB_FAIR,
    IntakeChannel.EMPLOYER_SELF_SERVICE: Source.EMPLOYER,
}
RELATED = ("employer", "occupation", "unit", "work_unit")


class VacancyWriter:
    def __init__(self, *, acting_user, channel: str, existing: dict[str, Vacancy], request):
        self.acting_user = acting_user
        self.channel = channel
        self.existing = existing
        self.request = request
        self.employers: dict[str, Employer] = {}

    def __call__(self, item: CheckedVacancy) -> RecordResult:
        employer = self._employer(item)
        current = self.existing.get(item.external_id)
        if current is None:
            vacancy, outcome = self._create(item, employer), Outcome.CREATED
        else:
            vacancy, outcome = current, self._update(item, current, employer)
        # Remembered only once the record went in: a rolled-back new employer is gone again.
        self.employers[employer.credit_code] = employer
        return RecordResult(index=item.index, external_id=item.external_id, outcome=outcome, id=vacancy.pk)

    def _employer(self, item: CheckedVacancy) -> Employer:
        code = item.employer.credit_code
        employer = self.employers.get(code) or Employer.objects.filter(credit_code=code).first()
        if employer is not None:
            return employer
        try:
            return employer_services.employer_create(
                acting_user=self.acting_user,
                values={"credit_code": code, "channel": self.channel, **item.employer.values},
                request=self.request,
            )
        except ValidationFailed as exc:  # the problem is in the record's employer object
            errors = {f"employer.{field}": messages for field, messages in exc.errors.items()}
            raise ValidationFailed(exc.message, errors=errors, code=exc.code) from exc

    def _create(self, item: CheckedVacancy, employer: Employer) -> Vacancy:
        values = {
            **item.values,
            "employer": employer,
            "source": SOURCES.get(self.channel, Source.STAFF),
            "channel": self.channel,
            "external_id": item.external_id,
        }
        values.setdefault("work_unit", values["unit"])
        # Always a draft: published only after our own review (§5.3.2).
        vacancy = vacancy_services.vacancy_create(
            acting_user=self.acting_user, values=values, request=self.request
        )
        if item.status in FINAL:
            self._finish(vacancy, item.status)
        return vacancy

    def _update(self, item: CheckedVacancy, vacancy: Vacancy, employer: Employer) -> str:
        wanted = {**item.values, "employer": employer}
        changes = {
            key: value
            for key, value in wanted.items()
            if (
                getattr(vacancy, f"{key}_id") != value.pk
                if key in RELATED
                else getattr(vacancy, key) != value
            )
        }
        ends = item.status in FINAL and vacancy.status not in FINAL
        if not changes and not ends:
            return Outcome.UNCHANGED
        if changes:
            vacancy_services.vacancy_update(
                acting_user=self.acting_user,
                vacancy=vacancy,
                expected_version=vacancy.version,
                changes=changes,
                request=self.request,
            )
        if ends:
            self._finish(vacancy, item.status)
        return Outcome.UPDATED

    def _finish(self, vacancy: Vacancy, status: str) -> None:
        """The platform reports the vacancy filled or closed; "fill" needs a reviewed vacancy."""
        action = "fill" if status == Status.FILLED and vacancy.status in workflow.REVIEWED_STATES else "close"
        vacancy_services.vacancy_transition(
            acting_user=self.acting_user,
            vacancy=vacancy,
            action=action,
            expected_version=vacancy.version,
            note=PLATFORM_NOTE,
            request=self.request,
        )


def person_changes(person: Person, item: CheckedPerson) -> dict:
    changes = {}
    for key, value in item.values.items():
        current = getattr(person, key)
        if key in ("unit", "household_unit", "residence_unit"):
            if current.pk != value.pk:
                changes[key] = value
        elif current != value:
            changes[key] = value
    if item.phone is not None and item.phone["phone_index"] != person.phone_index:
        changes["phone"] = item.phone["phone"]
    if item.occupations is not None:
        current = set(person.desired_occupations.values_list("pk", flat=True))
        if current != set(item.occupations):
            changes["desired_occupations"] = item.occupations
    return changes


class PersonWriter:
    def __init__(self, *, acting_user, targets: dict, request, today: datetime.date):
        self.acting_user = acting_user
        self.targets = targets  # index → (person, attach the external id) or None for a new file
        self.request = request
        self.today = today

    def __call__(self, item: CheckedPerson) -> RecordResult:
        target = self.targets.get(item.index)
        if target is None:
            person, outcome = self._create(item), Outcome.CREATED
        else:
            person, attach = target
            outcome = self._update(item, person, attach)
        return RecordResult(index=item.index, external_id=item.external_id, outcome=outcome, id=person.pk)

    def _create(self, item: CheckedPerson) -> Person:
        values = dict(item.values)
        for key in ("household_unit", "residence_unit"):
            values.setdefault(key, values["unit"])
        values["id_number"] = item.identity["id_number"]
        values["phone"] = item.phone["phone"] if item.phone else ""
        values["desired_occupations"] = item.occupations or []
        # The ID number is the person; a namesake born the same day is not a reason to stop.
        person = people_services.person_register(
            acting_user=self.acting_user,
            values=values,
            confirm_similar=True,
            request=self.request,
            today=self.today,
        )
        self._link(person, item.external_id, channel=IntakeChannel.REGIONAL_PLATFORM)
        return person

    def _update(self, item: CheckedPerson, person: Person, attach: bool) -> str:
        changes = person_changes(person, item)
        if changes:
            people_services.person_update(
                acting_user=self.acting_user,
                person=person,
                expected_version=person.version,
                changes=changes,
                request=self.request,
                today=self.today,
            )
        if attach:
            self._link(person, item.external_id)
            return Outcome.ATTACHED
        return Outcome.UPDATED if changes else Outcome.UNCHANGED

    def _link(self, person: Person, external_id: str, channel: str | None = None) -> None:
        """Attach the platform's id (and, for a new file, the channel it came through).

        people.services has no field for either, so this one write is made here, with
        the same version check and audit entry as the register's own edits.
        """
        before = snapshot(person)
        person.external_id = external_id
        fields = ["external_id", "updated_at"]
        if channel:
            person.channel = channel
            fields.append("channel")
        person.updated_at = timezone.now()
        save_with_version(person, expected_version=person.version, fields=fields)
        audit_change(
            actor=self.acting_user,
            action=Action.UPDATE,
            instance=person,
            before=before,
            request=self.request,
            note=PLATFORM_NOTE,
        )
