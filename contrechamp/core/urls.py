from django.urls import path

from contrechamp.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("places/cities", views.city_suggestions, name="city_suggestions"),
]
