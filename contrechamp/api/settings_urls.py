"""The token settings page, at /me/tokens/: included at the site's root (the API itself
lives under /api/, see `urls.py`)."""

from django.urls import URLPattern, path

from contrechamp.api import views

app_name = "api_tokens"
urlpatterns: list[URLPattern] = [
    path("me/tokens/", views.tokens, name="list"),
    path("me/tokens/<int:pk>/revoke/", views.revoke, name="revoke"),
]
