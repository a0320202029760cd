from django.urls import path

from people import import_views

app_name = "people_import"
urlpatterns = [
    path("", import_views.upload, name="upload"),
    path("template/", import_views.template, name="template"),
    path("report/", import_views.report, name="report"),
]
