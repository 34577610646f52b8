from django.urls import path

from contrechamp.accounts import views

app_name = "accounts"
urlpatterns = [
    path("members/<str:username>/", views.profile, name="profile"),
    path("me/", views.settings, name="settings"),
    path("code-of-conduct/", views.settings, name="code_of_conduct"),
]
