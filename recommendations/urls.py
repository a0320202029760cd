from django.urls import path

from recommendations import letter_views, views

app_name = "recommendations"
urlpatterns = [
    path("", views.recommendation_list, name="list"),
    path("overdue/", views.overdue, name="overdue"),
    path("person/<int:pk>/", views.person_recommendations, name="person"),
    path("person/<int:pk>/match/", views.person_match, name="match"),
    path("<int:pk>/", views.recommendation_card, name="card"),
    path("<int:pk>/act/", views.recommendation_act, name="act"),
    path("<int:pk>/letter.pdf", letter_views.referral_letter, name="letter"),
]
