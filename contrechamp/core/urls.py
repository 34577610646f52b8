from django.urls import path

from contrechamp.core import pwa, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("places/cities", views.city_suggestions, name="city_suggestions"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
]
