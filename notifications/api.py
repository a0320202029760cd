"""The push channel API: a person's pushes (read, push an item) and the caller's notices.

Reads need `notifications.view_push`, pushing `notifications.push_item`; a person outside
the caller's area answers 404 through people.selectors.person_get.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications import selectors, services
from notifications.models import Channel, ItemType, Notice, Push
from people import selectors as people_selectors
from people.serializers import SafeChoiceField, SafeModelSerializer

MAX_ID = 2**63 - 1
NO_SUCH_ITEM = _("No published vacancy or recommendable course has this number.")


class PushSerializer(SafeModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Push
        fields = [
            "id",
            "item_type",
            "item_id",
            "channel",
            "language",
            "subject",
            "body",
            "status",
            "attempts",
            "created_at",
            "sent_at",
            "created_by",
        ]
        read_only_fields = fields


class PushRequestSerializer(serializers.Serializer):
    item_type = SafeChoiceField(choices=[ItemType.VACANCY, ItemType.COURSE])
    item_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    channel = SafeChoiceField(
        choices=Channel.choices, required=False, allow_blank=True, help_text="Empty: the person's preferred."
    )


class PersonPushes(generics.ListCreateAPIView):
    """The pushes recorded for one person, newest first; POST pushes a vacancy or course
    (201 when new, 200 with the earlier push when it was already pushed on that channel)."""

    serializer_class = PushSerializer
    queryset = Push.objects.none()  # for the schema; rows come from get_queryset

    @property
    def required_permission(self) -> str:
        return "notifications.view_push" if self.request.method in SAFE_METHODS else "notifications.push_item"

    def get_queryset(self):
        person = people_selectors.person_get(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.push_list_for_person(user=self.request.user, person=person)

    @extend_schema(request=PushRequestSerializer, responses={201: PushSerializer, 200: PushSerializer})
    def create(self, request, pk):
        person = people_selectors.person_get(user=request.user, pk=pk)
        data = PushRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        item = selectors.pushable_item(
            item_type=values["item_type"], item_id=values["item_id"], today=timezone.localdate()
        )
        if item is None:
            raise ValidationError({"item_id": [NO_SUCH_ITEM]})
        push = services.push_to_person(
            person=person,
            item=item,
            channel=values.get("channel") or None,
            acting_user=request.user,
            request=request,
        )
        code = status.HTTP_201_CREATED if push.is_new else status.HTTP_200_OK
        return Response(PushSerializer(push).data, status=code)


class NoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notice
        fields = ["id", "kind", "language", "subject", "body", "created_at", "read_at"]
        read_only_fields = fields


class NoticeList(generics.ListAPIView):
    """The caller's own notices, newest first; `?unread=true` for the unread ones."""

    serializer_class = NoticeSerializer
    queryset = Notice.objects.none()

    def get_queryset(self):
        unread = self.request.query_params.get("unread", "").lower() in ("true", "1")
        return selectors.notice_list(user=self.request.user, unread_only=unread)


class NoticeReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=500,
        help_text="Notices to mark read; leave out to mark all.",
    )


class NoticeRead(APIView):
    """Mark the caller's notices read; answers how many changed."""

    @extend_schema(request=NoticeReadSerializer, responses={200: None})
    def post(self, request):
        data = NoticeReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        count = services.notices_mark_read(user=request.user, notice_ids=data.validated_data.get("ids"))
        return Response({"marked": count})
