from django.urls import path

from contrechamp.films import views

app_name = "films"
urlpatterns = [
    path("films/", views.film_list, name="list"),
    path("films/new/", views.film_create, name="create"),
    path("films/import/", views.import_catalogue, name="import_catalogue"),
    path("films/import/letterboxd/", views.import_letterboxd, name="import_letterboxd"),
    path("films/watchlist/", views.watchlist, name="watchlist"),
    path("films/lists/", views.film_lists, name="lists"),
    path("films/lists/<int:pk>/", views.list_detail, name="list_detail"),
    path("films/lists/<int:pk>/items/<int:item_pk>/", views.list_item, name="list_item"),
    path("films/people/<int:pk>/", views.person_detail, name="person"),
    path("films/<int:pk>/", views.film_detail, name="detail"),
    path("films/<int:pk>/synopsis/", views.edit_synopsis, name="edit_synopsis"),
    path("films/<int:pk>/poster/", views.edit_poster, name="edit_poster"),
    path("films/<int:pk>/rate/", views.rate, name="rate"),
    path("films/<int:pk>/watchlist/", views.watchlist_toggle, name="watchlist_toggle"),
    path("films/<int:pk>/where/", views.add_availability, name="add_availability"),
    path("films/<int:pk>/recommend/", views.recommend, name="recommend"),
    path("films/<int:pk>/add-to-list/", views.add_to_list, name="add_to_list"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("discover/", views.discover, name="discover"),
    path("recommendations/<int:recommendation_pk>/react/", views.react, name="react"),
    path(
        "films/<int:pk>/where/<int:availability_pk>/confirm/",
        views.confirm_availability,
        name="confirm_availability",
    ),
    path(
        "films/<int:pk>/where/<int:availability_pk>/outdated/",
        views.report_availability,
        name="report_availability",
    ),
]
