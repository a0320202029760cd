from django.urls import path

from employers import views

app_name = "employers"
urlpatterns = [
    path("", views.employer_list, name="employer_list"),
    path("new/", views.employer_create, name="employer_create"),
    path("key-enterprises/", views.key_directory, name="key_directory"),
    path("<int:pk>/", views.employer_detail, name="employer_detail"),
    path("<int:pk>/edit/", views.employer_edit, name="employer_edit"),
    path("<int:pk>/key-enterprise/add/", views.key_flag, name="key_flag"),
    path("<int:pk>/key-enterprise/remove/", views.key_unflag, name="key_unflag"),
]
