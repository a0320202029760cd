"""The one page this module serves: the referral letter as a PDF. Every other
recommendation page lives in the pages module."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.errors import NotAllowed, ValidationFailed
from recommendations import selectors
from recommendations.letter import referral_letter_pdf


@login_required
@require_GET
def referral_letter(request, pk: int):
    recommendation = selectors.recommendation_get(user=request.user, pk=pk)  # 404 outside the area
    try:
        pdf = referral_letter_pdf(recommendation=recommendation, acting_user=request.user, request=request)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except ValidationFailed as exc:
        for problems in exc.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect(reverse("people:person_detail", args=[recommendation.person_id]))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="referral-{recommendation.pk}.pdf"'
    # Personal data: never kept by a shared proxy or the browser cache.
    response["Cache-Control"] = "no-store"
    return response
