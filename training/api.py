"""The training API (§7.5): providers and courses, read by staff in scope, written by those allowed.

Reads need `training.view_provider` / `training.view_course`; writes need
`training.manage_provider` / `training.manage_course` (core.api.IsStaffMember through
`required_permission`). A record outside the caller's area answers 404.
"""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api import ReadWritePermission, query_choice, query_flag, query_id
from core.errors import ConcurrentEdit
from network.api import query_unit
from training import selectors, services
from training.models import CourseLanguage
from training.serializers import (
    CourseSerializer,
    CourseUpdateSerializer,
    CourseWriteSerializer,
    ProviderSerializer,
    ProviderUpdateSerializer,
    ProviderWriteSerializer,
)

OCCUPATION_PREFIX = re.compile(r"^\d(-\d{2}){0,3}$")
BAD_OCCUPATION = _("Give an occupation code such as 4-03-02-01, or its start such as 4-03.")
UNKNOWN_PROVIDER = services.UNKNOWN_PROVIDER


def _context(request) -> dict:
    return {"request": request, "today": timezone.localdate()}


def _provider_response(request, pk, status_code=status.HTTP_200_OK) -> Response:
    provider = selectors.provider_get(user=request.user, pk=pk)
    return Response(ProviderSerializer(provider, context=_context(request)).data, status=status_code)


def _course_response(request, pk, status_code=status.HTTP_200_OK) -> Response:
    course = selectors.course_get(user=request.user, pk=pk)
    return Response(CourseSerializer(course, context=_context(request)).data, status=status_code)


def _query_occupation(request) -> str:
    value = request.query_params.get("occupation", "")
    if value and not OCCUPATION_PREFIX.match(value):
        raise ValidationError({"occupation": [BAD_OCCUPATION]})
    return value


def _resolve_provider(request, values: dict, keep_pk: int | None = None) -> None:
    """Replace the provider id sent by the provider record, or answer 400 naming the field."""
    if "provider" not in values:
        return
    provider = (
        selectors.provider_choices(user=request.user, keep_pk=keep_pk).filter(pk=values["provider"]).first()
    )
    if provider is None:
        raise ValidationError({"provider": [UNKNOWN_PROVIDER]})
    values["provider"] = provider


class _Providers(ReadWritePermission):
    read_permission = "training.view_provider"
    write_permission = "training.manage_provider"


class _Courses(ReadWritePermission):
    read_permission = "training.view_course"
    write_permission = "training.manage_course"


@extend_schema(
    parameters=[
        OpenApiParameter("status", enum=list(selectors.ProviderStatus.ALL)),
        OpenApiParameter("unit", str, description="Org unit code; the unit and everything below it"),
        OpenApiParameter("q", str, description="Name, credit code or licence number"),
    ]
)
class ProviderList(_Providers, generics.ListAPIView):
    """Training providers you can see (GET, filterable, paginated) or register one (POST)."""

    serializer_class = ProviderSerializer

    def get_serializer_context(self):
        return _context(self.request)

    def get_queryset(self):
        request = self.request
        return selectors.provider_list(
            user=request.user,
            today=timezone.localdate(),
            status=query_choice(request, "status", selectors.ProviderStatus.ALL),
            unit_code=query_unit(request),
            q=request.query_params.get("q", "")[:50],
        )

    @extend_schema(request=ProviderWriteSerializer, responses={201: ProviderSerializer})
    def post(self, request):
        data = ProviderWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.setdefault("unit", request.user.unit)
        provider = services.provider_create(acting_user=request.user, values=values, request=request)
        return _provider_response(request, provider.pk, status.HTTP_201_CREATED)


class ProviderDetail(_Providers, generics.RetrieveAPIView):
    """One provider (GET), or change the fields sent (PATCH, `version` required; 409 if stale)."""

    serializer_class = ProviderSerializer

    def get_serializer_context(self):
        return _context(self.request)

    def get_object(self):
        return selectors.provider_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=ProviderUpdateSerializer, responses={200: ProviderSerializer})
    def patch(self, request, pk):
        provider = self.get_object()
        data = ProviderUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        services.provider_update(
            acting_user=request.user,
            provider=provider,
            expected_version=version,
            changes=changes,
            request=request,
        )
        return _provider_response(request, pk)


@extend_schema(
    parameters=[
        OpenApiParameter("occupation", str, description="Occupation code or its start, such as 4-03"),
        OpenApiParameter("language", enum=CourseLanguage.values),
        OpenApiParameter("timing", enum=list(selectors.CourseTiming.ALL)),
        OpenApiParameter("published", bool),
        OpenApiParameter("provider", int, description="Provider id"),
        OpenApiParameter("unit", str, description="Org unit code; the unit and everything below it"),
        OpenApiParameter("q", str, description="Title or provider name"),
    ]
)
class CourseList(_Courses, generics.ListAPIView):
    """Training courses run in your area (GET, filterable, paginated) or create one (POST).

    A new course is not published; publish it with `PATCH {"is_published": true}`.
    """

    serializer_class = CourseSerializer

    def get_serializer_context(self):
        return _context(self.request)

    def get_queryset(self):
        request = self.request
        return selectors.course_list(
            user=request.user,
            today=timezone.localdate(),
            occupation=_query_occupation(request),
            language=query_choice(request, "language", CourseLanguage.values),
            timing=query_choice(request, "timing", selectors.CourseTiming.ALL),
            published=query_flag(request, "published"),
            provider_id=query_id(request, "provider"),
            unit_code=query_unit(request),
            q=request.query_params.get("q", "")[:50],
        )

    @extend_schema(request=CourseWriteSerializer, responses={201: CourseSerializer})
    def post(self, request):
        data = CourseWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.setdefault("unit", request.user.unit)
        _resolve_provider(request, values)
        course = services.course_create(acting_user=request.user, values=values, request=request)
        return _course_response(request, course.pk, status.HTTP_201_CREATED)


class CourseDetail(_Courses, generics.RetrieveAPIView):
    """One course (GET), or change the fields sent (PATCH, `version` required; 409 if stale).

    `is_published: true` publishes the course; it is refused (400) while the provider is
    inactive or its licence does not cover the course to its last day.
    """

    serializer_class = CourseSerializer

    def get_serializer_context(self):
        return _context(self.request)

    def get_object(self):
        return selectors.course_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=CourseUpdateSerializer, responses={200: CourseSerializer})
    def patch(self, request, pk):
        course = self.get_object()
        data = CourseUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        published = changes.pop("is_published", None)
        _resolve_provider(request, changes, keep_pk=course.provider_id)
        # Field changes and (un)publishing succeed or fail together.
        with transaction.atomic():
            if changes:
                course = services.course_update(
                    acting_user=request.user,
                    course=course,
                    expected_version=version,
                    changes=changes,
                    request=request,
                )
                version = course.version
            if published is not None and published != course.is_published:
                service = services.course_publish if published else services.course_unpublish
                service(acting_user=request.user, course=course, expected_version=version, request=request)
            elif not changes and course.version != version:
                raise ConcurrentEdit()
        return _course_response(request, pk)
