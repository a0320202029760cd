from django.urls import path

from servicerecords import views

app_name = "servicerecords"
urlpatterns = [
    path("", views.service_list, name="list"),
    path("person/<int:person_pk>/add/", views.record_add, name="add"),
    path("<int:pk>/edit/", views.record_edit, name="edit"),
    path("types/", views.type_list, name="type_list"),
    path("types/new/", views.type_create, name="type_create"),
    path("types/<int:pk>/edit/", views.type_edit, name="type_edit"),
]
