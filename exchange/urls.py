from django.urls import path

from exchange import views

app_name = "exchange"
urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("export/", views.export, name="export"),
    path("intake/", views.intake, name="intake"),
]
