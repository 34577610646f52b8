"""Real servers and real websocket clients for the cross-process test and the bench.

`Servers` starts granian processes the way `make run` does (ASGI interface), on one
database and one Redis; `scene` fills the database with a room and signed-in sessions;
`Client` is a small RFC 6455 websocket client on asyncio streams (text frames only).
"""

import asyncio
import base64
import contextlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except Exception:  # any failure means: no Redis to test with
        return False


def server_env(*, database_url: str, redis_url: str | None, var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CONTRECHAMP_", "DATABASE_URL", "REDIS_URL", "PYTEST"))
    }
    env |= {
        "DATABASE_URL": database_url,
        "CONTRECHAMP_VAR_DIR": str(var_dir),
        "CONTRECHAMP_DEBUG": "0",
        "CONTRECHAMP_HTTPS": "0",
        "CONTRECHAMP_ALLOWED_HOSTS": "127.0.0.1",
        "CONTRECHAMP_SECRET_KEY": "live-servers-only-secret-key-0123456789-abcdefghijklmnop",
        "CONTRECHAMP_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "contrechamp.settings",
        "PYTHONUNBUFFERED": "1",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


SCENE = """
import json, sys
from datetime import timedelta
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from contrechamp.accounts import code_of_conduct
from contrechamp.accounts.models import User
from contrechamp.events.models import Event
from contrechamp.live import services
from contrechamp.networks import services as networks
from contrechamp.networks.models import Network

count = int(sys.argv[1])
accepted = {"code_of_conduct_version": code_of_conduct.CURRENT_VERSION}
host, _ = User.objects.get_or_create(
    username="live-host", defaults={"display_name": "Hôte", **accepted})
network = Network.objects.filter(slug__startswith="salle-live").first() or networks.create_network(
    actor=host, name="Salle live", kind=Network.Kind.CINE_CLUB,
    join_policy=Network.JoinPolicy.OPEN, is_online=True)
now = timezone.now()
event = Event.objects.filter(network=network).first() or Event.objects.create(
    network=network, kind=Event.Kind.SCREENING, title="Séance live", starts_at=now,
    ends_at=now + timedelta(hours=2), status=Event.Status.PUBLISHED, published_at=now,
    created_by=host)
room = services.open_event_room(actor=host, event=event)
cookies = []
for number in range(count):
    user, _ = User.objects.get_or_create(
        username=f"live-{number}", defaults={"display_name": f"Membre {number}", **accepted})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
print(json.dumps({"room": room.pk, "cookies": cookies}))
"""


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(  # noqa: S603 - our own manage.py, arguments from our code
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def scene(env: dict[str, str], members: int) -> tuple[int, list[str]]:
    """A public event's room and `members` signed-in sessions (one cookie each)."""
    output = subprocess.run(  # noqa: S603 - our own script above
        [sys.executable, "-c", SCENE, str(members)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(output.strip().splitlines()[-1])
    return int(data["room"]), list(data["cookies"])


@dataclass
class Servers:
    env: dict[str, str]
    count: int
    ports: list[int] = field(default_factory=list)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def __enter__(self) -> "Servers":
        granian = Path(sys.executable).with_name("granian")
        for _ in range(self.count):
            port = free_port()
            self.ports.append(port)
            command = [str(granian), "--interface", "asginl", "--host", "127.0.0.1",
                       "--port", str(port), "--log-level", "warning",
                       "contrechamp.asgi:application"]  # fmt: skip
            # The server of the virtualenv, started as `make run` starts it.
            # Its own process group: granian's workers stop with it.
            self.processes.append(
                subprocess.Popen(  # noqa: S603
                    command,
                    cwd=ROOT,
                    env=self.env,
                    stdout=None if os.environ.get("LIVE_SERVER_OUTPUT") else subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
        for port, process in zip(self.ports, self.processes, strict=True):
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/healthz", timeout=1
                    ) as response:
                        if response.status == 200:
                            break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"the server on port {port} did not start") from None
                    time.sleep(0.2)
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


class Client:
    """One websocket connection to a room."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.unread: list[dict[str, Any]] = []

    @classmethod
    async def connect(cls, port: int, path: str, cookie: str) -> "Client":
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**22)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                f"Sec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:{port}\r\n"
                f"Cookie: {cookie}\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            writer.close()
            raise ConnectionRefusedError(head.split(b"\r\n", 1)[0].decode())
        return cls(reader, writer)

    async def send(self, frame: dict[str, Any]) -> None:
        payload = json.dumps(frame).encode()
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            header = struct.pack("!BB", 0x81, 0x80 | length)
        elif length < 2**16:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, length)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, length)
        masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
        self.writer.write(header + mask + masked)
        await self.writer.drain()

    async def receive(self) -> dict[str, Any] | None:
        """The next JSON frame (a busy room sends several as one array), or None when the
        server closes."""
        if self.unread:
            return self.unread.pop(0)
        data = b""
        while True:
            first, second = await self.reader.readexactly(2)
            length = second & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", await self.reader.readexactly(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
            payload = await self.reader.readexactly(length)
            opcode = first & 0x0F
            if opcode == 0x8:
                return None
            if opcode == 0x9:  # ping: answer pong with the same payload
                self.writer.write(bytes([0x8A, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)
                continue
            data += payload
            if first & 0x80:
                frames = json.loads(data)
                if not isinstance(frames, list):
                    return dict(frames)
                self.unread.extend(dict(frame) for frame in frames)
                return self.unread.pop(0) if self.unread else await self.receive()

    async def until(self, kind: str, timeout: float = 5) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.receive()
                if frame is None:
                    raise ConnectionError("closed")
                if frame["type"] == kind:
                    return frame

    async def close(self) -> None:
        self.writer.write(bytes([0x88, 0x82]) + b"\0\0\0\0" + struct.pack("!H", 1000))
        try:
            await self.writer.drain()
        finally:
            self.writer.close()
