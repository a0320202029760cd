from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts import selectors
from accounts.models import User
from core.errors import DomainError


class BadCredentials(DomainError):
    code = "invalid_credentials"
    default_message = _("The user name or password is not correct, or the account is locked.")


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class LoginThrottle(AnonRateThrottle):
    rate = "30/min"


class TokenLogin(APIView):
    """Exchange a user name and password for an API token (SPEC §5)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # authenticate() goes through django-axes, so API logins count towards lockout.
        user = authenticate(request._request, **data.validated_data)
        if user is None or not user.is_active or not user.role:
            raise BadCredentials()
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class StaffSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name_zh",
            "name_bo",
            "role",
            "unit",
            "language",
            "qualification_level",
            "speaks_tibetan",
            "speaks_chinese",
            "psychological_counsellor",
            "training_liaison",
            "is_active",
            "version",
        ]


class Me(generics.RetrieveAPIView):
    serializer_class = StaffSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self):
        return self.request.user


class StaffList(generics.ListAPIView):
    serializer_class = StaffSerializer
    required_permission = "accounts.view_staff"

    def get_queryset(self):
        return selectors.staff_list(
            user=self.request.user,
            role=self.request.query_params.get("role", "")[:30],
            unit_code=self.request.query_params.get("unit", "")[:12],
            q=self.request.query_params.get("q", "")[:50],
        )


class StaffDetail(generics.RetrieveAPIView):
    serializer_class = StaffSerializer
    required_permission = "accounts.view_staff"

    def get_object(self):
        return selectors.staff_get(user=self.request.user, pk=self.kwargs["pk"])
