from django.urls import path

from contrechamp.networks import views

app_name = "networks"
urlpatterns = [
    path("", views.home, name="home"),
    path("networks/", views.directory, name="directory"),
    path("code-of-conduct/", views.code_of_conduct, name="code_of_conduct"),
]
