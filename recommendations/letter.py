"""The referral letter (推荐介绍信) a seeker takes to the employer, with a reply slip.

Chinese and Tibetan stand side by side on one page whatever the user's language: the
employer reads one, the seeker perhaps the other (core.pdf: the vendored Tibetan font,
nothing fetched from the network).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import NotAllowed, ValidationFailed
from core.pdf import in_script as _in
from core.pdf import render_pdf
from core.scope import unit_in_scope
from privacy.models import AccessKind
from privacy.services import access_log
from recommendations.models import Recommendation
from recommendations.rules import PRINT_LETTER

NOT_REFERRED = _("A referral letter can be printed once the seeker has been referred to the employer.")
# Stored in the personal-data access log (data, not interface text).
ACCESS_REASON = "referral letter for recommendation {pk}"
LETTER_FIELDS = ["name_zh", "name_bo", "id_number_masked"]


def letter_context(recommendation: Recommendation, acting_user, today) -> dict:
    person = recommendation.person
    vacancy = recommendation.vacancy
    station = acting_user.unit
    # One column per language, side by side; the template renders each under its language.
    languages = [
        {
            "code": code,
            "css": script,
            "title": _in(script, vacancy, "title"),
            "employer": _in(script, vacancy.employer, "name"),
            "work_unit": _in(script, vacancy.work_unit, "name"),
            "station": _in(script, station, "name"),
        }
        for code, script in (("zh-hans", "zh"), ("bo", "bo"))
    ]
    return {
        "languages": languages,
        "number": f"{recommendation.pk:06d}",
        "today": today,
        "reply_due": recommendation.step_deadline,
        "person": person,
        "vacancy": vacancy,
        "employer": vacancy.employer,
        "station": station,
        "counsellor": acting_user,
    }


def referral_letter_pdf(*, recommendation: Recommendation, acting_user, request=None) -> bytes:
    """The letter as PDF bytes; each print is written to the personal-data access log."""
    person = recommendation.person
    if not acting_user.has_perm(PRINT_LETTER) or not unit_in_scope(acting_user, person.unit):
        raise NotAllowed()
    if recommendation.referred_at is None:
        raise ValidationFailed(errors={"__all__": [str(NOT_REFERRED)]}, code="not_referred")
    context = letter_context(recommendation, acting_user, timezone.localdate())
    pdf = render_pdf("recommendations/letter.html", context)
    access_log(
        user=acting_user,
        kind=AccessKind.PRINT,
        subject_type="person",
        subject_id=str(person.pk),
        fields=LETTER_FIELDS,
        reason=ACCESS_REASON.format(pk=recommendation.pk),
        request=request,
    )
    return pdf
