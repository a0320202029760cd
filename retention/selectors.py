"""Reading for the retention job and its page: who is inactive, pending notices, runs."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core.scope import scoped
from people.models import Consent, ContactAttempt, Person, Transfer
from retention.models import RetentionNotice, RetentionRun
from retention.rules import VIEW_RUNS


def activity_cutoff(now: datetime.datetime) -> datetime.datetime:
    return now - relativedelta(months=settings.PRIVACY["RETENTION_INACTIVE_MONTHS"])


def _activity_since(cutoff: datetime.datetime) -> list[QuerySet]:
    """One correlated query per kind of activity or open obligation, each on OuterRef("pk")."""
    from assistance.models import AssistanceFile, FileStatus
    from guidance.models import GuidanceCase, PersonalPolicyPlan
    from keygroups.models import Membership
    from recommendations.models import OPEN_STATES, Recommendation, Step
    from registrations.models import Registration
    from registrations.models import Status as RegistrationStatus
    from servicerecords.models import ServiceRecord
    from subjectrights.models import OPEN_STATES as OPEN_REQUEST_STATES
    from subjectrights.models import SubjectRequest
    from worklist.services import open_items

    day = timezone.localdate(cutoff)
    person = OuterRef("pk")
    return [
        ContactAttempt.objects.filter(person=person, at__gte=cutoff),
        Transfer.objects.filter(person=person, at__gte=cutoff),
        Consent.objects.filter(Q(given_at__gte=cutoff) | Q(withdrawn_at__gte=cutoff), person=person),
        ServiceRecord.objects.filter(person=person, on__gte=day),
        Recommendation.objects.filter(Q(updated_at__gte=cutoff) | Q(state__in=OPEN_STATES), person=person),
        Step.objects.filter(recommendation__person=person, at__gte=cutoff),
        Membership.objects.filter(Q(started_on__gte=day) | Q(ended_on__gte=day), person=person),
        AssistanceFile.objects.filter(person=person).exclude(status=FileStatus.CLOSED),
        Registration.objects.filter(person=person).exclude(status=RegistrationStatus.CLOSED),
        GuidanceCase.objects.filter(person=person, closed_on__isnull=True),
        PersonalPolicyPlan.objects.filter(person=person, created_on__gte=day),
        SubjectRequest.objects.filter(person=person, state__in=OPEN_REQUEST_STATES),
        open_items().filter(person=person),
    ]


def inactive_persons(now: datetime.datetime | None = None) -> QuerySet:
    """Persons with no activity for RETENTION_INACTIVE_MONTHS months, and nothing open.

    Activity is any stored date on or after the cutoff (now minus that many months):
    the file itself registered or updated; a contact attempt, transfer, consent given or
    withdrawn; a service record; a recommendation changed or a step on it; a key-group
    membership started or ended; a one-person-one-policy plan drawn up. An open
    obligation keeps the person active whatever its dates: an open or closing assistance
    file, an open registration, an open guidance case, a recommendation not yet in a final
    state, an open data-subject request, an open work item. Pushes sent to the person and
    the retention notice itself are not activity. Anonymised persons are never listed.
    """
    cutoff = activity_cutoff(now or timezone.now())
    persons = Person.objects.filter(anonymised_at__isnull=True, updated_at__lt=cutoff, created_at__lt=cutoff)
    for activity in _activity_since(cutoff):
        persons = persons.exclude(Exists(activity))
    return persons


def pending_notices() -> QuerySet:
    return RetentionNotice.objects.filter(cancelled_on__isnull=True, done_on__isnull=True)


def district_code(unit_path: str) -> str:
    """The district (second code of the path) a unit belongs to; the city for the city itself."""
    codes = [code for code in unit_path.split("/") if code]
    return codes[1] if len(codes) > 1 else codes[0]


def _require(user) -> None:
    if not user.has_perm(VIEW_RUNS):
        raise PermissionDenied


def runs_for_page(*, user) -> QuerySet:
    _require(user)
    return RetentionRun.objects.select_related("started_by")


def pending_notices_for_page(*, user) -> QuerySet:
    _require(user)
    return scoped(pending_notices().select_related("person", "person__unit"), user).defer(
        "person__id_number", "person__phone", "person__disability_details"
    )
