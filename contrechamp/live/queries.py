"""Reads shared by the room page, the websocket consumer and the API. Each returns in a
fixed number of queries whatever the room holds."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.live import conf, serialise
from contrechamp.live.models import Message, ModerationAction, Presence, Reaction, Room, Sanction

PAGE_SIZE = 50
RESUME_LIMIT = 500


def room(pk: int) -> Room | None:
    return Room.objects.select_related("event__network", "network", "host").filter(pk=pk).first()


def _counts(messages: list[Message]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if not messages:
        return counts
    rows = (
        Reaction.objects.filter(message__in=[message.pk for message in messages])
        .values("message_id", "emoji")
        .annotate(count=Count("id"))
        .order_by("message_id", "emoji")
    )
    for row in rows:
        counts[row["message_id"]][row["emoji"]] = row["count"]
    return counts


@dataclass(frozen=True)
class Chunk:
    """Messages in id order, with their reaction counts."""

    messages: list[Message]
    reactions: dict[int, dict[str, int]]
    # Older messages exist before the first one (history) / more follow the last (resume).
    more: bool

    def serialised(self) -> list[dict[str, Any]]:
        return [
            serialise.message(message, self.reactions.get(message.pk)) for message in self.messages
        ]

    @property
    def first_id(self) -> int | None:
        return self.messages[0].pk if self.messages else None


def history(room: Room, *, before: int | None = None, size: int = PAGE_SIZE) -> Chunk:
    """The latest `size` messages (before the id `before`, for older pages), oldest first."""
    messages = Message.objects.filter(room=room).select_related("author")
    if before is not None:
        messages = messages.filter(pk__lt=before)
    latest = list(messages.order_by("-pk")[: size + 1])
    more = len(latest) > size
    page = list(reversed(latest[:size]))
    return Chunk(messages=page, reactions=_counts(page), more=more)


def since(room: Room, after: int, *, size: int = RESUME_LIMIT) -> Chunk:
    """What a reconnecting client missed: messages after id `after`, oldest first. Deleted
    ones come as tombstones so that the client can remove what it showed."""
    found = list(
        Message.objects.filter(room=room, pk__gt=after)
        .select_related("author")
        .order_by("pk")[: size + 1]
    )
    page = found[:size]
    return Chunk(messages=page, reactions=_counts(page), more=len(found) > size)


def present_members(room: Room) -> list[User]:
    cutoff = timezone.now() - timedelta(seconds=conf.presence_timeout())
    ids = Presence.objects.filter(room=room, seen_at__gte=cutoff).values("member_id").distinct()
    return list(User.objects.filter(pk__in=ids).order_by("display_name", "username"))


def voice_peers(room: Room) -> list[Presence]:
    cutoff = timezone.now() - timedelta(seconds=conf.presence_timeout())
    return list(
        Presence.objects.filter(room=room, in_voice=True, seen_at__gte=cutoff)
        .select_related("member")
        .order_by("pk")
    )


def peer_channel(room_id: int, peer_id: int) -> str | None:
    """The connection a voice signal goes to: only a peer in the same room's call."""
    return (
        Presence.objects.filter(pk=peer_id, room_id=room_id, in_voice=True)
        .values_list("channel_name", flat=True)
        .first()
    )


def presence(channel_name: str) -> Presence | None:
    return Presence.objects.select_related("room").filter(channel_name=channel_name).first()


def audit(room: Room, size: int = 50) -> list[ModerationAction]:
    return list(ModerationAction.objects.filter(room=room).select_related("actor", "target")[:size])


def active_sanctions(room: Room) -> list[Sanction]:
    now = timezone.now()
    return list(
        Sanction.objects.filter(room=room, lifted_at__isnull=True)
        .exclude(until__lte=now)
        .select_related("member")
        .order_by("-created_at")
    )


def message_in(room: Room, pk: int) -> Message | None:
    return (
        Message.objects.select_related("room__event", "room__network")
        .filter(pk=pk, room=room)
        .first()
    )


def member(pk: int) -> User | None:
    return User.objects.filter(pk=pk, is_active=True).first()
