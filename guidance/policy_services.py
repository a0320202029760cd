"""一人一策 (§5.4.3): the personal policy plan a long-term unemployed person must have.

A person is long-term unemployed once unemployed for STANDARD["LONG_TERM_UNEMPLOYED_MONTHS"]
months since `unemployed_since`. Their plan is "current" when it was drawn up during the
present spell of unemployment. The nightly job opens a PERSONAL_POLICY work item for each
person who crossed the threshold without one, and cancels it for a person who found work;
drawing up the plan completes it.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import audit_change
from guidance import services as cases
from guidance.models import CaseState, GuidanceCase, PersonalPolicyPlan
from people.choices import EmploymentStatus
from people.models import Person
from policies.models import Policy
from worklist import deadlines
from worklist.models import Kind as ItemKind
from worklist.models import WorkItem
from worklist.services import item_cancel, item_done, item_open

refuse = cases.refuse

REVIEW_BEFORE = _("The review date cannot be before the day the plan is drawn up.")
UNKNOWN_POLICY = _("Choose policies from the catalogue.")


def threshold_months() -> int:
    return settings.STANDARD["LONG_TERM_UNEMPLOYED_MONTHS"]


def crossing_date(since: datetime.date, months: int | None = None) -> datetime.date:
    """The first day on which someone unemployed since `since` has been so for the threshold
    in whole months (as keygroups counts them: 31 January + 1 month is 1 March, not 28 February)."""
    months = threshold_months() if months is None else months
    day = since + relativedelta(months=months)
    return day if day.day == since.day else day + datetime.timedelta(days=1)


def current_plan_exists() -> Exists:
    """A plan drawn up during the person's present spell of unemployment."""
    return Exists(
        PersonalPolicyPlan.objects.filter(person=OuterRef("pk"), created_on__gte=OuterRef("unemployed_since"))
    )


def long_term_unemployed(persons: QuerySet, today: datetime.date) -> QuerySet:
    # `since <= today - N months` is the same test as "N whole months by today" (see crossing_date).
    cutoff = today - relativedelta(months=threshold_months())
    return persons.filter(
        employment_status=EmploymentStatus.UNEMPLOYED,
        unemployed_since__isnull=False,
        unemployed_since__lte=cutoff,
    )


def without_current_plan(persons: QuerySet, today: datetime.date) -> QuerySet:
    return long_term_unemployed(persons, today).filter(~current_plan_exists())


@transaction.atomic
def personal_policy_create(
    *,
    acting_user,
    person: Person,
    situation: str,
    measures: str,
    review_on: datetime.date,
    policies=(),
    created_on: datetime.date | None = None,
    request=None,
    today=None,
) -> PersonalPolicyPlan:
    """Draw up the next version of the person's 一人一策; it completes the open task."""
    cases.require_manage(acting_user, person)
    today = today or timezone.localdate()
    created_on = created_on or today
    if created_on > today:
        refuse("created_on", cases.IN_FUTURE)
    situation = cases._text("situation", situation)
    measures = cases._text("measures", measures)
    if review_on < created_on:
        refuse("review_on", REVIEW_BEFORE)
    policies = list(policies)
    if Policy.objects.filter(pk__in=[p.pk for p in policies], is_active=True).count() != len(set(policies)):
        refuse("policies", UNKNOWN_POLICY)
    # Serialise version numbers per person on the person's row.
    person = cases.lock(Person.objects.filter(pk=person.pk)).get()
    number = (PersonalPolicyPlan.objects.filter(person=person).aggregate(top=Max("number"))["top"] or 0) + 1
    plan = PersonalPolicyPlan.objects.create(
        person=person,
        number=number,
        created_on=created_on,
        created_by=acting_user,
        situation=situation,
        measures=measures,
        review_on=review_on,
    )
    plan.policies.set(policies)
    audit_change(actor=acting_user, action=Action.CREATE, instance=plan, request=request)
    item_done(kind=ItemKind.PERSONAL_POLICY, source=person, done_on=created_on)
    return plan


def _task_start(person: Person, today: datetime.date) -> datetime.date:
    """The crossing date, or today for a person who reached the register already past it
    (imported or registered late): the obligation arises when the service learns of it."""
    crossing = crossing_date(person.unemployed_since)
    known_on = timezone.localdate(person.created_at)
    return crossing if crossing >= known_on else today


def _assignee(person: Person):
    case = GuidanceCase.objects.filter(person=person).exclude(state=CaseState.CLOSED).first()
    return case.counsellor if case else None


def personal_policy_tasks(*, today: datetime.date | None = None) -> dict:
    """The nightly job: a PERSONAL_POLICY item for each long-term unemployed person without a
    current plan and without an open item; open items of persons no longer in need are
    cancelled. Running it again the same day changes nothing."""
    today = today or timezone.localdate()
    person_type = Person._meta.label_lower
    open_item = Exists(
        WorkItem.objects.filter(
            kind=ItemKind.PERSONAL_POLICY,
            source_type=person_type,
            source_id=OuterRef("pk"),
            done_on__isnull=True,
            cancelled_on__isnull=True,
        )
    )
    needing = without_current_plan(Person.objects.select_related("unit"), today)
    opened = 0
    for person in needing.filter(~open_item).order_by("pk").iterator(chunk_size=500):
        with transaction.atomic():
            start = _task_start(person, today)
            item_open(
                kind=ItemKind.PERSONAL_POLICY,
                source=person,
                due_on=deadlines.due_date("personal_policy", start, unit=person.unit),
                person=person,
                assignee=_assignee(person),
            )
            opened += 1
    stale = WorkItem.objects.filter(
        kind=ItemKind.PERSONAL_POLICY,
        source_type=person_type,
        done_on__isnull=True,
        cancelled_on__isnull=True,
    ).exclude(source_id__in=needing.values("pk"))
    cancelled = 0
    for item in stale.select_related("person"):
        if item.person is None:
            continue
        cancelled += item_cancel(kind=ItemKind.PERSONAL_POLICY, source=item.person, on=today)
    return {"opened": opened, "cancelled": cancelled}


def person_needs_plan(person: Person, today: datetime.date) -> bool:
    return without_current_plan(Person.objects.filter(pk=person.pk), today).exists()
