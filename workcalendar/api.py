import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

import workdays
from network.models import OrgUnit

MAX_DAYS = 3650


def _region_field():
    return serializers.CharField(
        required=False,
        default="CN",
        max_length=12,
        help_text="CN, or the code of an org unit (e.g. 540102002)",
    )


def validate_region(value: str) -> str:
    if value == "CN" or OrgUnit.objects.filter(code=value).exists():
        return value
    raise serializers.ValidationError(_("Unknown region: give CN or the code of an org unit."))


class AddWorkdaysQuery(serializers.Serializer):
    start = serializers.DateField(input_formats=["%Y-%m-%d"])
    days = serializers.IntegerField(min_value=-MAX_DAYS, max_value=MAX_DAYS)
    region = _region_field()

    def validate_region(self, value):
        return validate_region(value)


class IsWorkdayQuery(serializers.Serializer):
    date = serializers.DateField(input_formats=["%Y-%m-%d"])
    region = _region_field()

    def validate_region(self, value):
        return validate_region(value)


def _in_range(day: datetime.date) -> None:
    if not 1950 <= day.year <= 2200:
        raise serializers.ValidationError({"date": [_("Give a date between 1950 and 2200.")]})


class AddWorkdays(APIView):
    required_permission = "workcalendar.view_days"

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, required=True),
            OpenApiParameter("days", int, required=True),
            OpenApiParameter("region", str),
        ],
        responses={200: inline_serializer("AddWorkdaysResult", {"date": serializers.DateField()})},
    )
    def get(self, request):
        query = AddWorkdaysQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start = query.validated_data["start"]
        _in_range(start)
        try:
            result = workdays.add_workdays(
                start, query.validated_data["days"], query.validated_data["region"]
            )
        except (ValueError, OverflowError) as exc:
            raise serializers.ValidationError(
                {"days": [_("The result falls outside the supported dates.")]}
            ) from exc
        return Response({"date": result.isoformat()})


class IsWorkday(APIView):
    required_permission = "workcalendar.view_days"

    @extend_schema(
        parameters=[OpenApiParameter("date", str, required=True), OpenApiParameter("region", str)],
        responses={
            200: inline_serializer(
                "IsWorkdayResult",
                {
                    "date": serializers.DateField(),
                    "region": serializers.CharField(),
                    "is_workday": serializers.BooleanField(),
                    "schedule_entered": serializers.BooleanField(),
                },
            )
        },
    )
    def get(self, request):
        query = IsWorkdayQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        day, region = query.validated_data["date"], query.validated_data["region"]
        _in_range(day)
        calendar = workdays.get_calendar()
        return Response(
            {
                "date": day.isoformat(),
                "region": region,
                "is_workday": calendar.is_workday(day, region),
                "schedule_entered": calendar.schedule_entered(day.year, region),
            }
        )
