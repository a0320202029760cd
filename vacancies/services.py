"""Writes to vacancies: enter, edit, move through the lifecycle, and the validity job (§5.3).

Editing policy: a draft or a vacancy under review is edited in place. Editing a
vacancy that already passed review (published or suspended) sends it back to review
(action "revise"), so what the public sees is always what a reviewer approved.
Filled and closed vacancies are final.

Every status change goes through `_apply`: it checks the declared transition
(vacancies.workflow), writes the vacancy with a version check, one `Transition` row
(by=None when the system acts) and one audit entry, all in one transaction.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import audit_change, snapshot
from core.concurrency import save_with_version
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed, errors_from_django
from core.scope import unit_in_scope
from employers.models import EmployerAccount
from occupations.models import OccupationLevel
from textsearch import segment_document
from vacancies import vetting, workflow
from vacancies.models import Status, Transition, Vacancy

logger = logging.getLogger(__name__)

OUTSIDE_SCOPE = _("Choose a unit inside your own area.")
EMPLOYER_OUTSIDE_SCOPE = _("Choose an employer in your own area.")
NOT_A_LEAF = _("Choose an occupation (the most detailed level of the classification).")
SALARY_RANGE = _("The highest pay cannot be lower than the lowest pay.")
AGE_RANGE = _("The maximum age cannot be lower than the minimum age.")
HEADCOUNT = _("Give a headcount of 1 or more.")
NOT_EDITABLE = _("A filled or closed vacancy can no longer be changed.")
UNKNOWN_ACTION = _("Not one of the allowed actions.")
NOT_FROM_STATUS = _("This cannot be done while the vacancy is “%(status)s”.")
NOTE_REQUIRED = _("Give a note saying why.")
NOTE_TOO_LONG = _("Keep the note under 300 characters.")
OWN_VACANCY = _("Someone other than the person who entered or submitted this vacancy must review it.")
# Stored in the transition log (data, not interface text); pages show their own label.
SYSTEM_SUSPEND_NOTE = "not reconfirmed within {days} days"
REVISE_NOTE = "changed after review"

VACANCY_FIELDS = [
    "employer",
    "title_zh",
    "title_bo",
    "occupation",
    "description",
    "headcount",
    "salary_min",
    "salary_max",
    "pay_period",
    "unit",
    "work_unit",
    "work_type",
    "education_min",
    "age_min",
    "age_max",
    "age_reason",
    "tibetan_required",
    "chinese_required",
    "skills",
    "certificates",
    "experience_years_min",
    "physical_requirements",
    "other_requirements",
    "accommodation",
    "meals",
    "social_insurance",
    "source",
    "channel",
    "external_id",
]


def vacancy_refresh_search_text(vacancy: Vacancy) -> None:
    """Store the segmented words of titles, description, skills, employer and occupation."""
    employer = vacancy.employer
    occupation = vacancy.occupation
    vacancy.search_text = segment_document(
        vacancy.title_zh,
        vacancy.title_bo,
        vacancy.description,
        vacancy.skills,
        employer.name_zh,
        employer.name_bo,
        occupation.name_zh,
        occupation.name_bo,
    )
    Vacancy.objects.filter(pk=vacancy.pk).update(search_text=vacancy.search_text)


def vacancies_refresh_for_occupations(occupation_ids) -> int:
    """After occupation names change: the vacancies filed under them are found by the new
    names (Tibetan ones included). Returns how many were refreshed."""
    vacancies = Vacancy.objects.filter(occupation_id__in=list(occupation_ids)).select_related(
        "employer", "occupation"
    )
    count = 0
    for vacancy in vacancies.iterator(chunk_size=500):
        vacancy_refresh_search_text(vacancy)
        count += 1
    return count


def _check(acting_user, vacancy: Vacancy, changed: set[str]) -> None:
    """What the form cannot know: the caller's area, the classification level, the ranges."""
    errors: dict[str, list[str]] = {}
    if "unit" in changed and not unit_in_scope(acting_user, vacancy.unit):
        errors["unit"] = [str(OUTSIDE_SCOPE)]
    if "employer" in changed and not unit_in_scope(acting_user, vacancy.employer.unit):
        errors["employer"] = [str(EMPLOYER_OUTSIDE_SCOPE)]
    if "occupation" in changed and vacancy.occupation.level != OccupationLevel.OCCUPATION:
        errors["occupation"] = [str(NOT_A_LEAF)]
    if vacancy.salary_min is not None and vacancy.salary_max is not None:
        if vacancy.salary_max < vacancy.salary_min:
            errors["salary_max"] = [str(SALARY_RANGE)]
    if vacancy.age_min is not None and vacancy.age_max is not None and vacancy.age_max < vacancy.age_min:
        errors["age_max"] = [str(AGE_RANGE)]
    if vacancy.headcount is not None and vacancy.headcount < 1:
        errors["headcount"] = [str(HEADCOUNT)]
    if errors:
        raise ValidationFailed(errors=errors)
    try:
        vacancy.full_clean(exclude=["search_text"])
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc


@transaction.atomic
def vacancy_create(*, acting_user, values: dict, request=None) -> Vacancy:
    """A new vacancy, always a draft; `unit` (the holding station) defaults to the user's own."""
    if not acting_user.has_perm(workflow.MANAGE):
        raise NotAllowed()
    unknown = set(values) - set(VACANCY_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    vacancy = Vacancy(**values)
    if vacancy.unit_id is None:
        vacancy.unit = acting_user.unit
    vacancy.external_id = vacancy.external_id or None
    vacancy.status = Status.DRAFT
    vacancy.created_by = acting_user
    _check(acting_user, vacancy, set(VACANCY_FIELDS))
    vacancy.save()
    vacancy_refresh_search_text(vacancy)
    audit_change(actor=acting_user, action=Action.CREATE, instance=vacancy, request=request)
    return vacancy


@transaction.atomic
def vacancy_update(
    *, acting_user, vacancy: Vacancy, expected_version: int, changes: dict, request=None, now=None
) -> Vacancy:
    """Change the fields given. A reviewed vacancy goes back to review (see the module note)."""
    if not acting_user.has_perm(workflow.MANAGE) or not unit_in_scope(acting_user, vacancy.unit):
        raise NotAllowed()
    unknown = set(changes) - set(VACANCY_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if vacancy.status not in workflow.EDITABLE_STATES:
        raise ValidationFailed(errors={"__all__": [str(NOT_EDITABLE)]})
    now = now or timezone.now()
    before = snapshot(vacancy)
    for name, value in changes.items():
        setattr(vacancy, name, value)
    if "external_id" in changes:
        vacancy.external_id = vacancy.external_id or None
    changed = {name for name in changes if before.get(name) != snapshot(vacancy).get(name)}
    if not changed:
        if vacancy.version != expected_version:
            raise ConcurrentEdit()
        return vacancy
    _check(acting_user, vacancy, changed)
    fields = sorted(changed) + ["updated_at"]
    vacancy.updated_at = now
    revise = vacancy.status in workflow.REVIEWED_STATES
    previous = vacancy.status
    if revise:
        vacancy.status = Status.UNDER_REVIEW
        fields += ["status"]
    if revise or vacancy.status == Status.UNDER_REVIEW:
        vacancy.submitted_by = acting_user
        fields += ["submitted_by"]
    save_with_version(vacancy, expected_version=expected_version, fields=fields)
    if revise:
        Transition.objects.create(
            vacancy=vacancy, from_status=previous, to_status=vacancy.status, by=acting_user, note=REVISE_NOTE
        )
    vacancy_refresh_search_text(vacancy)
    audit_change(actor=acting_user, action=Action.UPDATE, instance=vacancy, before=before, request=request)
    return vacancy


def _notify(user, message: str, context: dict) -> None:
    # Imported here: notifications sits above vacancies in the import graph.
    from notifications.services import notify_user

    notify_user(user=user, message=message, context=context)


def _refuse_own(vacancy: Vacancy, user) -> None:
    if user.pk in {vacancy.created_by_id, vacancy.submitted_by_id}:
        raise NotAllowed(OWN_VACANCY, code="own_vacancy")


def _refuse_problems(vacancy: Vacancy) -> None:
    errors = vetting.blocking_errors(vetting.vet(vacancy))
    if errors:
        raise ValidationFailed(errors=errors, code="vetting_failed")


def _apply(
    action: workflow.Action,
    *,
    vacancy: Vacancy,
    by,
    expected_version: int,
    note: str,
    now: datetime.datetime,
    request=None,
) -> Vacancy:
    """One declared transition: checks, the write with a version check, the log row, the audit entry."""
    if by is None and not action.system:
        raise ValueError(f"The system cannot take the action {action.name!r}.")
    note = (note or "").strip()
    if not workflow.can_start(action, vacancy.status):
        raise ValidationFailed(
            errors={"action": [str(NOT_FROM_STATUS % {"status": vacancy.get_status_display()})]},
            code="invalid_transition",
        )
    if action.note_required and not note:
        raise ValidationFailed(errors={"note": [str(NOTE_REQUIRED)]})
    if len(note) > 300:
        raise ValidationFailed(errors={"note": [str(NOTE_TOO_LONG)]})
    if action.name == "approve":
        _refuse_own(vacancy, by)
        _refuse_problems(vacancy)
    if action.name == "reconfirm" and vacancy.status == Status.SUSPENDED:
        _refuse_problems(vacancy)

    before = snapshot(vacancy)
    previous = vacancy.status
    values: dict = {"status": action.target, "updated_at": now}
    if action.name == "approve":
        values.update(published_at=now, reviewed_by=by, reconfirmed_at=now, review_note=note)
    elif action.name == "reject":
        values.update(reviewed_by=by, review_note=note)
    elif action.name == "reconfirm":
        values.update(reconfirmed_at=now)
    elif action.name in ("submit", "revise"):
        values.update(submitted_by=by)
    for name, value in values.items():
        setattr(vacancy, name, value)
    save_with_version(vacancy, expected_version=expected_version, fields=list(values))
    Transition.objects.create(
        vacancy=vacancy, from_status=previous, to_status=action.target, by=by, note=note
    )
    audit_change(
        actor=by, action=Action.UPDATE, instance=vacancy, before=before, request=request, note=action.name
    )
    return vacancy


@transaction.atomic
def vacancy_transition(
    *,
    acting_user,
    vacancy: Vacancy,
    action: str,
    expected_version: int,
    note: str = "",
    request=None,
    now: datetime.datetime | None = None,
) -> Vacancy:
    """Take one of the actions a person may ask for (workflow.PUBLIC_ACTIONS)."""
    declared = workflow.action_for(action)
    if declared is None or declared.internal:
        raise ValidationFailed(errors={"action": [str(UNKNOWN_ACTION)]})
    if not acting_user.has_perm(declared.permission) or not unit_in_scope(acting_user, vacancy.unit):
        raise NotAllowed()
    vacancy = _apply(
        declared,
        vacancy=vacancy,
        by=acting_user,
        expected_version=expected_version,
        note=note,
        now=now or timezone.now(),
        request=request,
    )
    if declared.name in ("approve", "reject") and vacancy.created_by_id:
        _notify(
            vacancy.created_by,
            "vacancy_review_result",
            {"vacancy": vacancy, "approved": declared.name == "approve", "note": vacancy.review_note},
        )
    return vacancy


def stale_filter(now: datetime.datetime) -> Q:
    """Published and not reconfirmed (or, for old rows without that date, published) in time.

    §5.3.3 counts calendar days, so this is a timedelta, not the working-day calendar.
    The clock is the stored `reconfirmed_at`: an edit does not restart it, a reconfirmation does.
    """
    cutoff = now - datetime.timedelta(days=settings.STANDARD["VACANCY_RECONFIRM_DAYS"])
    return Q(status=Status.PUBLISHED) & (
        Q(reconfirmed_at__lt=cutoff) | Q(reconfirmed_at__isnull=True, published_at__lt=cutoff)
    )


def _lock(queryset):
    features = connection.features
    if not features.has_select_for_update:
        return queryset  # SQLite: IMMEDIATE transactions already serialise writers
    # Lock only the vacancy row: related rows joined for reading (a nullable creator is an
    # outer join) cannot be locked on PostgreSQL.
    of = ("self",) if features.has_select_for_update_of else ()
    return queryset.select_for_update(skip_locked=features.has_select_for_update_skip_locked, of=of)


def _people_to_tell(vacancy: Vacancy) -> list:
    accounts = EmployerAccount.objects.filter(employer_id=vacancy.employer_id, user__is_active=True)
    users = {account.user_id: account.user for account in accounts.select_related("user")}
    if vacancy.created_by_id and vacancy.created_by.is_active:
        users.setdefault(vacancy.created_by_id, vacancy.created_by)
    return list(users.values())


def suspend_stale_vacancies(*, now: datetime.datetime | None = None, batch_size: int = 200) -> int:
    """The validity job (§5.3.3): suspend, as the system, every vacancy not reconfirmed in time.

    Oldest first, in batches; each vacancy in its own transaction, locked with SKIP LOCKED
    where the database has it, so a vacancy being reconfirmed right now is left for the
    next run instead of waiting. Running it again suspends nothing new.
    """
    now = now or timezone.now()
    days = settings.STANDARD["VACANCY_RECONFIRM_DAYS"]
    suspend = workflow.ACTIONS["suspend"]
    done = 0
    last_id = 0
    while True:
        ids = list(
            Vacancy.objects.filter(stale_filter(now), pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return done
        last_id = ids[-1]
        for pk in ids:
            with transaction.atomic():
                vacancy = (
                    _lock(Vacancy.objects.filter(stale_filter(now), pk=pk))
                    .select_related("created_by", "employer")
                    .first()
                )
                if vacancy is None:  # reconfirmed meanwhile, or locked by someone else
                    continue
                _apply(
                    suspend,
                    vacancy=vacancy,
                    by=None,
                    expected_version=vacancy.version,
                    note=SYSTEM_SUSPEND_NOTE.format(days=days),
                    now=now,
                )
                for user in _people_to_tell(vacancy):
                    _notify(user, "vacancy_suspended", {"vacancy": vacancy})
                done += 1
