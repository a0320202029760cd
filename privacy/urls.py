from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [path("access/", views.access_list, name="access_list")]
