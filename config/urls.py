from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from dashboard.views import healthz

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="dashboard:home", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("dashboard/", include("dashboard.urls")),
    path("accounts/", include("accounts.urls")),
    path("network/", include("network.urls")),
    path("calendar/", include("workcalendar.urls")),
    path("audit/", include("audit.urls")),
    path("people/import/", include("people.import_urls")),
    path("people/", include("people.urls")),
    path("worklists/", include("people.worklist_urls")),
    path("worklist/", include("worklist.urls")),
    path("households/", include("households.urls")),
    path("registrations/", include("registrations.urls")),
    path("key-groups/", include("keygroups.urls")),
    path("occupations/", include("occupations.urls")),
    path("privacy/", include("privacy.urls")),
    path("employers/", include("employers.urls")),
    path("notices/", include("notifications.urls")),
    path("jobs/", include("jobboard.urls")),
    path("training/", include("training.urls")),
    path("vacancies/", include("vacancies.urls")),
    path("exchange/", include("exchange.urls")),
    path("recommendations/", include("recommendations.urls")),
    path("matching/", include("matching.urls")),
    path("ratios/", include("ratios.urls")),
    path("guidance/", include("guidance.urls")),
    path("services/", include("servicerecords.urls")),
    path("assistance/", include("assistance.urls")),
    path("retention/", include("retention.urls")),
    path("subject-requests/", include("subjectrights.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

handler400 = "core.handlers.bad_request"
handler403 = "core.handlers.permission_denied"
handler404 = "core.handlers.page_not_found"
handler500 = "core.handlers.server_error"
