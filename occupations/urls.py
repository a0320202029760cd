from django.urls import path

from occupations import views

app_name = "occupations"
urlpatterns = [
    path("", views.occupation_list, name="occupation_list"),
    path("<str:code>/", views.occupation_detail, name="occupation_detail"),
    path("<str:code>/edit/", views.occupation_edit, name="occupation_edit"),
]
