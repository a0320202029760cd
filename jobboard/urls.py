from django.urls import path

from jobboard import views

app_name = "jobboard"
urlpatterns = [
    path("", views.vacancy_list, name="vacancy_list"),
    path("<int:pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("courses/", views.course_list, name="course_list"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
]
