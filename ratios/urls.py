from django.urls import path

from ratios import views

app_name = "ratios"
urlpatterns = [
    path("", views.compliance, name="compliance"),
    path("below-target/", views.below_target, name="below_target"),
    path("pipeline/", views.pipeline, name="pipeline"),
]
