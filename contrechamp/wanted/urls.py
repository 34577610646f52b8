from django.urls import URLPattern, path

from contrechamp.wanted import views

app_name = "wanted"
urlpatterns: list[URLPattern] = [
    path("wanted/", views.request_list, name="list"),
    path("wanted/new/", views.request_create, name="create"),
    path("wanted/<int:pk>/", views.request_detail, name="detail"),
    path("wanted/<int:pk>/found/", views.request_found, name="found"),
    path("wanted/<int:pk>/withdraw/", views.request_withdraw, name="withdraw"),
]
