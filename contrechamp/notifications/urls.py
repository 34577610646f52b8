from django.urls import URLPattern, URLResolver, path

from contrechamp.notifications import views

app_name = "notifications"
urlpatterns: list[URLPattern | URLResolver] = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/bell/", views.bell, name="bell"),
    path("notifications/read-all/", views.read_all, name="read_all"),
    path("notifications/<int:pk>/open/", views.open_notification, name="open"),
    path(
        "notifications/unsubscribe/<str:token>/",
        views.unsubscribe_link,
        name="unsubscribe",
    ),
    path("me/notifications/", views.preferences, name="preferences"),
    path("networks/<slug:slug>/newsletter/", views.compose_newsletter, name="compose_newsletter"),
    path(
        "networks/<slug:slug>/newsletters/<int:pk>/",
        views.newsletter_detail,
        name="newsletter",
    ),
]
