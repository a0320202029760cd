"""Public pages of the job board: no sign-in, published records only (§5.3, issue 4)."""

import segno
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from core.views import paginate, query_without_page, render_list
from jobboard import search
from jobboard.forms import VacancySearchForm
from jobboard.throttle import limit_public_pages
from training import selectors as training_selectors


def _not_found(request):
    return render(request, "jobboard/not_found.html", status=404)


@require_safe
@limit_public_pages
def vacancy_list(request):
    form = VacancySearchForm(request.GET)
    vacancies = search.search_published(**form.cleaned_data) if form.is_valid() else None
    return render_list(
        request,
        "jobboard/vacancy_list.html",
        "jobboard/_vacancy_results.html",
        {
            "form": form,
            "page": paginate(request, vacancies, 20) if vacancies is not None else None,
            "query": query_without_page(request),
        },
    )


@require_safe
@limit_public_pages
def vacancy_detail(request, pk):
    vacancy = search.published_get(pk)
    if vacancy is None:
        return _not_found(request)
    url = request.build_absolute_uri(reverse("jobboard:vacancy_detail", args=[vacancy.pk]))
    # segno writes only its own <svg>/<path> markup; the URL is encoded as modules, not text.
    qr_svg = mark_safe(segno.make(url, micro=False).svg_inline(scale=4))  # noqa: S308
    employer = vacancy.employer
    return render(
        request,
        "jobboard/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "employer": employer,
            "contact_phone": employer.contact_phone if employer.publish_contact_phone else "",
            "page_url": url,
            "qr_svg": qr_svg,
        },
    )


@require_safe
@limit_public_pages
def course_list(request):
    courses = training_selectors.recommendable_courses(today=timezone.localdate())
    return render(
        request,
        "jobboard/course_list.html",
        {"page": paginate(request, courses, 20), "query": query_without_page(request)},
    )


@require_safe
@limit_public_pages
def course_detail(request, pk):
    try:
        course = training_selectors.public_course_get(pk=pk, today=timezone.localdate())
    except Http404:
        return _not_found(request)
    return render(request, "jobboard/course_detail.html", {"course": course})
