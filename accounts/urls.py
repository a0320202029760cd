from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import second_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set_language"),
    path("second-factor/", second_factor_views.otp_verify, name="otp_verify"),
    path("second-factor/enrol/", second_factor_views.otp_enrol, name="otp_enrol"),
    path("second-factor/recovery-codes/", second_factor_views.recovery_codes, name="recovery_codes"),
    path(
        "second-factor/recovery-codes/new/",
        second_factor_views.recovery_regenerate,
        name="recovery_regenerate",
    ),
    path("profile/", views.profile, name="profile"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/role/", views.staff_assign_role, name="staff_role"),
    path("staff/<int:pk>/unlock/", views.staff_unlock, name="staff_unlock"),
    path(
        "staff/<int:pk>/second-factor/reset/",
        second_factor_views.staff_reset_second_factor,
        name="staff_reset_second_factor",
    ),
]
