from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import second_factor, selectors
from accounts.models import User
from accounts.throttles import SignInThrottle
from core.errors import DomainError


class BadCredentials(DomainError):
    code = "invalid_credentials"
    default_message = _("The user name or password is not correct, or the account is locked.")


class PasswordExpired(DomainError):
    status = 403
    code = "password_expired"
    default_message = _("The password has expired. Choose a new one on the web (My account), then try again.")


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_(
            "Second factor: the 6-digit code of the authenticator app, or an unused recovery code. "
            "Required for administrators, supervisors and anyone who enrolled one."
        ),
    )


_ERROR = inline_serializer(
    "TokenLoginError",
    {"code": serializers.CharField(), "message": serializers.CharField(), "errors": serializers.DictField()},
)


class TokenLogin(APIView):
    """Exchange a user name and password (and second-factor code) for an API token (SPEC §5, §7)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [SignInThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(_ERROR, description="invalid_credentials or validation_failed"),
            401: OpenApiResponse(_ERROR, description="otp_required (no code sent) or otp_invalid"),
            403: OpenApiResponse(_ERROR, description="password_expired"),
            429: OpenApiResponse(_ERROR, description="throttled or locked_out"),
        },
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        code = data.validated_data.pop("otp", "")
        # authenticate() goes through django-axes, so API logins count towards lockout.
        user = authenticate(request._request, **data.validated_data)
        if user is None or not user.is_active or not user.role:
            raise BadCredentials()
        if second_factor.needs_second_factor(user):
            if not code:
                raise second_factor.OtpRequired()
            second_factor.check_code(user=user, code=code, request=request._request)
        if selectors.password_expired(user):
            raise PasswordExpired()
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
