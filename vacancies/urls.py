from django.urls import path

from vacancies import views

app_name = "vacancies"
urlpatterns = [
    path("", views.vacancy_list, name="vacancy_list"),
    path("new/", views.vacancy_create, name="vacancy_create"),
    path("review/", views.review_queue, name="review_queue"),
    path("<int:pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("<int:pk>/edit/", views.vacancy_edit, name="vacancy_edit"),
    path("<int:pk>/transition/", views.vacancy_transition, name="vacancy_transition"),
]
