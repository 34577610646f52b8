from django.urls import path

from contrechamp.accounts import views

app_name = "accounts"
urlpatterns = [
    path("members/<str:username>/", views.profile, name="profile"),
    path("me/", views.member_settings, name="settings"),
    path("me/export/", views.export, name="export"),
    path("me/delete/", views.delete, name="delete"),
    path("code-of-conduct/", views.code_of_conduct, name="code_of_conduct"),
]
