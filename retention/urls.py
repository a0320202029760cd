from django.urls import path

from retention import views

app_name = "retention"

urlpatterns = [
    path("", views.retention_overview, name="overview"),
    path("dry-run/", views.dry_run_now, name="dry_run"),
]
