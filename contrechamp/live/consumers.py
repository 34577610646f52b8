"""The room's websocket: chat, reactions, moderation, the watch party's remote and voice
signalling, all through the services the pages use.

Client → server frames (JSON objects with a "type"): post {body}, react {message, emoji},
delete {message}, mute {member, minutes}, ban {member}, player {action, position},
hand_over {member}, voice_join, voice_leave, signal {to, data}, ping {t}.
Server → client: welcome, history, message, reactions, deleted, sanction, player,
presence, voice, signal, pong, error {code, message}.

A websocket frame from the server holds one JSON object, or a JSON array of them when
a busy room's frames queued up (see broadcast.py). A refused or malformed frame gets an
"error" frame; the connection stays open.
"""

import json
import logging
import uuid
from typing import Any
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.core.errors import DomainError
from contrechamp.live import broadcast, conf, queries, serialise, services
from contrechamp.live.models import Message, Presence, Room
from contrechamp.live.permissions import can_enter, can_moderate, is_muted
from contrechamp.live.services import RateLimited

logger = logging.getLogger(__name__)

MAX_FRAME = 64 * 1024
MAX_SIGNAL = 32 * 1024
REFUSED = 4403


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 <= number < 2**62 else None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None


class RoomConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels is untyped
    # Frames reach the room's connections through `broadcast` (process-local fan-out and
    # Redis pub/sub), not through a channel layer: no layer, no per-connection receive loop.
    channel_layer_alias = "live-rooms-use-no-channel-layer"
    room: Room
    user: User
    presence: Presence | None = None
    pending: list[str] | None = None
    closed = False

    async def connect(self) -> None:
        user = self.scope.get("user")
        room_id = _int(self.scope["url_route"]["kwargs"].get("room_id"))
        room = await database_sync_to_async(queries.room)(room_id) if room_id else None
        if (
            room is None
            or not isinstance(user, User)
            or not await database_sync_to_async(can_enter)(user, room)
        ):
            await self.close(code=REFUSED)
            return
        self.room, self.user = room, user
        self.channel_name = f"live.{uuid.uuid4().hex}"
        await self.accept()
        # Frames published from here on are held until the welcome frame has gone.
        self.pending: list[str] | None = []
        try:
            await broadcast.register(room.pk, self)
        except Exception:
            logger.exception("live room %s: cannot listen to the room", room.pk)
            await self.close(code=broadcast.RECONNECT)
            return
        self.presence = await database_sync_to_async(services.join)(
            actor=user, room=room, channel_name=self.channel_name
        )
        await self.send_json(await database_sync_to_async(self._welcome)())
        await self._flush()

    def _welcome(self) -> dict[str, Any]:
        """Who is here, the player, and the messages: the latest page, or those after
        `?since=<id>` for a client that reconnects (it drops ids it already has)."""
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        after = _int(query.get("since", [""])[0])
        chunk = queries.since(self.room, after) if after is not None else queries.history(self.room)
        room = queries.room(self.room.pk) or self.room
        return {
            "type": "welcome",
            "me": {"id": self.user.pk, "name": self.user.public_name, "peer": self.presence_id},
            "moderator": can_moderate(self.user, room),
            "muted": is_muted(room, self.user),
            "present": [
                {"id": member.pk, "name": member.public_name}
                for member in queries.present_members(room)
            ],
            "voice": [
                {"peer": peer.pk, "id": peer.member_id, "name": peer.member.public_name}
                for peer in queries.voice_peers(room)
            ],
            "player": serialise.player(room),
            "server_time": serialise.now(),
            "resumed": after is not None,
            "messages": chunk.serialised(),
            "more": chunk.more,
            "ice_servers": conf.ice_servers(),
        }

    @property
    def presence_id(self) -> int | None:
        return self.presence.pk if self.presence else None

    async def disconnect(self, code: int) -> None:
        self.closed = True
        if hasattr(self, "room"):
            broadcast.unregister(self.room.pk, self)
        if self.presence is not None:
            self.presence = None
            await database_sync_to_async(services.leave)(channel_name=self.channel_name)

    # --- The room's frames (called by broadcast, on this connection's event loop)

    @property
    def member_id(self) -> int:
        return int(self.user.pk)

    @property
    def name(self) -> str:
        return str(self.channel_name)

    async def deliver(self, text: str) -> None:
        if self.closed:
            return
        if self.pending is not None:
            self.pending.append(text)
            return
        try:
            await self.send(text_data=text)
        except Exception:  # the socket went away under us: its disconnect cleans up
            self.closed = True

    async def kick(self, code: int) -> None:
        """Close this connection (a ban, or the process lost the room bus)."""
        broadcast.unregister(self.room.pk, self)
        if self.closed:
            return
        self.closed = True
        presence, self.presence = self.presence, None
        if presence is not None and code != REFUSED:  # a ban already removed the presence
            await database_sync_to_async(services.leave)(channel_name=self.channel_name)
        try:
            await self.close(code=code)
        except Exception:  # already gone
            logger.debug("live room %s: closing failed", self.room.pk, exc_info=True)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None or len(text_data) > MAX_FRAME:
            await self._error("too_large", _("This frame is too large."))
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self._error("malformed", _("This frame is not valid JSON."))
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if self.presence is None:
            return
        kind = content.get("type") if isinstance(content, dict) else None
        handler = getattr(self, f"_on_{kind}", None) if isinstance(kind, str) else None
        if handler is None:
            await self._error("unknown", _("Unknown frame type."))
            return
        # The answer to this frame goes before the room's frames it causes (as it would
        # through a channel layer): they wait until the handler is done.
        self.pending = []
        try:
            await self._handle(handler, content, kind)
        finally:
            await self._flush()

    async def _flush(self) -> None:
        while self.pending:
            text = self.pending.pop(0)
            if not self.closed:
                await self.send(text_data=text)
        self.pending = None

    async def _handle(self, handler: Any, content: dict[str, Any], kind: Any) -> None:
        try:
            await handler(content)
        except RateLimited as error:
            await self._error("rate_limited", str(error.message))
        except DomainError as error:
            await self._error("refused", str(error.message))
        except PermissionDenied as error:
            await self._error("forbidden", str(error) or _("You may not do this."))
        except Exception:  # a fault in one frame must not close everyone's room
            logger.exception("live room %s: frame %r failed", self.room.pk, kind)
            await self._error("fault", _("Something went wrong; try again."))

    async def _error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "code": code, "message": message})

    # --- Frames from the client

    async def _on_ping(self, content: dict[str, Any]) -> None:
        await database_sync_to_async(services.touch)(channel_name=self.channel_name)
        await self.send_json(
            {"type": "pong", "t": _float(content.get("t")), "server_time": serialise.now()}
        )

    async def _on_post(self, content: dict[str, Any]) -> None:
        body = content.get("body")
        if not isinstance(body, str):
            raise DomainError(_("Write something first."))
        if len(body) > conf.message_max_length() * 2:
            raise DomainError(_("This message is too long."))
        await database_sync_to_async(services.post_message)(
            actor=self.user, room=self.room, body=body
        )

    def _find_message(self, content: dict[str, Any]) -> Message:
        pk = _int(content.get("message"))
        found = queries.message_in(self.room, pk) if pk is not None else None
        if found is None:
            raise DomainError(_("This message is not in this room."))
        return found

    def _find_member(self, content: dict[str, Any]) -> User:
        pk = _int(content.get("member"))
        found = queries.member(pk) if pk is not None else None
        if found is None:
            raise DomainError(_("This member does not exist."))
        return found

    async def _on_react(self, content: dict[str, Any]) -> None:
        message = await database_sync_to_async(self._find_message)(content)
        emoji = content.get("emoji")
        await database_sync_to_async(services.toggle_reaction)(
            actor=self.user, message=message, emoji=emoji if isinstance(emoji, str) else ""
        )

    async def _on_delete(self, content: dict[str, Any]) -> None:
        message = await database_sync_to_async(self._find_message)(content)
        await database_sync_to_async(services.delete_message)(actor=self.user, message=message)

    async def _on_mute(self, content: dict[str, Any]) -> None:
        member = await database_sync_to_async(self._find_member)(content)
        minutes = _int(content.get("minutes"))
        if minutes is None:
            raise DomainError(_("Choose a duration between one minute and one week."))
        await database_sync_to_async(services.mute_member)(
            actor=self.user, room=self.room, member=member, minutes=minutes
        )

    async def _on_ban(self, content: dict[str, Any]) -> None:
        member = await database_sync_to_async(self._find_member)(content)
        await database_sync_to_async(services.ban_member)(
            actor=self.user, room=self.room, member=member
        )

    async def _on_player(self, content: dict[str, Any]) -> None:
        action = content.get("action")
        position = _float(content.get("position"))
        if not isinstance(action, str) or position is None:
            raise DomainError(_("Unknown player action."))
        await database_sync_to_async(services.control_player)(
            actor=self.user, room=self.room, action=action, position=position
        )

    async def _on_hand_over(self, content: dict[str, Any]) -> None:
        member = await database_sync_to_async(self._find_member)(content)
        await database_sync_to_async(services.hand_over)(
            actor=self.user, room=self.room, member=member
        )

    async def _on_voice_join(self, content: dict[str, Any]) -> None:
        assert self.presence is not None  # noqa: S101 - receive_json returns early otherwise
        peers = await database_sync_to_async(services.join_voice)(
            actor=self.user, presence=self.presence
        )
        await self.send_json(
            {
                "type": "voice",
                "peers": [
                    {"peer": peer.pk, "id": peer.member_id, "name": peer.member.public_name}
                    for peer in peers
                ],
            }
        )

    async def _on_voice_leave(self, content: dict[str, Any]) -> None:
        assert self.presence is not None  # noqa: S101 - receive_json returns early otherwise
        await database_sync_to_async(services.leave_voice)(presence=self.presence)

    async def _on_signal(self, content: dict[str, Any]) -> None:
        """Relay an offer, answer or ICE candidate to one named peer of this room's call."""
        assert self.presence is not None  # noqa: S101 - receive_json returns early otherwise
        data = content.get("data")
        target = _int(content.get("to"))
        if (
            not self.presence.in_voice
            or target is None
            or not isinstance(data, dict)
            or not ({"sdp", "candidate"} & data.keys())
            or len(json.dumps(data)) > MAX_SIGNAL
        ):
            raise DomainError(_("This signal cannot be relayed."))
        channel = await database_sync_to_async(queries.peer_channel)(self.room.pk, target)
        if channel is None:
            raise DomainError(_("This person is not in the voice room."))
        await sync_to_async(broadcast.to_connection)(
            self.room.pk, channel, {"type": "signal", "from": self.presence.pk, "data": data}
        )
