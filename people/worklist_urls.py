from django.urls import path

from people import worklist_views

app_name = "worklists"
urlpatterns = [
    path("updates/", worklist_views.update_overdue, name="update_overdue"),
]
