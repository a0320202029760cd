from django.urls import path

from workcalendar import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.day_list, name="day_list"),
    path("new/", views.day_create, name="day_create"),
    path("<int:pk>/edit/", views.day_edit, name="day_edit"),
    path("<int:pk>/delete/", views.day_delete, name="day_delete"),
]
