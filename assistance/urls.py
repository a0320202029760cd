from django.urls import path

from assistance import views

app_name = "assistance"
urlpatterns = [
    path("", views.file_list, name="list"),
    path("closures/", views.closures, name="closures"),
    path("coverage/", views.coverage, name="coverage"),
    path("person/<int:person_pk>/open/", views.file_open, name="open"),
    path("<int:pk>/propose-closure/", views.propose_closure, name="propose"),
    path("<int:pk>/decide-closure/", views.decide_closure, name="decide"),
    path("<int:pk>/measures/add/", views.measure_add, name="measure_add"),
    path("measures/<int:pk>/", views.measure_update, name="measure"),
]
