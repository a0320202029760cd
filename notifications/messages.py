"""Message kinds as data: a translatable subject and a body template for each.

A kind turns the caller's context (a vacancy, a course, …) into plain values in the
active language; `render` switches to the recipient's language first, so the same
kind comes out in Chinese or Tibetan from the same catalogue. Bodies live in
templates/notifications/<kind>.txt and use {% translate %}/{% blocktranslate %}.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from network.models import localized_name
from vacancies.models import localized_title

LANGUAGES = ("zh-hans", "bo", "en")


@dataclass(frozen=True)
class Rendered:
    language: str
    subject: str
    body: str
    link: str = ""


@dataclass(frozen=True)
class MessageKind:
    code: str
    # Named placeholders (%(title)s) filled from the values `build` returns.
    subject: object
    build: Callable[[dict], dict]

    @property
    def template(self) -> str:
        return f"notifications/{self.code}.txt"


def public_url(name: str, pk: int, fallback: str) -> str:
    """Absolute when NOTIFY_SITE_URL is set: a text message needs the whole address."""
    try:
        path = reverse(name, args=[pk])
    except NoReverseMatch:
        path = fallback
    return f"{settings.NOTIFY_SITE_URL}{path}"


def vacancy_url(vacancy) -> str:
    return public_url("jobboard:vacancy_detail", vacancy.pk, f"/jobs/{vacancy.pk}/")


def course_url(course) -> str:
    return public_url("jobboard:course_detail", course.pk, f"/jobs/courses/{course.pk}/")


def _vacancy_values(context: dict) -> dict:
    vacancy = context["vacancy"]
    return {
        "title": localized_title(vacancy),
        "employer": localized_name(vacancy.employer),
        "salary_min": vacancy.salary_min,
        "salary_max": vacancy.salary_max,
        "pay_period": vacancy.get_pay_period_display(),
        "place": vacancy.work_unit.name,
        "headcount": vacancy.headcount,
        "url": vacancy_url(vacancy),
    }


def _course_values(context: dict) -> dict:
    course = context["course"]
    return {
        "title": localized_title(course),
        "provider": localized_name(course.provider),
        "starts_on": course.starts_on,
        "ends_on": course.ends_on,
        "place": course.place,
        "subsidy": course.subsidy,
        "course_language": course.get_language_display(),
        "url": course_url(course),
    }


def _policy_values(context: dict) -> dict:
    policy = context["policy"]
    use_bo = (translation.get_language() or "").startswith("bo") and policy.summary_bo
    return {"title": localized_title(policy), "summary": policy.summary_bo if use_bo else policy.summary_zh}


def _suspended_values(context: dict) -> dict:
    return {
        **_vacancy_values(context),
        "days": settings.STANDARD["VACANCY_RECONFIRM_DAYS"],
    }


def _review_values(context: dict) -> dict:
    return {
        **_vacancy_values(context),
        "approved": bool(context.get("approved")),
        "note": context.get("note", ""),
    }


def _site_path(name: str, *args) -> str:
    try:
        return f"{settings.NOTIFY_SITE_URL}{reverse(name, args=args)}"
    except NoReverseMatch:
        return ""


def _work_lines(context: dict) -> dict:
    """Work items (worklist.WorkItem) as plain lines in the active language."""
    today = context["today"]
    lines = [
        {
            "kind": item.get_kind_display(),
            "who": item.person.display_name if item.person_id else item.unit.name,
            "masked_id": item.person.id_number_masked if item.person_id else "",
            "due": item.due_on,
            "late": (today - item.due_on).days,
            "assignee": item.assignee.display_name if item.assignee_id else "",
        }
        for item in context["items"]
    ]
    return {"count": len(lines), "lines": lines}


def _work_reminder_values(context: dict) -> dict:
    return {**_work_lines(context), "url": _site_path("worklist:my_work")}


def _work_escalated_values(context: dict) -> dict:
    return {
        **_work_lines(context),
        "days": settings.CASE_MANAGEMENT["ESCALATE_AFTER_DAYS"],
        "url": _site_path("worklist:unit"),
    }


def _transfer_values(context: dict) -> dict:
    transfer = context["transfer"]
    person = transfer.person
    return {
        "name": person.display_name,
        "masked_id": person.id_number_masked,
        "from_unit": transfer.from_unit.name,
        "to_unit": transfer.to_unit.name,
        "by": transfer.by.display_name if transfer.by_id else "",
        "reason": transfer.reason,
        "items": context.get("items_moved", 0),
        "url": _site_path("people:person_detail", person.pk),
    }


KINDS = {
    kind.code: kind
    for kind in (
        MessageKind("vacancy_push", _("Job for you: %(title)s"), _vacancy_values),
        MessageKind("course_push", _("Training course for you: %(title)s"), _course_values),
        MessageKind("policy_push", _("Employment policy for you: %(title)s"), _policy_values),
        MessageKind("vacancy_suspended", _("Vacancy suspended: %(title)s"), _suspended_values),
        MessageKind("vacancy_review_result", _("Review of your vacancy: %(title)s"), _review_values),
        MessageKind("work_reminder", _("Work due soon (%(count)s)"), _work_reminder_values),
        MessageKind("work_escalated", _("Overdue work escalated to you (%(count)s)"), _work_escalated_values),
        MessageKind("person_transferred", _("File transferred to your unit: %(name)s"), _transfer_values),
    )
}


def language_of(code: str | None) -> str:
    """A language we can render in; anything else falls back to Chinese."""
    return code if code in LANGUAGES else "zh-hans"


def render(kind: str, *, language: str, context: dict) -> Rendered:
    message = KINDS[kind]
    language = language_of(language)
    with translation.override(language):
        values = message.build(context)
        subject = str(message.subject) % values
        body = render_to_string(message.template, values).strip()
    return Rendered(language=language, subject=subject[:300], body=body, link=values.get("url", ""))
