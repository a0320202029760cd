from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("read/", views.notice_mark_read, name="notice_mark_read"),
    path("push-ratio/", views.push_ratio, name="push_ratio"),
    path("pushes/<int:pk>/cancel/", views.push_cancel, name="push_cancel"),
]
