"""Websocket routes; each app that speaks over websockets adds its consumers here."""

from typing import Any

from django.urls import path

from contrechamp.live.consumers import RoomConsumer

websocket_urlpatterns: list[Any] = [
    path("ws/rooms/<int:room_id>/", RoomConsumer.as_asgi()),
]
