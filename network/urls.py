from django.urls import path

from network import views

app_name = "network"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("units/<str:code>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<str:parent_code>/new/", views.unit_create, name="unit_create"),
    path("points/", views.service_point_list, name="point_list"),
    path("points/new/", views.service_point_create, name="point_create"),
    path("points/<int:pk>/", views.service_point_detail, name="point_detail"),
    path("points/<int:pk>/edit/", views.service_point_edit, name="point_edit"),
]
