"""Sending to the clients connected to a room.

Each server process keeps in memory the open websockets of each room (a registry of
its own connections, nothing other processes need) and writes a room's frame to them in
one loop, with the JSON text encoded once per message. Between processes a room is one
Redis pub/sub channel: a message costs one PUBLISH, and each process that has clients in
the room receives it once, whatever their number. Without Redis (one process:
development, tests) publishing hands the frame to this process's event loop.

Services call `to_room` from `transaction.on_commit`, in a worker thread; delivery runs
on the event loop, in publishing order. A websocket frame holds one JSON object, or, when
several frames of a room queued up while the previous ones were being written (a busy
room), a JSON array of them: under load a client gets fewer, larger frames instead of
falling behind.

A connection registers before the consumer reads the room's history for its welcome
frame (and, with Redis, only once its process listens to the room), so a message
committed after that read always arrives live; one committed just before may arrive
twice, and clients drop ids they have.
"""

import asyncio
import json
import logging
import weakref
from dataclasses import dataclass, field
from typing import Any, Protocol

from contrechamp.live import conf, profiling, serialise

logger = logging.getLogger(__name__)

# The close code that tells a client to reconnect and resume after its last id.
RECONNECT = 4012
# At most this many frames of a room in one websocket frame (a JSON array).
MAX_BATCH = 200


class Listener(Protocol):
    """An open websocket in a room (the consumer)."""

    @property
    def member_id(self) -> int: ...

    @property
    def name(self) -> str: ...

    async def deliver(self, text: str) -> None: ...

    async def kick(self, code: int) -> None: ...


@dataclass(frozen=True)
class Frame:
    room_id: int
    text: str
    ban: int | None = None  # a member whose connections close after this frame
    player: bool = False  # each delivery adds the server time of that moment
    to: str | None = None  # only for this connection (a voice signal)

    def encode(self) -> str:
        return json.dumps([self.room_id, self.ban, self.player, self.to, self.text])

    @classmethod
    def decode(cls, data: bytes | str) -> "Frame":
        room_id, ban, player, to, text = json.loads(data)
        return cls(room_id=int(room_id), text=str(text), ban=ban, player=bool(player), to=to)


def frame_for(room_id: int, payload: dict[str, Any]) -> Frame:
    ban = None
    if payload.get("type") == "sanction" and payload.get("kind") == "ban":
        ban = int(payload["member"])
    return Frame(
        room_id=room_id, text=json.dumps(payload), ban=ban, player=payload.get("type") == "player"
    )


# --- The connections of one event loop (one per server process; tests start several)


@dataclass(eq=False)
class Hub:
    loop: asyncio.AbstractEventLoop
    rooms: dict[int, dict[Listener, None]] = field(default_factory=dict)
    queue: asyncio.Queue[Frame | None] = field(default_factory=asyncio.Queue)
    pump: asyncio.Task[None] | None = None
    bus: "Subscriber | None" = None

    def start(self) -> None:
        if self.pump is None or self.pump.done():
            self.pump = self.loop.create_task(self._pump())

    async def _pump(self) -> None:
        while True:
            frame = await self.queue.get()
            if frame is None:
                return
            # Frames that queued up while the previous ones were being written go out
            # together: one websocket frame per client for the lot.
            batch = [frame]
            while len(batch) < MAX_BATCH and not self.queue.empty():
                queued = self.queue.get_nowait()
                if queued is None:
                    self.queue.put_nowait(None)
                    break
                batch.append(queued)
            rooms: dict[int, list[Frame]] = {}
            for item in batch:
                rooms.setdefault(item.room_id, []).append(item)
            for room_id, frames in rooms.items():
                try:
                    await self.deliver(room_id, frames)
                except Exception:  # one faulty frame must not stop the room's deliveries
                    logger.exception("live room %s: delivery failed", room_id)
            # Sends to open sockets may complete without suspending: let the loop read
            # incoming frames between two deliveries.
            await asyncio.sleep(0)

    async def deliver(self, room_id: int, frames: list[Frame]) -> None:
        listeners = self.rooms.get(room_id)
        if not listeners:
            return
        for frame in frames:
            if frame.to is not None:
                for listener in list(listeners):
                    if listener.name == frame.to:
                        await listener.deliver(frame.text)
        frames = [frame for frame in frames if frame.to is None]
        if not frames:
            return
        texts = [frame.text for frame in frames]
        if any(frame.player for frame in frames):
            now = serialise.now()
            # A player frame is a JSON object: add this moment's server time before its end.
            texts = [
                f'{text[:-1]}, "server_time": {now}}}' if frame.player else text
                for frame, text in zip(frames, texts, strict=True)
            ]
        text = texts[0] if len(texts) == 1 else f"[{','.join(texts)}]"
        for listener in list(listeners):
            await listener.deliver(text)
        for ban in {frame.ban for frame in frames if frame.ban is not None}:
            for listener in list(listeners):
                if listener.member_id == ban:
                    await listener.kick(4403)

    def publish_here(self, frame: Frame) -> None:
        """From any thread: queue the frame on this loop."""
        if frame.room_id in self.rooms:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, frame)

    async def kick_all(self, code: int) -> None:
        for listeners in list(self.rooms.values()):
            for listener in list(listeners):
                await listener.kick(code)


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def _hub() -> Hub:
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub(loop=loop)
        profiling.start_if_asked(loop)
    hub.start()
    return hub


async def register(room_id: int, listener: Listener) -> None:
    """From now on the listener gets the room's frames (with Redis: once this process
    listens to the room's channel)."""
    hub = _hub()
    hub.rooms.setdefault(room_id, {})[listener] = None
    url = conf.bus_url()
    if url:
        if hub.bus is None or hub.bus.broken:
            hub.bus = Subscriber(hub, url)
        try:
            await hub.bus.subscribe(room_id)
        except BaseException:
            unregister(room_id, listener)
            raise


def unregister(room_id: int, listener: Listener) -> None:
    hub = _hubs.get(asyncio.get_running_loop())
    if hub is None:
        return
    listeners = hub.rooms.get(room_id)
    if listeners is None:
        return
    listeners.pop(listener, None)
    if not listeners:
        del hub.rooms[room_id]
        if hub.bus is not None and not hub.bus.broken:
            hub.loop.create_task(hub.bus.unsubscribe(room_id))


# --- Publishing (from the services, in a thread)


def to_room(room_id: int, payload: dict[str, Any]) -> None:
    """Send `payload` to every client of the room, in every process. `type: sanction,
    kind: ban` also closes the banned member's connections; `type: player` frames get
    the server time of their delivery."""
    publish(frame_for(room_id, payload))


def to_connection(room_id: int, name: str, payload: dict[str, Any]) -> None:
    """Send `payload` to one connection of the room (by its name), wherever it is open."""
    publish(Frame(room_id=room_id, text=json.dumps(payload), to=name))


def publish(frame: Frame) -> None:
    room_id = frame.room_id
    url = conf.bus_url()
    if not url:
        for hub in list(_hubs.values()):
            try:
                hub.publish_here(frame)
            except RuntimeError:  # that loop is closed
                continue
        return
    try:
        _publisher(url).publish(channel_name(url, room_id), frame.encode())
    except Exception:
        # The message is saved; clients get it when they next resume.
        logger.exception("live room %s: publishing failed", room_id)


_publishers: dict[str, Any] = {}


def _publisher(url: str) -> Any:
    client = _publishers.get(url)
    if client is None:
        import redis

        client = _publishers[url] = redis.Redis.from_url(url)
    return client


def channel_name(url: str, room_id: int) -> str:
    """Pub/sub channels are shared by every database of a Redis server: the name carries
    the database number and the site's prefix, so two sites (or test runs) never mix."""
    from redis.connection import parse_url

    database = parse_url(url).get("db", 0)  # type: ignore[no-untyped-call]  # redis-py: untyped
    return f"{conf.bus_prefix()}:{database}:live.room.{room_id}"


# --- Listening (one Redis connection per process)


class Subscriber:
    """This process's subscription to the rooms it has clients in. Subscribing and
    unsubscribing take turns, each waiting for Redis's confirmation, so a room is never
    left unheard while a client is in it. If the connection fails, every client of the
    process is told to reconnect (and resumes after its last id: nothing is lost)."""

    def __init__(self, hub: Hub, url: str) -> None:
        import redis.asyncio as aioredis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        self.hub = hub
        self.url = url
        # No silent reconnection: messages published meanwhile would be lost unseen.
        self.client = aioredis.Redis.from_url(url, retry=Retry(NoBackoff(), 0))
        self.pubsub = self.client.pubsub()
        self.lock = asyncio.Lock()
        self.listening: set[int] = set()
        self.confirmations: dict[tuple[str, str], asyncio.Future[None]] = {}
        self.reader: asyncio.Task[None] | None = None
        self.broken = False

    async def _confirmed(self, kind: str, room_id: int) -> None:
        name = channel_name(self.url, room_id)
        future = self.hub.loop.create_future()
        self.confirmations[(kind, name)] = future
        if kind == "subscribe":
            await self.pubsub.subscribe(name)
        else:
            await self.pubsub.unsubscribe(name)
        if self.reader is None:
            self.reader = self.hub.loop.create_task(self._read())
        try:
            await asyncio.wait_for(future, timeout=10)
        finally:
            self.confirmations.pop((kind, name), None)

    async def subscribe(self, room_id: int) -> None:
        async with self.lock:
            if self.broken:
                raise ConnectionError("the room bus is down")
            if room_id not in self.listening:
                await self._confirmed("subscribe", room_id)
                self.listening.add(room_id)

    async def unsubscribe(self, room_id: int) -> None:
        async with self.lock:
            if self.broken or room_id in self.hub.rooms or room_id not in self.listening:
                return
            try:
                await self._confirmed("unsubscribe", room_id)
            except Exception:
                logger.exception("live room %s: unsubscribing failed", room_id)
            self.listening.discard(room_id)

    async def _read(self) -> None:
        try:
            while True:
                message = await self.pubsub.get_message(timeout=None)
                if message is None:
                    continue
                kind = message["type"]
                if isinstance(kind, bytes):
                    kind = kind.decode()
                if kind == "message":
                    frame = Frame.decode(message["data"])
                    if frame.room_id in self.hub.rooms:
                        self.hub.queue.put_nowait(frame)
                    continue
                channel = message["channel"]
                name = channel.decode() if isinstance(channel, bytes) else str(channel)
                future = self.confirmations.get((kind, name))
                if future is not None and not future.done():
                    future.set_result(None)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("live rooms: the Redis subscription failed")
            await self._fail()

    async def _fail(self) -> None:
        self.broken = True
        for future in self.confirmations.values():
            if not future.done():
                future.set_exception(ConnectionError("the room bus is down"))
        self.listening.clear()
        await self.hub.kick_all(RECONNECT)
        try:
            await self.pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py: untyped
            await self.client.aclose()
        except Exception:  # already broken
            logger.debug("live rooms: closing the broken subscription failed", exc_info=True)
