"""Staff pages for recommendations: a seeker's recommendations as cards with the steps
allowed now, the list (filters, Excel export) and the overdue worklist."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import ConcurrentEdit, DomainError
from core.exports import EXPORT_MAX_ROWS, export_refused, xlsx_response
from core.views import filter_query, paginate, render_list
from matching import services as matching
from matching.explain import explanation
from matching.views import score_percent
from network.models import localized_name
from network.selectors import orgunit_choices
from people import selectors as people_selectors
from people.selectors import search_filter
from privacy.services import export_logged
from recommendations import selectors, services, workflow
from recommendations.forms import FOLLOW_UP, ActionForm, RecommendationFilterForm
from recommendations.models import (
    FINAL_STATES,
    WAITING_STATES,
    DeclineReason,
    Recommendation,
    RejectReason,
    State,
    WithdrawReason,
)
from recommendations.rules import ACT, PRINT_LETTER, VIEW

EXPORT_CAP = EXPORT_MAX_ROWS
MASKED_EXPORT_REASON = "recommendation list export (masked)"
CONTROL_PARAMS = ("page", "format")


def _filter_query(request) -> str:
    return filter_query(request, drop=CONTROL_PARAMS)


# --- the seeker's cards -------------------------------------------------------------------


@dataclass
class Choice:
    """One step the user may take now on one card, with what they typed last time."""

    name: str
    label: str
    reasons: list = field(default_factory=list)
    needs_date: bool = False
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    # Set when the service asked for a confirmation (a hire that changes the file).
    confirm_message: str = ""
    confirm_effects: list = field(default_factory=list)


@dataclass
class Kept:
    """A refused submission: which card and step, the input, and why."""

    pk: int
    action: str
    values: dict
    errors: list
    confirm_message: str = ""
    confirm_effects: list = field(default_factory=list)


def _reason_label(step) -> str:
    """A step's reason in words; a code no enum knows is not shown (it is data, not text)."""
    if not step.reason:
        return ""
    action = workflow.action_for(step.action)
    enums = [action.reason_choices] if action and action.reason_choices else []
    for enum in [*enums, DeclineReason, RejectReason, WithdrawReason, State]:
        if step.reason in enum.values:
            return str(enum(step.reason).label)
    return ""


def _step_label(step) -> str:
    if step.action == FOLLOW_UP:
        return _("Follow-up recorded")
    action = workflow.action_for(step.action)
    return str(action.label) if action else step.get_to_state_display()


def _factor_rows(rec: Recommendation) -> list[dict]:
    weights = settings.MATCHING["WEIGHTS"]
    rows = explanation(rec.facts, rec.factors)
    for row in rows:
        weight = weights.get(row["factor"]) or 1
        # The bar shows how far the factor is met (its contribution against its full weight).
        row["percent"] = max(0, min(100, round(100 * row["contribution"] / weight)))
    return rows


def _choices(user, rec: Recommendation, today, kept: Kept | None) -> list[Choice]:
    choices = []
    for action in selectors.allowed_actions(user=user, recommendation=rec):
        choice = Choice(
            name=action.name,
            label=str(action.label),
            reasons=workflow.reason_choices(action),
            needs_date=action.needs_date,
            values={"on": today.isoformat()} if action.needs_date else {},
        )
        if kept and kept.pk == rec.pk and kept.action == action.name:
            choice.values = kept.values
            choice.errors = kept.errors
            choice.confirm_message = kept.confirm_message
            choice.confirm_effects = kept.confirm_effects
        choices.append(choice)
    if rec.state == State.HIRED and rec.followed_up_on is None and user.has_perm(ACT):
        choice = Choice(name=FOLLOW_UP, label=_("Record the follow-up"), needs_date=True)
        choice.values = {"on": today.isoformat()}
        if kept and kept.pk == rec.pk and kept.action == FOLLOW_UP:
            choice.values, choice.errors = kept.values, kept.errors
        choices.append(choice)
    return choices


def _card(user, rec: Recommendation, today, kept: Kept | None) -> dict:
    steps = list(selectors.steps(rec))
    for step in steps:
        step.label = _step_label(step)
        step.reason_label = _reason_label(step)
    choices = _choices(user, rec, today, kept)
    # A refusal of a step the card no longer offers (the state moved on) shows on the card itself.
    stray = kept and kept.pk == rec.pk and all(c.name != kept.action for c in choices)
    return {
        "rec": rec,
        "errors": kept.errors if stray else [],
        "title": rec.vacancy.title,
        "employer": localized_name(rec.vacancy.employer),
        "score_percent": score_percent(rec.score),
        "factors": _factor_rows(rec),
        "steps": steps,
        "choices": choices,
        "overdue": bool(rec.state in WAITING_STATES and rec.step_deadline and rec.step_deadline < today),
        "letter": bool(rec.referred_at and user.has_perm(PRINT_LETTER)),
        "closing_reason": _closing_reason(rec),
    }


def _closing_reason(rec: Recommendation) -> str:
    for name in ("decline_reason", "reject_reason", "withdraw_reason"):
        if getattr(rec, name):
            return getattr(rec, f"get_{name}_display")()
    return ""


def _shortfall(user, person):
    """The seeker's feasible vacancies against the monthly target (None without the right)."""
    if not user.has_perm(matching.VIEW):
        return None
    try:
        return matching.recommend_for_person(user=user, person=person, limit=matching.target_per_month())
    except DomainError:
        return None


def _person_page(request, person, *, kept: Kept | None = None, status: int = 200):
    today = timezone.localdate()
    recs = list(
        selectors.recommendation_list(user=request.user, person=person).select_related(
            "vacancy__employer", "vacancy__work_unit", "vacancy__occupation"
        )
    )
    open_recs = sorted((r for r in recs if r.state not in FINAL_STATES), key=lambda r: (-r.score, r.pk))
    closed = sorted(
        (r for r in recs if r.state in FINAL_STATES), key=lambda r: r.closed_at or r.matched_at, reverse=True
    )
    return render(
        request,
        "recommendations/person_recommendations.html",
        {
            "person": person,
            "open_cards": [_card(request.user, r, today, kept) for r in open_recs],
            "closed_cards": [_card(request.user, r, today, kept) for r in closed],
            "matches": _shortfall(request.user, person),
            "closed_expanded": request.GET.get("closed") == "1"
            or bool(kept and any(r.pk == kept.pk for r in closed)),
            "can_match": request.user.has_perm(matching.RUN),
            "today": today,
        },
        status=status,
    )


@permission_required(VIEW, raise_exception=True)
def person_recommendations(request, pk):
    person = people_selectors.person_get(user=request.user, pk=pk)
    return _person_page(request, person)


@require_POST
@permission_required(matching.RUN, raise_exception=True)
def person_match(request, pk):
    person = people_selectors.person_get(user=request.user, pk=pk)
    try:
        run = matching.match_person(acting_user=request.user, person=person, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if run.created:
            messages.success(
                request,
                ngettext(
                    "%(count)d new recommendation added.", "%(count)d new recommendations added.", run.created
                )
                % {"count": run.created},
            )
        else:
            messages.warning(request, _("No new recommendation was found."))
    return redirect("recommendations:person", pk=person.pk)


def card_url(rec) -> str:
    # A closed card sits in the collapsed section; the page opens it when asked to.
    expand = "?closed=1" if rec.state in FINAL_STATES else ""
    return f"{reverse('recommendations:person', args=[rec.person_id])}{expand}#rec-{rec.pk}"


@permission_required(VIEW, raise_exception=True)
def recommendation_card(request, pk):
    """A recommendation's own address: its card on the seeker's page."""
    return redirect(card_url(selectors.recommendation_get(user=request.user, pk=pk)))


def _form_values(request) -> dict:
    return {name: request.POST.get(name, "")[:500] for name in ("reason", "on", "note", "confirm")}


@require_POST
@permission_required(VIEW, raise_exception=True)
def recommendation_act(request, pk):
    rec = selectors.recommendation_get(user=request.user, pk=pk)
    form = ActionForm(request.POST)
    action = request.POST.get("action", "")[:20]
    values = _form_values(request)
    if not form.is_valid():
        errors = [e for errors in form.errors.values() for e in errors]
        return _refused(request, rec, Kept(rec.pk, action, values, errors), status=400)
    data = form.values()
    try:
        if data["action"] == FOLLOW_UP:
            services.recommendation_record_follow_up(
                acting_user=request.user,
                recommendation=rec,
                version=data["version"],
                on=data["on"],
                note=data["note"],
                request=request,
            )
        else:
            services.recommendation_act(
                acting_user=request.user,
                recommendation=rec,
                action=data["action"],
                version=data["version"],
                reason=data["reason"],
                note=data["note"],
                on=data["on"],
                confirm=data["confirm"],
                request=request,
            )
    except ConcurrentEdit as exc:
        # The card is shown as it is now, with the user's input kept for a second try.
        messages.error(request, exc.message)
        return _refused(request, rec, Kept(rec.pk, action, values, []), status=409)
    except DomainError as exc:
        if exc.code == "confirmation_required":
            kept = Kept(
                rec.pk,
                action,
                values,
                [],
                confirm_message=str(services.CONFIRM_HIRE),
                confirm_effects=[str(e) for e in exc.errors.get("confirm", [])],
            )
            return _refused(request, rec, kept, status=400)
        errors = [str(m) for messages_ in exc.errors.values() for m in messages_] or [str(exc.message)]
        return _refused(request, rec, Kept(rec.pk, action, values, errors), status=exc.status)
    label = _("Follow-up recorded") if data["action"] == FOLLOW_UP else workflow.ACTIONS[data["action"]].label
    messages.success(request, _("Done: %(action)s.") % {"action": label})
    rec.refresh_from_db(fields=["state"])
    return redirect(card_url(rec))


def _refused(request, rec, kept: Kept, *, status: int):
    person = people_selectors.person_get(user=request.user, pk=rec.person_id)
    return _person_page(request, person, kept=kept, status=status)


# --- the list and its export ----------------------------------------------------------------


def _listed(request, form: RecommendationFilterForm):
    filters = form.filters()
    recs = selectors.recommendation_list(
        user=request.user, state=filters["state"] or None, unit_code=filters["unit_code"]
    ).select_related("person__unit", "vacancy__employer")
    if filters["origin"]:
        recs = recs.filter(origin=filters["origin"])
    if filters["month"]:
        start = filters["month"]
        end = (start + datetime.timedelta(days=32)).replace(day=1)
        recs = recs.filter(matched_at__date__gte=start, matched_at__date__lt=end)
    if filters["q"]:
        # The register's one-box search (name, pinyin, Wylie, ID or masked ID, phone), on the person.
        matching_people = people_selectors.person_list(user=request.user).filter(search_filter(filters["q"]))
        recs = recs.filter(Q(person__in=matching_people.values("pk")))
    return recs


@permission_required(VIEW, raise_exception=True)
def recommendation_list(request):
    form = RecommendationFilterForm(request.GET or None, units=orgunit_choices(user=request.user))
    recs = _listed(request, form)
    if request.GET.get("format") == "xlsx":
        return _export(request, recs, filters_valid=not form.errors)
    page = paginate(request, recs)
    _name_employers(page)
    return render_list(
        request,
        "recommendations/recommendation_list.html",
        "recommendations/_recommendation_results.html",
        {"form": form, "page": page, "query": _filter_query(request)},
    )


def _name_employers(recs) -> None:
    for rec in recs:
        rec.employer_name = localized_name(rec.vacancy.employer)


def _local(moment):
    # Excel cannot hold time zones: write local wall-clock time.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _export(request, recs, *, filters_valid: bool):
    back = f"{reverse('recommendations:list')}?{_filter_query(request)}"
    count = recs.count()
    if export_refused(request, count=count, filters_valid=filters_valid, cap=EXPORT_CAP):
        return redirect(back)
    # The encrypted columns are not even read: the export is masked.
    recs = recs.defer("person__id_number", "person__phone", "person__disability_details")
    export_logged(
        request,
        subject_type="recommendation",
        count=count,
        fields=["name_zh", "name_bo", "id_number_masked", "unit", "vacancy", "state"],
        reason=MASKED_EXPORT_REASON,
        query=_filter_query(request),
        note=f"recommendations.xlsx {count} rows {_filter_query(request)}",
    )
    return xlsx_response(
        filename="recommendations.xlsx",
        headers=[
            _("id"),
            _("Chinese name"),
            _("Tibetan name"),
            _("resident ID number"),
            _("unit code"),
            _("vacancy"),
            _("employer"),
            _("score"),
            _("state"),
            _("origin"),
            _("matched"),
            _("answer due"),
            _("hired on"),
        ],
        rows=(
            [
                r.pk,
                r.person.name_zh,
                r.person.name_bo,
                r.person.id_number_masked,
                r.person.unit.code,
                r.vacancy.title_zh,
                r.vacancy.employer.name_zh,
                round(r.score, 3),
                r.get_state_display(),
                r.get_origin_display(),
                _local(r.matched_at),
                r.step_deadline,
                r.hired_on,
            ]
            for r in recs.order_by("person__unit__path", "id").iterator(chunk_size=2000)
        ),
    )


# --- the worklist ----------------------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
def overdue(request):
    today = timezone.localdate()
    related = ("person__unit", "vacancy__employer")
    late = list(selectors.overdue(user=request.user, today=today).select_related(*related))
    for rec in late:
        rec.days_late = (today - rec.step_deadline).days if rec.step_deadline else None
    follow_ups = list(selectors.follow_ups_due(user=request.user, today=today).select_related(*related))
    _name_employers(late + follow_ups)
    return render(
        request,
        "recommendations/overdue.html",
        {"late": late, "follow_ups": follow_ups, "today": today},
    )
