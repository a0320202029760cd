from django.urls import path

from keygroups import views

app_name = "keygroups"
urlpatterns = [
    path("", views.category_list, name="category_list"),
    path("new/", views.category_create, name="category_create"),
    path("<int:pk>/edit/", views.category_edit, name="category_edit"),
    path("person/<int:person_pk>/add/", views.membership_add, name="membership_add"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
]
