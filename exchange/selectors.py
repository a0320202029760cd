"""Reads for the exchange: what an export holds, and the collection log (§5.3.1)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.channels import IntakeChannel
from core.scope import get_scoped_or_404, scoped
from employers.models import Employer
from network.models import OrgUnit
from people import selectors as people_selectors
from people.models import Person
from training.models import Course
from vacancies.models import Vacancy

EXPORT = "exchange.export_data"
INTAKE = "exchange.view_intake"


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def vacancy_export_list(*, user, status: str = "", since: datetime.datetime | None = None) -> QuerySet:
    _require(user, EXPORT)
    vacancies = scoped(
        Vacancy.objects.select_related(
            "employer__industry", "employer__unit", "occupation", "unit", "work_unit"
        ),
        user,
    )
    if status:
        vacancies = vacancies.filter(status=status)
    if since is not None:
        vacancies = vacancies.filter(updated_at__gte=since)
    return vacancies.order_by("updated_at", "id")


def job_seeker_export_list(
    *,
    user,
    unit_code: str = "",
    key_group: str = "",
    since: datetime.datetime | None = None,
    full: bool = False,
) -> QuerySet:
    _require(user, EXPORT)
    persons = people_selectors.person_list(user=user, unit_code=unit_code, key_group=key_group)
    persons = persons.select_related("household_unit", "residence_unit")
    if not full:
        persons = persons.defer("id_number", "phone", "disability_details")  # never even decrypted
    if since is not None:
        persons = persons.filter(updated_at__gte=since)
    return persons.order_by("updated_at", "id")


def desired_occupation_codes(person_ids) -> dict[int, list[str]]:
    through = Person.desired_occupations.through
    codes: dict[int, list[str]] = {}
    rows = through.objects.filter(person_id__in=list(person_ids)).values_list("person_id", "occupation__code")
    for person_id, code in rows.order_by("occupation__code"):
        codes.setdefault(person_id, []).append(code)
    return codes


# --- the collection log (§5.3.1) ------------------------------------------------------


class Kind:
    VACANCY = "vacancy"
    JOB_SEEKER = "job_seeker"
    TRAINING_OFFER = "training_offer"
    EMPLOYER = "employer"


KINDS = (
    (Kind.VACANCY, _("Vacancies"), Vacancy),
    (Kind.JOB_SEEKER, _("Job seekers"), Person),
    (Kind.TRAINING_OFFER, _("Training offers"), Course),
    (Kind.EMPLOYER, _("Employers"), Employer),
)
KIND_LABELS = {code: label for code, label, _model in KINDS}


def _received(model, date_from: datetime.date, date_to: datetime.date) -> dict:
    """The filter for items received in the period, by when their record was created."""
    if "created_at" in {f.name for f in model._meta.fields}:
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        return {"created_at__gte": start, "created_at__lt": end}
    # A course records no creation time; its start date stands in for it.
    return {"starts_on__gte": date_from, "starts_on__lte": date_to}


@dataclass
class IntakeRow:
    unit: OrgUnit
    kind: str
    counts: list[int]  # in the order of IntakeChannel
    total: int

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]


@dataclass
class IntakeSummary:
    root: OrgUnit
    units: list[OrgUnit]  # the root (items it holds itself), then its children
    date_from: datetime.date
    date_to: datetime.date
    counts: dict  # (unit code, kind, channel) → count

    channels = IntakeChannel

    def count(self, unit_code: str, kind: str, channel: str) -> int:
        return self.counts.get((unit_code, kind, channel), 0)

    def rows(self, kind: str = "") -> list[IntakeRow]:
        rows = []
        for unit in self.units:
            for code, _label, _model in KINDS:
                if kind and code != kind:
                    continue
                counts = [self.count(unit.code, code, channel) for channel in IntakeChannel.values]
                rows.append(IntakeRow(unit=unit, kind=code, counts=counts, total=sum(counts)))
        return rows

    def idle_units(self, kind: str = "") -> list[OrgUnit]:
        """Units that received nothing (of `kind`) in the period: worth a look in a collection log."""
        busy = {unit for unit, k, _channel in self.counts if not kind or k == kind}
        return [unit for unit in self.units if unit.code not in busy]

    def totals(self) -> list[IntakeRow]:
        """One row per kind for the whole area."""
        rows = []
        for code, _label, _model in KINDS:
            counts = [
                sum(self.count(unit.code, code, channel) for unit in self.units)
                for channel in IntakeChannel.values
            ]
            rows.append(IntakeRow(unit=self.root, kind=code, counts=counts, total=sum(counts)))
        return rows

    def chart(self, kind: str = "") -> dict:
        """Units along the axis, one stacked series per channel (the ECharts stacked bar)."""
        kinds = [kind] if kind else [code for code, _label, _model in KINDS]
        return {
            "categories": [unit.name for unit in self.units],
            "series": [
                {
                    "name": str(label),
                    "data": [sum(self.count(unit.code, k, channel) for k in kinds) for unit in self.units],
                }
                for channel, label in IntakeChannel.choices
            ],
        }


def intake_summary(
    user, date_from: datetime.date, date_to: datetime.date, *, unit_code: str = ""
) -> IntakeSummary:
    """Items received per channel × kind, per unit directly below `unit_code` (default: the user's unit)."""
    _require(user, INTAKE)
    root = get_scoped_or_404(OrgUnit.objects.all(), user, code=unit_code) if unit_code else user.unit
    units = [root, *OrgUnit.objects.filter(parent=root).order_by("path")]
    known = {unit.code for unit in units}
    counts: dict = defaultdict(int)
    for kind, _label, model in KINDS:
        items = scoped(model.objects.all(), user).filter(
            unit__path__startswith=root.path, **_received(model, date_from, date_to)
        )
        grouped = items.order_by().values_list("unit__path", "channel").annotate(n=Count("pk"))
        for path, channel, number in grouped:
            # The first code below the root's path names the child the item belongs to.
            below = path[len(root.path) :].split("/", 1)[0]
            counts[(below if below in known else root.code, kind, channel)] += number
    return IntakeSummary(root=root, units=units, date_from=date_from, date_to=date_to, counts=dict(counts))
