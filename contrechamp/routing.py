"""Websocket routes; each app that speaks over websockets adds its consumers here."""

from typing import Any

websocket_urlpatterns: list[Any] = []
