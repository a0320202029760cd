"""Households: create, edit, members, and zero-employment recognition and clearance."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import audit_change, snapshot
from core.concurrency import save_with_version
from core.errors import NotAllowed, ValidationFailed, errors_from_django
from core.scope import unit_in_scope
from households.models import ClearReason, Household, ZeroEmploymentEpisode
from households.rules import MemberFacts, is_zero_employment, quarter_end
from people.choices import WORKING_STATUSES

OUTSIDE_SCOPE = _("Choose a unit inside your own area.")
HOUSEHOLD_FIELDS = ["unit", "address", "has_business_income", "allowance_status", "land_lost", "relocated"]


def _clean(instance):
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc


def household_recompute(*, household: Household, today: datetime.date, actor=None) -> str | None:
    """Recognise or clear zero-employment after any change to the household or a member.

    Returns "recognised", "cleared" or None. Members' derived key groups follow.
    """
    from keygroups.services import active_categories, memberships_derive

    household = Household.objects.select_for_update().get(pk=household.pk)
    members = list(household.members.all())
    facts = [MemberFacts(m.birth_date, m.sex, m.employment_status, m.able_and_willing) for m in members]
    zero = is_zero_employment(facts, has_business_income=household.has_business_income, today=today)
    episode = household.episodes.filter(cleared_on__isnull=True).first()
    outcome = None
    if zero and episode is None:
        episode = ZeroEmploymentEpisode.objects.create(
            household=household, recognised_on=today, clearance_due=quarter_end(today)
        )
        household.zero_employment = True
        household.recognised_on, household.clearance_due, household.cleared_on = (
            today,
            episode.clearance_due,
            None,
        )
        outcome = "recognised"
    elif not zero and episode is not None:
        employed = any(m.employment_status in WORKING_STATUSES for m in members)
        episode.cleared_on = today
        episode.clear_reason = ClearReason.EMPLOYED if employed else ClearReason.NO_LONGER_ELIGIBLE
        episode.cleared_by = actor if getattr(actor, "pk", None) else None
        episode.save()
        household.zero_employment = False
        household.cleared_on = today
        outcome = "cleared"
    if outcome:
        Household.objects.filter(pk=household.pk).update(
            zero_employment=household.zero_employment,
            recognised_on=household.recognised_on,
            clearance_due=household.clearance_due,
            cleared_on=household.cleared_on,
        )
        categories = active_categories()
        for member in household.members.select_related("household"):
            memberships_derive(person=member, today=today, categories=categories)
        from worklist.sync import sync_household  # the worklist sits above households

        sync_household(household, today=today)
    return outcome


@transaction.atomic
def household_create(*, acting_user, unit, request=None, **values) -> Household:
    if not acting_user.has_perm("people.manage_person"):
        raise NotAllowed()
    if not unit_in_scope(acting_user, unit):
        raise ValidationFailed(errors={"unit": [str(OUTSIDE_SCOPE)]})
    household = Household(unit=unit, **{k: v for k, v in values.items() if k in HOUSEHOLD_FIELDS})
    _clean(household)
    household.save()
    audit_change(actor=acting_user, action=Action.CREATE, instance=household, request=request)
    return household


@transaction.atomic
def household_update(*, acting_user, household: Household, expected_version: int, request=None, **changes):
    if not acting_user.has_perm("people.manage_person"):
        raise NotAllowed()
    before = snapshot(household)
    for name, value in changes.items():
        if name not in HOUSEHOLD_FIELDS:
            raise ValueError(f"Not editable: {name}")
        setattr(household, name, value)
    if not unit_in_scope(acting_user, household.unit):
        raise ValidationFailed(errors={"unit": [str(OUTSIDE_SCOPE)]})
    _clean(household)
    save_with_version(household, expected_version=expected_version, fields=list(changes))
    household_recompute(household=household, today=timezone.localdate(), actor=acting_user)
    household.refresh_from_db()
    audit_change(actor=acting_user, action=Action.UPDATE, instance=household, before=before, request=request)
    return household


def households_refresh_all(*, today: datetime.date, batch_size: int = 500) -> dict:
    """Recompute every household, for the nightly job.

    Nothing is edited when a member turns 16 or reaches retirement age, yet the
    outcome can change; each batch commits on its own so one run does not hold a
    long write lock.
    """
    totals = {"checked": 0, "recognised": 0, "cleared": 0}
    ids = list(Household.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            for pk in ids[start : start + batch_size]:
                outcome = household_recompute(household=Household(pk=pk), today=today)
                totals["checked"] += 1
                if outcome:
                    totals[outcome] += 1
    return totals
