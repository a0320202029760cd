from django.urls import path

from subjectrights import views

app_name = "subjectrights"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("person/<int:person_pk>/new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/copy.xlsx", views.copy_download, name="copy"),
    path("<int:pk>/copy.pdf", views.copy_download, {"fmt": "pdf"}, name="copy_pdf"),
    *(
        path(f"<int:pk>/{action}/", views.request_action, {"action": action}, name=action)
        for action in ("verify", "complete", "refuse", "withdraw")
    ),
]
