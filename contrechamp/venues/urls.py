from django.urls import URLPattern, path

from contrechamp.venues import views

app_name = "venues"
urlpatterns: list[URLPattern] = [
    path("venues/", views.venue_list, name="list"),
    path("venues/new/", views.venue_create, name="create"),
    path("venues/<int:pk>/", views.venue_detail, name="detail"),
    path("venues/<int:pk>/edit/", views.venue_edit, name="edit"),
]
