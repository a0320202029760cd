from django.urls import path

from worklist import views

app_name = "worklist"
urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("unit/", views.unit, name="unit"),
    path("unit/reassign/", views.reassign, name="reassign"),
    path("<int:pk>/take/", views.take, name="take"),
    path("transfer/<int:person_pk>/", views.transfer, name="transfer"),
]
