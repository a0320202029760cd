from django.urls import path

from registrations import views

app_name = "registrations"
urlpatterns = [
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("open/<int:person_pk>/", views.registration_open, name="open"),
    path("<int:pk>/close/", views.registration_close, name="close"),
    path("<int:pk>/propose/", views.registration_propose, name="propose"),
    path("<int:pk>/decide/", views.registration_decide, name="decide"),
]
