from django.urls import path

from contrechamp.networks import views

app_name = "networks"
urlpatterns = [
    path("", views.home, name="home"),
    path("networks/", views.directory, name="directory"),
]
