from django.urls import path

from matching import views

app_name = "matching"
urlpatterns = [
    path("vacancy/<int:pk>/candidates/", views.candidates, name="candidates"),
    path("vacancy/<int:pk>/candidates/<int:person_pk>/recommend/", views.recommend, name="recommend"),
]
