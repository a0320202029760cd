from django.urls import path  # noqa: F401

app_name = "occupations"
urlpatterns: list = []
