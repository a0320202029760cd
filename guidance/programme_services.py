"""Writes to preventive guidance programmes (§7.8): the programme and its cohort filter,
enrolling the cohort, sessions, and attendance."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import audit_change, snapshot
from core.concurrency import save_with_version
from core.errors import ConcurrentEdit, NotAllowed
from core.scope import scoped, unit_in_scope
from guidance import services as cases
from guidance.cohort import CohortFilter, cohort
from guidance.models import Attendance, Enrolment, Programme, Session
from guidance.rules import MANAGE_PROGRAMMES
from network.models import OrgUnit
from people.models import Person

refuse = cases.refuse

ENDS_BEFORE_START = _("The programme must end on or after the day it starts.")
UNIT_OUTSIDE = _("Choose a unit in your area.")
FILTER_UNIT_OUTSIDE = _("Choose a unit within the unit that runs the programme.")
AGES = _("The lowest age must not be above the highest.")
GRADUATION = _("The first graduation date must not be after the last.")
SESSION_OUTSIDE = _("A session takes place while the programme runs (%(start)s to %(end)s).")
NOT_ENROLLED = _("Only enrolled persons have attendance recorded.")

FIELDS = ["title_zh", "title_bo", "description", "audience_note", "unit", "starts_on", "ends_on"]


def _require(user, unit) -> None:
    if not user.has_perm(MANAGE_PROGRAMMES) or not unit_in_scope(user, unit):
        raise NotAllowed()


def _check(values: dict, chosen: CohortFilter) -> None:
    cases._text("title_zh", values.get("title_zh", ""), maximum=200)
    if values["ends_on"] < values["starts_on"]:
        refuse("ends_on", ENDS_BEFORE_START)
    if chosen.unit_code and not _unit_path(chosen.unit_code, values["unit"]):
        refuse("unit_code", FILTER_UNIT_OUTSIDE)
    if chosen.age_from is not None and chosen.age_to is not None and chosen.age_from > chosen.age_to:
        refuse("age_to", AGES)
    if chosen.graduated_from and chosen.graduated_until and chosen.graduated_from > chosen.graduated_until:
        refuse("graduated_until", GRADUATION)


def _unit_path(code: str, programme_unit) -> str:
    """The path of the filter's unit if it lies within the programme's unit, else ""."""
    unit = OrgUnit.objects.filter(code=code, path__startswith=programme_unit.path).first()
    return unit.path if unit else ""


@transaction.atomic
def programme_save(
    *,
    acting_user,
    values: dict,
    cohort_filter: CohortFilter,
    programme: Programme | None = None,
    version: int | None = None,
    request=None,
) -> Programme:
    """Create a programme (no `programme`) or edit one (with the `version` read)."""
    _require(acting_user, values["unit"])
    _check(values, cohort_filter)
    if programme is None:
        created = Programme.objects.create(
            **{name: values.get(name, "") for name in FIELDS},
            cohort_filter=cohort_filter.to_json(),
            created_by=acting_user,
        )
        audit_change(actor=acting_user, action=Action.CREATE, instance=created, request=request)
        return created
    _require(acting_user, programme.unit)
    current = cases.lock(Programme.objects.filter(pk=programme.pk)).get()
    if version is None or current.version != version:
        raise ConcurrentEdit()
    before = snapshot(current)
    for name in FIELDS:
        setattr(current, name, values.get(name, ""))
    current.cohort_filter = cohort_filter.to_json()
    save_with_version(current, expected_version=version, fields=[*FIELDS, "cohort_filter"])
    audit_change(actor=acting_user, action=Action.UPDATE, instance=current, before=before, request=request)
    return current


@transaction.atomic
def programme_enrol_cohort(
    *, acting_user, programme: Programme, request=None, today: datetime.date | None = None
) -> int:
    """Enrol everyone the filter finds now (ages on the programme's first day) who is not
    enrolled yet; returns how many were added. Nobody is removed."""
    _require(acting_user, programme.unit)
    today = today or timezone.localdate()
    enrolled = set(programme.enrolments.values_list("person_id", flat=True))
    found = cohort(user=acting_user, programme=programme, on=programme.starts_on).values_list("pk", flat=True)
    new = [pk for pk in found if pk not in enrolled]
    Enrolment.objects.bulk_create(
        [Enrolment(programme=programme, person_id=pk, enrolled_on=today, by=acting_user) for pk in new],
        ignore_conflicts=True,
    )
    if new:
        audit_change(
            actor=acting_user,
            action=Action.UPDATE,
            instance=programme,
            request=request,
            note=f"enrolled {len(new)}",
        )
    return len(new)


@transaction.atomic
def session_add(
    *,
    acting_user,
    programme: Programme,
    on: datetime.date,
    starts_at: datetime.time,
    place: str,
    topic: str = "",
    request=None,
) -> Session:
    _require(acting_user, programme.unit)
    place = cases._text("place", place, maximum=200)
    topic = cases._text("topic", topic, required=False, maximum=200)
    if not programme.starts_on <= on <= programme.ends_on:
        dates = {"start": date_format(programme.starts_on), "end": date_format(programme.ends_on)}
        refuse("on", SESSION_OUTSIDE % dates)
    session = Session.objects.create(
        programme=programme, on=on, starts_at=starts_at, place=place, topic=topic
    )
    audit_change(actor=acting_user, action=Action.CREATE, instance=session, request=request)
    return session


@transaction.atomic
def attendance_record(*, acting_user, session: Session, present: set[int], request=None) -> int:
    """Record the sheet of a session: every enrolled person attended (in `present`) or not.
    Returns how many rows were written."""
    _require(acting_user, session.programme.unit)
    # Only the rows of persons the user may see: one who moved away keeps what was recorded.
    enrolled = set(
        scoped(
            Person.objects.filter(pk__in=session.programme.enrolments.values("person_id")), acting_user
        ).values_list("pk", flat=True)
    )
    if not set(present) <= enrolled:
        refuse("present", NOT_ENROLLED)
    for person_id in sorted(enrolled):
        Attendance.objects.update_or_create(
            session=session,
            person_id=person_id,
            defaults={"attended": person_id in present, "recorded_by": acting_user},
        )
    audit_change(
        actor=acting_user,
        action=Action.UPDATE,
        instance=session,
        request=request,
        note=f"attendance {len(present)}",
    )
    return len(enrolled)
