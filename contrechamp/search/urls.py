from django.urls import URLPattern, path

from contrechamp.search import views

app_name = "search"
urlpatterns: list[URLPattern] = [
    path("search/", views.search, name="search"),
    path("search/suggest/", views.suggest, name="suggest"),
]
