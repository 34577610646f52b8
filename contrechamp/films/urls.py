from django.urls import URLPattern, URLResolver

app_name = "films"
urlpatterns: list[URLPattern | URLResolver] = []
