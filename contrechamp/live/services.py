"""What members do in a live room. Each service checks permission first, changes the
database inside a transaction, and sends to the room's clients once it commits.

The websocket consumer and the no-JavaScript form views call the same functions.
"""

from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contrechamp.accounts.models import User
from contrechamp.core.errors import Conflict, DomainError
from contrechamp.core.transactions import serialised
from contrechamp.events import permissions as event_permissions
from contrechamp.events.models import Event
from contrechamp.live import broadcast, conf, serialise
from contrechamp.live.models import (
    REACTIONS,
    Message,
    ModerationAction,
    Presence,
    Reaction,
    Room,
    Sanction,
)
from contrechamp.live.permissions import (
    can_enter,
    ensure_can_enter,
    ensure_can_moderate,
    is_muted,
)
from contrechamp.live.text import is_allowed_video
from contrechamp.networks.models import Network
from contrechamp.networks.permissions import ensure_can_act

MAX_MUTE_MINUTES = 7 * 24 * 60
PLAYER_ACTIONS = ("play", "pause", "seek")
MAX_POSITION = 24 * 3600.0


class RateLimited(DomainError):
    status_code = 429


def _send(room_id: int, payload: dict[str, Any]) -> None:
    transaction.on_commit(lambda: broadcast.to_room(room_id, payload))


def _locked(room: Room) -> Room:
    return (
        Room.objects.select_related("event", "network", "host")
        .select_for_update(of=("self",))
        .get(pk=room.pk)
    )


# --- Opening rooms


@serialised
def open_event_room(*, actor: User, event: Event) -> Room:
    """The event's room, created on first visit by anyone who may see the event."""
    event_permissions.ensure_can_see(actor, event)
    room, _created = Room.objects.get_or_create(event=event, defaults={"network": event.network})
    return room


@serialised
def open_network_room(*, actor: User, network: Network) -> Room:
    """The network's own room, created on first visit by one of its members."""
    ensure_can_act(actor, network)
    room = Room.objects.filter(network=network, event__isnull=True).first()
    if room is None:
        room = Room.objects.create(network=network)
    return room


# --- Chat


def _check_rate(actor: User) -> None:
    count, seconds = conf.rate_limit()
    window = int(timezone.now().timestamp() // seconds)
    key = f"live:rate:{actor.pk}:{window}"
    cache.add(key, 0, timeout=seconds * 2)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds * 2)
        sent = 1
    if sent > count:
        raise RateLimited(
            ngettext(
                "Slow down: at most %(count)d message every %(seconds)d seconds.",
                "Slow down: at most %(count)d messages every %(seconds)d seconds.",
                count,
            )
            % {"count": count, "seconds": seconds}
        )


def clean_body(body: str) -> str:
    text = "\n".join(line.rstrip() for line in body.replace("\r\n", "\n").split("\n")).strip()
    text = text.replace("\x00", "")
    if not text:
        raise DomainError(_("Write something first."))
    limit = conf.message_max_length()
    if len(text) > limit:
        raise DomainError(
            _("A message holds at most %(limit)d characters (this one has %(length)d).")
            % {"limit": limit, "length": len(text)}
        )
    return text


@serialised
def post_message(*, actor: User, room: Room, body: str) -> Message:
    """Post to the room. Refused to a muted member, to a flood (the rate limit, shared by
    every process through the cache) and to an empty or oversized text. The room row is
    locked so that ids commit in order: a client resuming "after id N" misses nothing."""
    text = clean_body(body)
    ensure_can_enter(actor, room)
    if is_muted(room, actor):
        raise PermissionDenied(_("A moderator muted you in this room for now."))
    _check_rate(actor)
    room = _locked(room)
    message = Message.objects.create(room=room, author=actor, body=text)
    _send(room.pk, {"type": "message", "message": serialise.message(message)})
    return message


@serialised
def toggle_reaction(*, actor: User, message: Message, emoji: str) -> dict[str, int]:
    """Add the reaction, or take it back if the member had given it; returns the counts."""
    if emoji not in REACTIONS:
        raise DomainError(_("This reaction is not available."))
    ensure_can_enter(actor, message.room)
    if message.is_deleted:
        raise Conflict(_("This message was deleted."))
    removed, _details = Reaction.objects.filter(message=message, member=actor, emoji=emoji).delete()
    if not removed:
        Reaction.objects.get_or_create(message=message, member=actor, emoji=emoji)
    counts = reaction_counts(message)
    _send(message.room_id, {"type": "reactions", "id": message.pk, "reactions": counts})
    return counts


def reaction_counts(message: Message) -> dict[str, int]:
    rows = (
        Reaction.objects.filter(message=message)
        .values("emoji")
        .annotate(count=Count("id"))
        .order_by("emoji")
    )
    return {row["emoji"]: row["count"] for row in rows}


# --- Moderation


@serialised
def delete_message(*, actor: User, message: Message) -> Message:
    """The author takes back their message, or a moderator removes it (audited)."""
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("room__event", "room__network")
        .get(pk=message.pk)
    )
    room = message.room
    if message.author_id != actor.pk:
        ensure_can_moderate(actor, room)
        ModerationAction.objects.create(
            room=room,
            actor=actor,
            kind=ModerationAction.Kind.DELETE,
            target_id=message.author_id,
            message=message,
            excerpt=message.body[:300],
        )
    else:
        ensure_can_enter(actor, room)
    if message.is_deleted:
        return message
    message.deleted_at = timezone.now()
    message.deleted_by = actor
    message.body = ""
    message.save(update_fields=["deleted_at", "deleted_by", "body"])
    Reaction.objects.filter(message=message).delete()
    _send(room.pk, {"type": "deleted", "id": message.pk})
    return message


def _sanction(*, actor: User, room: Room, member: User, kind: str, minutes: int | None) -> Sanction:
    ensure_can_moderate(actor, room)
    if member.pk == actor.pk:
        raise DomainError(_("You cannot sanction yourself."))
    until = None
    if minutes is not None:
        if not 1 <= minutes <= MAX_MUTE_MINUTES:
            raise DomainError(_("Choose a duration between one minute and one week."))
        until = timezone.now() + timedelta(minutes=minutes)
    Sanction.objects.filter(room=room, member=member, kind=kind, lifted_at__isnull=True).update(
        lifted_at=timezone.now()
    )
    sanction = Sanction.objects.create(room=room, member=member, kind=kind, until=until)
    ModerationAction.objects.create(room=room, actor=actor, kind=kind, target=member, until=until)
    return sanction


@serialised
def mute_member(*, actor: User, room: Room, member: User, minutes: int) -> Sanction:
    """The member still reads the room but cannot post until the time is up."""
    sanction = _sanction(
        actor=actor, room=room, member=member, kind=Sanction.Kind.MUTE, minutes=minutes
    )
    _send(
        room.pk,
        {
            "type": "sanction",
            "member": member.pk,
            "kind": "mute",
            "until": sanction.until.isoformat() if sanction.until else None,
        },
    )
    return sanction


@serialised
def ban_member(*, actor: User, room: Room, member: User) -> Sanction:
    """The member leaves the room and cannot come back until a moderator lifts the ban."""
    sanction = _sanction(
        actor=actor, room=room, member=member, kind=Sanction.Kind.BAN, minutes=None
    )
    Presence.objects.filter(room=room, member=member).delete()
    if room.host_id == member.pk:
        Room.objects.filter(pk=room.pk).update(host=actor)
    _send(room.pk, {"type": "sanction", "member": member.pk, "kind": "ban", "until": None})
    _send(room.pk, {"type": "presence", "left": member.pk})
    return sanction


@serialised
def lift_sanctions(*, actor: User, room: Room, member: User) -> int:
    ensure_can_moderate(actor, room)
    lifted = Sanction.objects.filter(room=room, member=member, lifted_at__isnull=True).update(
        lifted_at=timezone.now()
    )
    if lifted:
        ModerationAction.objects.create(
            room=room, actor=actor, kind=ModerationAction.Kind.LIFT, target=member
        )
    return lifted


# --- Watch party


def _player_changed(room: Room) -> None:
    _send(room.pk, {"type": "player", "player": serialise.player(room)})


@serialised
def start_watch_party(*, actor: User, room: Room, video_url: str) -> Room:
    """A moderator sets the film (a direct video file on an allow-listed host; the server
    never fetches it) and becomes its host. An empty address ends the watch party."""
    room = _locked(room)
    ensure_can_moderate(actor, room)
    video_url = video_url.strip()
    if video_url and not is_allowed_video(video_url):
        raise DomainError(
            _(
                "Only direct video files (.mp4, .webm, .ogv) over https from these sources "
                "are allowed: %(hosts)s."
            )
            % {"hosts": ", ".join(conf.video_hosts())}
        )
    room.video_url = video_url
    room.host = actor if video_url else None
    room.is_playing = False
    room.position = 0.0
    room.state_at = timezone.now()
    room.save(update_fields=["video_url", "host", "is_playing", "position", "state_at"])
    _player_changed(room)
    return room


@serialised
def control_player(*, actor: User, room: Room, action: str, position: float) -> Room:
    """The host plays, pauses or seeks; everyone's player follows. `position` is where the
    host's player stands, in seconds."""
    room = _locked(room)
    if not room.video_url:
        raise Conflict(_("No film is set for this room."))
    if room.host_id != actor.pk:
        raise PermissionDenied(_("Only the host controls the film."))
    if action not in PLAYER_ACTIONS:
        raise DomainError(_("Unknown player action."))
    if not 0 <= position <= MAX_POSITION:
        raise DomainError(_("This position is outside the film."))
    if action == "play":
        room.is_playing = True
    elif action == "pause":
        room.is_playing = False
    room.position = position
    room.state_at = timezone.now()
    room.save(update_fields=["is_playing", "position", "state_at"])
    _player_changed(room)
    return room


@serialised
def hand_over(*, actor: User, room: Room, member: User) -> Room:
    """The host (or a moderator) passes the remote to another member of the room."""
    room = _locked(room)
    if not room.video_url:
        raise Conflict(_("No film is set for this room."))
    if room.host_id != actor.pk:
        ensure_can_moderate(actor, room)
    if not can_enter(member, room):
        raise DomainError(_("This member cannot enter the room."))
    # Freeze the position where it is, so that the new host starts from the same place.
    now = timezone.now()
    room.position = room.position_at(now)
    room.state_at = now
    room.host = member
    room.save(update_fields=["host", "position", "state_at"])
    _player_changed(room)
    return room


# --- Presence and voice


def _presence_payload(member: User) -> dict[str, Any]:
    return {"id": member.pk, "name": member.public_name}


@serialised
def join(*, actor: User, room: Room, channel_name: str) -> Presence:
    ensure_can_enter(actor, room)
    presence, _created = Presence.objects.update_or_create(
        channel_name=channel_name,
        defaults={"room": room, "member": actor, "seen_at": timezone.now()},
    )
    _send(room.pk, {"type": "presence", "joined": _presence_payload(actor)})
    return presence


@serialised
def leave(*, channel_name: str) -> None:
    """The connection closed: forget it, and tell the room if the member has no other."""
    presence = Presence.objects.select_related("member").filter(channel_name=channel_name).first()
    if presence is None:
        return
    presence.delete()
    if presence.in_voice:
        _send(presence.room_id, {"type": "voice", "left": presence.pk})
    if not Presence.objects.filter(room_id=presence.room_id, member_id=presence.member_id).exists():
        _send(presence.room_id, {"type": "presence", "left": presence.member_id})


def touch(*, channel_name: str) -> None:
    """A ping from a live connection: it is still there."""
    Presence.objects.filter(channel_name=channel_name).update(seen_at=timezone.now())


@serialised
def join_voice(*, actor: User, presence: Presence) -> list[Presence]:
    """Enter the room's voice call (at most `LIVE_VOICE_MAX_PEERS` people); returns the
    peers already in it, whom the newcomer calls."""
    room = _locked(presence.room)
    ensure_can_enter(actor, room)
    if presence.member_id != actor.pk:
        raise PermissionDenied(_("This connection is not yours."))
    cutoff = timezone.now() - timedelta(seconds=conf.presence_timeout())
    peers = list(
        Presence.objects.filter(room=room, in_voice=True, seen_at__gte=cutoff)
        .exclude(pk=presence.pk)
        .select_related("member")
        .order_by("pk")
    )
    limit = conf.voice_max_peers()
    if len(peers) >= limit:
        raise Conflict(_("The voice room is full (%(limit)d people).") % {"limit": limit})
    Presence.objects.filter(pk=presence.pk).update(in_voice=True)
    presence.in_voice = True
    _send(
        room.pk,
        {"type": "voice", "joined": {"peer": presence.pk, **_presence_payload(actor)}},
    )
    return peers


@serialised
def leave_voice(*, presence: Presence) -> None:
    if Presence.objects.filter(pk=presence.pk, in_voice=True).update(in_voice=False):
        _send(presence.room_id, {"type": "voice", "left": presence.pk})
    presence.in_voice = False


def forget_stale_presences() -> int:
    """Periodic: connections of a process that stopped without closing them."""
    cutoff = timezone.now() - timedelta(seconds=conf.presence_timeout())
    deleted, _details = Presence.objects.filter(seen_at__lt=cutoff).delete()
    return deleted
