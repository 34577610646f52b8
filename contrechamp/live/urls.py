from django.urls import URLPattern, path

from contrechamp.live import views

app_name = "live"
urlpatterns: list[URLPattern] = [
    path("rooms/<int:pk>/", views.room, name="room"),
    path("rooms/<int:pk>/post/", views.post, name="post"),
    path("rooms/<int:pk>/messages/<int:message_id>/react/", views.react, name="react"),
    path("rooms/<int:pk>/messages/<int:message_id>/delete/", views.delete, name="delete"),
    path("rooms/<int:pk>/sanctions/", views.sanction, name="sanction"),
    path("rooms/<int:pk>/watch-party/", views.watch_party, name="watch_party"),
    path("rooms/<int:pk>/watch-party/host/", views.hand_over, name="hand_over"),
    path("rooms/event/<int:event_id>/", views.event_room, name="event_room"),
    path("rooms/network/<slug:slug>/", views.network_room, name="network_room"),
]
