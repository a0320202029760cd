"""The employment plan to sign (§6.1 step 4), Chinese and Tibetan side by side.

Every label is printed in both languages whatever the user's: the person reads one, the
file keeps both. Each print is written to the personal-data access log.
"""

from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from core.errors import NotAllowed
from core.pdf import in_script, render_pdf
from core.scope import unit_in_scope
from guidance.models import EmploymentPlan, PlanState
from guidance.rules import PRINT_PLAN
from privacy.models import AccessKind
from privacy.services import access_log

# Stored in the personal-data access log (data, not interface text).
ACCESS_REASON = "employment plan {pk} (version {number})"
PLAN_FIELDS = ["name_zh", "name_bo", "id_number_masked"]
SCRIPTS = (("zh", "zh-hans"), ("bo", "bo"))

LABELS = {
    "title": _("Employment plan"),
    "number": _("Version %(number)s"),
    "draft": _("Draft, not yet agreed"),
    "person": _("person"),
    "id_number": _("resident ID number"),
    "counsellor": _("Counsellor"),
    "station": _("Employment service station"),
    "valid": _("Valid"),
    "valid_range": _("%(start)s to %(end)s"),
    "rhythm": _("Reviews"),
    "rhythm_text": _("Every %(days)s days; the first review is due %(date)s."),
    "rhythm_plain": _("Every %(days)s days after the agreement."),
    "goals": _("goals"),
    "actions": _("Actions"),
    "action": _("action"),
    "due": _("due"),
    "service": _("service"),
    "done": _("done"),
    "agreement": _(
        "I have discussed this plan with my counsellor, agree with it "
        "and will take part in the actions above."
    ),
    "person_signature": _("Signature of the person"),
    "counsellor_signature": _("Signature of the counsellor"),
    "date": _("Date"),
    "stamp": _("Stamp of the station"),
}


def _in_both(message, **values) -> dict[str, str]:
    texts = {}
    for script, language in SCRIPTS:
        with translation.override(language):
            text = str(message)
            texts[script] = text % values if values else text
    return texts


def _date(day) -> str:
    return formats.date_format(day, "Y-m-d") if day else ""


def plan_context(plan: EmploymentPlan) -> dict:
    case = plan.case
    person = case.person
    station = person.unit
    labels = {key: _in_both(message) for key, message in LABELS.items()}
    labels["number"] = _in_both(LABELS["number"], number=plan.number)
    labels["valid_range"] = _in_both(
        LABELS["valid_range"], start=_date(plan.valid_from), end=_date(plan.valid_until)
    )
    if plan.next_review_due:
        labels["rhythm_text"] = _in_both(
            LABELS["rhythm_text"], days=plan.review_every_days, date=_date(plan.next_review_due)
        )
    else:
        labels["rhythm_text"] = _in_both(LABELS["rhythm_plain"], days=plan.review_every_days)
    actions = [
        {
            "description": action.description,
            "due": _date(action.due_on),
            "done": _date(action.done_on),
            "service": (
                {script: in_script(script, action.service_type, "name") for script, _lang in SCRIPTS}
                if action.service_type_id
                else None
            ),
        }
        for action in plan.actions.all()
    ]
    return {
        "plan": plan,
        "labels": labels,
        "draft": plan.state == PlanState.DRAFT,
        "person": person,
        "counsellor": case.counsellor,
        "station": {script: in_script(script, station, "name") for script, _lang in SCRIPTS},
        "actions": actions,
        "agreed_on": _date(plan.agreed_on),
        "printed_on": _date(timezone.localdate()),
    }


def plan_pdf(*, plan: EmploymentPlan, acting_user, request=None) -> bytes:
    """The plan as PDF bytes (a draft is marked as such); each print is logged."""
    person = plan.case.person
    if not acting_user.has_perm(PRINT_PLAN) or not unit_in_scope(acting_user, person.unit):
        raise NotAllowed()
    pdf = render_pdf("guidance/plan_pdf.html", plan_context(plan))
    access_log(
        user=acting_user,
        kind=AccessKind.PRINT,
        subject_type="person",
        subject_id=str(person.pk),
        fields=PLAN_FIELDS,
        reason=ACCESS_REASON.format(pk=plan.pk, number=plan.number),
        request=request,
    )
    return pdf
