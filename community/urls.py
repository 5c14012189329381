from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("guidelines/", views.guidelines, name="guidelines"),
    path("help-now/", views.crisis, name="crisis"),
]
