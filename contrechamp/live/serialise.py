"""What the websocket and the API send about messages and the player: plain dicts."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.live.models import Message, Room
from contrechamp.live.text import render_chat


def member_name(message: Message) -> str:
    return message.author.public_name if message.author else _("A former member")


def message(item: Message, reactions: dict[str, int] | None = None) -> dict[str, Any]:
    return {
        "id": item.pk,
        "author": {"id": item.author_id, "name": member_name(item)},
        "html": "" if item.is_deleted else str(render_chat(item.body)),
        "deleted": item.is_deleted,
        "created_at": item.created_at.isoformat(),
        "reactions": reactions or {},
    }


def player(room: Room) -> dict[str, Any]:
    """The host's last state; clients add the time elapsed since `at` while playing."""
    return {
        "url": room.video_url,
        "host": room.host_id,
        "host_name": room.host.public_name if room.host else "",
        "playing": room.is_playing,
        "position": room.position,
        "at": room.state_at.timestamp(),
    }


def now() -> float:
    return timezone.now().timestamp()
