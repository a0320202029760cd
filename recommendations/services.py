"""Writes to recommendations (推荐跟踪, §4.4.1): create, take a step, the hire, expiry.

Every step goes through `_apply`: it sets the state and its timestamps, the deadline of
a waiting step, writes the row with a version check, one `Step` (by=None when the
system acts, and the side that acted) and one audit entry, in the caller's transaction.

Deadlines are stored when a waiting state is entered (`step_deadline`, in working days
through the calendar of the person's unit) and expiry reads only that date, so an
unrelated edit never restarts the clock.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

import workdays
from audit.models import Action
from audit.services import audit_change, snapshot
from core.concurrency import save_with_version
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed, errors_from_django
from core.scope import unit_in_scope
from network.models import localized_name
from people.choices import EmploymentStatus
from policies.services import policies_push_after_hire
from recommendations import workflow
from recommendations.models import (
    FINAL_STATES,
    OPEN_STATES,
    WAITING_STATES,
    DeclineReason,
    Origin,
    Recommendation,
    Side,
    State,
    Step,
    WithdrawReason,
)
from recommendations.rules import ACT
from registrations.models import EmploymentType, Kind
from registrations.models import Status as RegistrationStatus
from registrations.services import registration_open
from vacancies.models import localized_title
from vacancies.selectors import published_vacancies
from vacancies.workflow import FINAL_STATES as VACANCY_FINAL_STATES
from workcalendar.selectors import region_for_unit

logger = logging.getLogger(__name__)

UNKNOWN_ACTION = _("Not one of the allowed actions.")
NOT_FROM_STATE = _("“%(action)s” cannot be recorded while the recommendation is “%(state)s”.")
REASON_REQUIRED = _("Choose a reason.")
REASON_NOT_ALLOWED = _("Choose one of the listed reasons.")
NO_REASON_TAKEN = _("This step takes no reason.")
DATE_REQUIRED = _("Give the date.")
HIRE_IN_FUTURE = _("The hiring date cannot be in the future.")
NOTE_TOO_LONG = _("Keep the note under 500 characters.")
NOT_RECOMMENDABLE = _("Only a published vacancy can be recommended.")
VACANCY_NOT_PUBLISHED = _("This vacancy is no longer published, so nobody can be referred to it.")
EMPLOYMENT_OPEN = _(
    "This person already has an open employment registration. "
    "Close it (left the job) before recording this hire."
)
CONFIRM_HIRE = _("Recording this hire changes the person's file. Confirm to go ahead.")
EFFECT_REGISTRATION = _("An employment registration at %(employer)s as %(job)s is opened on %(date)s.")
EFFECT_UNEMPLOYMENT_CLOSED = _("The open unemployment registration is closed (found employment).")
EFFECT_EMPLOYED = _("The person's status becomes “employed”.")
EFFECT_ZERO_EMPLOYMENT = _("The household is no longer a zero-employment household.")
NOT_HIRED_YET = _("Only a hire is followed up.")
FOLLOWED_UP_ALREADY = _("The follow-up of this hire is already recorded.")
FOLLOW_UP_IN_FUTURE = _("The follow-up date cannot be in the future.")
FOLLOW_UP_BEFORE_HIRE = _("The follow-up date cannot be before the hiring date.")

NOTE_MAX = 500
# Which working-day allowance a waiting state gets (settings.RECOMMENDATION).
DEADLINE_SETTING = {
    State.SHOWN: "SEEKER_ANSWER_WORKDAYS",
    State.REFERRED: "EMPLOYER_ANSWER_WORKDAYS",
    State.INTERVIEW: "INTERVIEW_OUTCOME_WORKDAYS",
}
# The field a final state keeps its reason in.
REASON_FIELD = {
    State.DECLINED: "decline_reason",
    State.REJECTED: "reject_reason",
    State.WITHDRAWN: "withdraw_reason",
}
# The employer answered a referral when it invited, rejected, hired or turned down.
EMPLOYER_ANSWERED_STATES = frozenset({State.INTERVIEW, State.REJECTED, State.HIRED, State.NOT_HIRED})
# Stored in the step log (data, not interface text).
HIRED_THROUGH_NOTE = "hired through recommendation {pk}"


def _lock(queryset, *, skip_locked: bool = False):
    features = connection.features
    if not features.has_select_for_update:
        return queryset  # SQLite: IMMEDIATE transactions already serialise writers
    # Lock the recommendation row only: the person and vacancy joined for reading stay free.
    of = ("self",) if features.has_select_for_update_of else ()
    skip = skip_locked and features.has_select_for_update_skip_locked
    return queryset.select_for_update(skip_locked=skip, of=of)


def _related(queryset):
    return queryset.select_related("person__unit", "person__household", "vacancy__employer")


def step_deadline_for(state: str, *, person, start: datetime.date) -> datetime.date | None:
    """When a waiting state entered on `start` expires; None for every other state."""
    setting = DEADLINE_SETTING.get(state)
    if setting is None:
        return None
    days = settings.RECOMMENDATION[setting]
    return workdays.add_workdays(start, days, region_for_unit(person.unit))


def _open_pair(person, vacancy):
    return Recommendation.objects.filter(person=person, vacancy=vacancy, state__in=OPEN_STATES).first()


@transaction.atomic
def recommendation_create(
    *, person, vacancy, score, factors, facts, origin, run=None, acting_user=None, request=None
) -> Recommendation:
    """Record a match. Idempotent on the open pair: the open one comes back with `is_new`
    False. Two concurrent calls meet at the partial unique index; the loser returns the
    winner's row. `acting_user` None is the matching run acting as the system."""
    if acting_user is not None and not (
        acting_user.has_perm(ACT) and unit_in_scope(acting_user, person.unit)
    ):
        raise NotAllowed()
    if origin not in Origin.values:
        raise ValueError(f"Unknown origin {origin!r}")
    existing = _open_pair(person, vacancy)
    if existing is not None:
        existing.is_new = False
        return existing
    if not published_vacancies().filter(pk=vacancy.pk).exists():
        raise ValidationFailed(errors={"vacancy": [str(NOT_RECOMMENDABLE)]}, code="vacancy_not_published")
    recommendation = Recommendation(
        person=person,
        vacancy=vacancy,
        state=State.MATCHED,
        origin=origin,
        run=run,
        score=score,
        factors=factors,
        facts=facts,
        created_by=acting_user,
    )
    try:
        # The engine's factors and facts may be empty dicts, which full_clean calls blank.
        recommendation.full_clean(
            exclude=["factors", "facts"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc
    try:
        with transaction.atomic():
            recommendation.save()
    except IntegrityError:
        existing = _open_pair(person, vacancy)
        if existing is None:
            raise
        existing.is_new = False
        return existing
    recommendation.is_new = True
    audit_change(actor=acting_user, action=Action.CREATE, instance=recommendation, request=request)
    return recommendation


def _apply(
    action: workflow.Action,
    *,
    recommendation: Recommendation,
    by,
    expected_version: int,
    today: datetime.date,
    now: datetime.datetime,
    side: str | None = None,
    reason: str = "",
    note: str = "",
    on: datetime.date | None = None,
    request=None,
) -> Recommendation:
    """One declared step, already checked: state, timestamps, deadline, the write with a
    version check, the log row and the audit entry."""
    before = snapshot(recommendation)
    previous = recommendation.state
    target = action.target
    values: dict = {"state": target, "updated_at": now}
    # The interview outcome cannot be due before the interview itself.
    start = max(today, on) if action.name == "interview" and on else today
    values["step_deadline"] = step_deadline_for(target, person=recommendation.person, start=start)
    if recommendation.shown_at is None and target != State.WITHDRAWN:
        values["shown_at"] = now
    if target == State.REFERRED:
        values["referred_at"] = now
    if target in FINAL_STATES:
        values["closed_at"] = now
    if target in REASON_FIELD:
        values[REASON_FIELD[target]] = reason
    if action.name == "interview":
        values["interview_on"] = on
    if action.name == "hire":
        values["hired_on"] = on
        values["follow_up_on"] = on + datetime.timedelta(days=settings.RECOMMENDATION["HIRE_FOLLOW_UP_DAYS"])
    for name, value in values.items():
        setattr(recommendation, name, value)
    save_with_version(recommendation, expected_version=expected_version, fields=list(values))
    Step.objects.create(
        recommendation=recommendation,
        action=action.name,
        from_state=previous,
        to_state=target,
        by=by,
        side=side or action.side,
        reason=reason,
        note=note,
    )
    audit_change(
        actor=by,
        action=Action.UPDATE,
        instance=recommendation,
        before=before,
        request=request,
        note=action.name,
    )
    _sync_worklist(recommendation, today)
    return recommendation


def _sync_worklist(recommendation: Recommendation, today: datetime.date) -> None:
    # The worklist sits above this app (it reads recommendations), hence the late import.
    from worklist.sync import sync_recommendation

    sync_recommendation(recommendation, today=today)


def _refuse(field: str, message, code: str = "validation_failed"):
    raise ValidationFailed(errors={field: [str(message)]}, code=code)


def _check_step(
    action: workflow.Action, recommendation: Recommendation, *, reason: str, note: str, on, today
) -> None:
    if not workflow.can_start(action, recommendation.state):
        message = NOT_FROM_STATE % {"action": action.label, "state": recommendation.get_state_display()}
        _refuse("action", message, "invalid_transition")
    if action.reason_choices is not None:
        if not reason:
            _refuse("reason", REASON_REQUIRED)
        if reason not in dict(workflow.reason_choices(action)):
            _refuse("reason", REASON_NOT_ALLOWED)
    elif reason:
        _refuse("reason", NO_REASON_TAKEN)
    if action.needs_date and on is None:
        _refuse("on", DATE_REQUIRED)
    if action.name == "hire" and on > today:
        _refuse("on", HIRE_IN_FUTURE)
    if len(note) > NOTE_MAX:
        _refuse("note", NOTE_TOO_LONG)
    if action.name == "refer" and not published_vacancies().filter(pk=recommendation.vacancy_id).exists():
        _refuse("action", VACANCY_NOT_PUBLISHED, "vacancy_not_published")


def _open_registrations(person, kind: str):
    return person.registrations.filter(kind=kind).exclude(status=RegistrationStatus.CLOSED)


def hire_effects(recommendation: Recommendation, on: datetime.date) -> list[str]:
    """What recording the hire will do to the person's file, in the active language."""
    person = recommendation.person
    vacancy = recommendation.vacancy
    values = {
        "employer": localized_name(vacancy.employer),
        "job": localized_title(vacancy),
        "date": formats.date_format(on),
    }
    effects = [str(EFFECT_REGISTRATION % values)]
    if _open_registrations(person, Kind.UNEMPLOYMENT).exists():
        effects.append(str(EFFECT_UNEMPLOYMENT_CLOSED))
    if person.employment_status != EmploymentStatus.EMPLOYED:
        effects.append(str(EFFECT_EMPLOYED))
    if person.household_id and person.household.zero_employment:
        effects.append(str(EFFECT_ZERO_EMPLOYMENT))
    others = Recommendation.objects.filter(person=person, state__in=OPEN_STATES).exclude(pk=recommendation.pk)
    count = others.count()
    if count:
        effects.append(
            ngettext(
                "%(count)s other open recommendation of this person is withdrawn (hired elsewhere).",
                "%(count)s other open recommendations of this person are withdrawn (hired elsewhere).",
                count,
            )
            % {"count": count}
        )
    return effects


def _check_hire(recommendation: Recommendation, *, on: datetime.date, confirm: bool) -> None:
    person = recommendation.person
    if _open_registrations(person, Kind.EMPLOYMENT).exists():
        _refuse("action", EMPLOYMENT_OPEN, "employment_registration_open")
    big = _open_registrations(person, Kind.UNEMPLOYMENT).exists() or (
        person.household_id and person.household.zero_employment
    )
    if big and not confirm:
        effects = hire_effects(recommendation, on)
        raise ValidationFailed(
            " ".join([str(CONFIRM_HIRE), *effects]),
            errors={"confirm": effects},
            code="confirmation_required",
        )


def _hire(recommendation: Recommendation, *, acting_user, on: datetime.date, today, now, request) -> None:
    """The hire's effects on the file, in the hire's transaction; the policies after commit."""
    person = recommendation.person
    vacancy = recommendation.vacancy
    registration_open(
        acting_user=acting_user,
        person=person,
        kind=Kind.EMPLOYMENT,
        registered_on=on,
        employment_type=EmploymentType.EMPLOYEE,
        employer_name=vacancy.employer.name_zh,
        employer_credit_code=vacancy.employer.credit_code,
        job_title=vacancy.title_zh,
        request=request,
    )
    withdraw = workflow.ACTIONS["withdraw"]
    others = _lock(
        _related(
            Recommendation.objects.filter(person=person, state__in=OPEN_STATES).exclude(pk=recommendation.pk)
        )
    ).order_by("pk")
    for other in others:
        _apply(
            withdraw,
            recommendation=other,
            by=None,
            side=Side.SYSTEM,
            expected_version=other.version,
            reason=WithdrawReason.HIRED_ELSEWHERE,
            note=HIRED_THROUGH_NOTE.format(pk=recommendation.pk),
            today=today,
            now=now,
        )
    recommendation_id = recommendation.pk
    # robust: the hire is committed whatever happens to the pushes.
    transaction.on_commit(lambda: push_after_hire(recommendation_id=recommendation_id), robust=True)


def push_after_hire(*, recommendation_id: int) -> dict:
    recommendation = Recommendation.objects.select_related("person").get(pk=recommendation_id)
    return policies_push_after_hire(person=recommendation.person, recommendation=recommendation)


@transaction.atomic
def recommendation_act(
    *,
    acting_user,
    recommendation: Recommendation,
    action: str,
    version: int,
    reason: str = "",
    note: str = "",
    on: datetime.date | None = None,
    confirm: bool = False,
    request=None,
    today: datetime.date | None = None,
) -> Recommendation:
    """Take one of the steps a person may record (workflow.PUBLIC_ACTIONS); returns the
    recommendation as stored. A hire also opens the employment registration, withdraws
    the person's other open recommendations and pushes the after-hire policies."""
    if not acting_user.has_perm(ACT) or not unit_in_scope(acting_user, recommendation.person.unit):
        raise NotAllowed()
    declared = workflow.action_for(action)
    if declared is None or declared.system_only:
        _refuse("action", UNKNOWN_ACTION, "unknown_action")
    today = today or timezone.localdate()
    now = timezone.now()
    reason = (reason or "").strip()
    note = (note or "").strip()
    current = _related(_lock(Recommendation.objects.filter(pk=recommendation.pk))).get()
    # A stale form is answered with "reload", not with a refusal computed from the old state.
    if current.version != version:
        raise ConcurrentEdit()
    _check_step(declared, current, reason=reason, note=note, on=on, today=today)
    if declared.name == "hire":
        _check_hire(current, on=on, confirm=confirm)
    _apply(
        declared,
        recommendation=current,
        by=acting_user,
        expected_version=version,
        reason=reason,
        note=note,
        on=on if declared.needs_date else None,
        today=today,
        now=now,
        request=request,
    )
    if declared.name == "hire":
        _hire(current, acting_user=acting_user, on=on, today=today, now=now, request=request)
    return current


@transaction.atomic
def recommendation_record_follow_up(
    *,
    acting_user,
    recommendation: Recommendation,
    version: int,
    on: datetime.date | None = None,
    note: str = "",
    request=None,
    today: datetime.date | None = None,
) -> Recommendation:
    """The counsellor checked how the job is going (§5.4.3); the hire leaves the follow-up list."""
    if not acting_user.has_perm(ACT) or not unit_in_scope(acting_user, recommendation.person.unit):
        raise NotAllowed()
    today = today or timezone.localdate()
    on = on or today
    note = (note or "").strip()
    current = _lock(Recommendation.objects.filter(pk=recommendation.pk)).get()
    if current.version != version:
        raise ConcurrentEdit()
    if current.state != State.HIRED:
        _refuse("action", NOT_HIRED_YET)
    if current.followed_up_on is not None:
        _refuse("action", FOLLOWED_UP_ALREADY)
    if on > today:
        _refuse("on", FOLLOW_UP_IN_FUTURE)
    if on < current.hired_on:
        _refuse("on", FOLLOW_UP_BEFORE_HIRE)
    if len(note) > NOTE_MAX:
        _refuse("note", NOTE_TOO_LONG)
    before = snapshot(current)
    current.followed_up_on = on
    current.updated_at = timezone.now()
    save_with_version(current, expected_version=version, fields=["followed_up_on", "updated_at"])
    Step.objects.create(
        recommendation=current,
        action="follow_up",
        from_state=State.HIRED,
        to_state=State.HIRED,
        by=acting_user,
        side=Side.COUNSELLOR,
        note=note,
    )
    audit_change(
        actor=acting_user,
        action=Action.UPDATE,
        instance=current,
        before=before,
        request=request,
        note="follow_up",
    )
    _sync_worklist(current, today)
    return current


# --- the nightly job ---------------------------------------------------------------------


def _due(today: datetime.date) -> Q:
    return Q(state__in=WAITING_STATES, step_deadline__lt=today)


def _vacancy_gone() -> Q:
    # Filled or closed only: a suspended vacancy or one back in review may return, and a
    # withdrawal is final. Referring to it is refused meanwhile (see `_check_step`).
    return Q(state__in=OPEN_STATES, vacancy__status__in=VACANCY_FINAL_STATES)


def _not_seeking() -> Q:
    return Q(state__in=OPEN_STATES) & (
        ~Q(person__employment_status=EmploymentStatus.UNEMPLOYED) | Q(person__able_and_willing=False)
    )


def _each_locked(condition: Q, batch_size: int, handle, order_field: str = "pk") -> int:
    """Call `handle` on each recommendation matching `condition`, by `order_field` then id,
    in batches, each in its own transaction under a row lock. A row someone else holds is
    skipped (SKIP LOCKED) and left for the next run; one that no longer matches once
    locked is left alone."""
    done = 0
    last = None
    while True:
        candidates = Recommendation.objects.filter(condition)
        if last is not None:
            key, pk = last
            candidates = candidates.filter(
                Q(**{f"{order_field}__gt": key}) | Q(**{order_field: key, "pk__gt": pk})
            )
        batch = list(candidates.order_by(order_field, "pk").values_list(order_field, "pk")[:batch_size])
        if not batch:
            return done
        last = batch[-1]
        for _key, pk in batch:
            with transaction.atomic():
                row = _related(
                    _lock(Recommendation.objects.filter(condition, pk=pk), skip_locked=True)
                ).first()
                if row is None:
                    continue
                handle(row)
                done += 1


def expire_recommendations(*, today: datetime.date | None = None, batch_size: int = 200) -> int:
    """The nightly job. As the system (by None, side system):
    - a step past its deadline expires: shown → declined (no response from the seeker),
      referred or interview → no response from the employer;
    - open recommendations of a filled or closed vacancy are withdrawn (vacancy closed);
    - open recommendations of a person no longer unemployed, or no longer able and
      willing to work, are withdrawn (not seeking).
    Oldest deadline first, one transaction per recommendation. Running it again on the
    same day changes nothing. Returns how many recommendations changed."""
    today = today or timezone.localdate()
    now = timezone.now()
    actions = workflow.ACTIONS

    def expire(row: Recommendation) -> None:
        if row.state == State.SHOWN:
            action, reason = actions["expire_seeker"], DeclineReason.NO_RESPONSE
        else:
            action, reason = actions["expire_employer"], State.NO_RESPONSE.value
        _apply(
            action,
            recommendation=row,
            by=None,
            expected_version=row.version,
            reason=reason,
            today=today,
            now=now,
        )

    def withdraw_for(reason: str):
        def handle(row: Recommendation) -> None:
            _apply(
                actions["withdraw"],
                recommendation=row,
                by=None,
                side=Side.SYSTEM,
                expected_version=row.version,
                reason=reason,
                today=today,
                now=now,
            )

        return handle

    done = _each_locked(_due(today), batch_size, expire, order_field="step_deadline")
    done += _each_locked(_vacancy_gone(), batch_size, withdraw_for(WithdrawReason.VACANCY_CLOSED))
    done += _each_locked(_not_seeking(), batch_size, withdraw_for(WithdrawReason.NOT_SEEKING))
    return done


def recommendation_shown_by_push(
    *, person, vacancy_id: int, by=None, today: datetime.date | None = None
) -> bool:
    """A vacancy pushed to the person shows them its open "matched" recommendation (§5.3:
    matched and shown counts for 1:5). Called by notifications when the push is recorded."""
    today = today or timezone.localdate()
    row = (
        _lock(Recommendation.objects.filter(person=person, vacancy_id=vacancy_id, state=State.MATCHED))
        .order_by("pk")
        .first()
    )
    if row is None:
        return False
    _apply(
        workflow.ACTIONS["show"],
        recommendation=row,
        by=by,
        side=Side.COUNSELLOR if by is not None else Side.SYSTEM,
        expected_version=row.version,
        today=today,
        now=timezone.now(),
    )
    return True


# --- for the matching engine ---------------------------------------------------------------


def employer_responsiveness(employer_ids, *, since: datetime.datetime | None = None) -> dict:
    """{employer id: (answered, referred)} over recommendations referred to the employer
    (optionally since a time). Answered: the employer invited, rejected, hired or turned
    down, now or at an earlier step (a recommendation withdrawn after the interview still
    counts). Every asked-for id is in the result, with (0, 0) when nothing was referred."""
    ids = {int(pk) for pk in employer_ids}
    result = dict.fromkeys(ids, (0, 0))
    if not ids:
        return result
    employer_step = Step.objects.filter(recommendation=OuterRef("pk"), side=Side.EMPLOYER)
    referred = Recommendation.objects.filter(vacancy__employer_id__in=ids, referred_at__isnull=False)
    if since is not None:
        referred = referred.filter(referred_at__gte=since)
    rows = (
        referred.annotate(employer_acted=Exists(employer_step))
        .values("vacancy__employer_id")
        .annotate(
            referred=Count("pk"),
            answered=Count("pk", filter=Q(state__in=EMPLOYER_ANSWERED_STATES) | Q(employer_acted=True)),
        )
        .order_by()
    )
    for row in rows:
        result[row["vacancy__employer_id"]] = (row["answered"], row["referred"])
    return result
