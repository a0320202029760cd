from django.urls import path

from privacy import approval_views, views

app_name = "privacy"
urlpatterns = [
    path("access/", views.access_list, name="access_list"),
    path("export-approvals/", approval_views.export_approval_list, name="export_approval_list"),
    path("export-approvals/<int:pk>/", approval_views.export_approval_detail, name="export_approval_detail"),
    path(
        "export-approvals/<int:pk>/decide/",
        approval_views.export_approval_decide,
        name="export_approval_decide",
    ),
]
