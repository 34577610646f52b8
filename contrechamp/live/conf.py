"""The live app's settings, read in one place with their defaults.

LIVE_MESSAGE_MAX_LENGTH = 1000          # characters in one chat message
LIVE_RATE_LIMIT = (5, 5)                # at most 5 messages per 5 seconds per member
LIVE_VOICE_MAX_PEERS = 8                # people in a room's voice call
LIVE_VIDEO_HOSTS = ["upload.wikimedia.org", "archive.org", "*.archive.org"]
LIVE_ICE_SERVERS = [{"urls": ["stun:stun.l.google.com:19302"]}]   # add your TURN server
LIVE_PRESENCE_TIMEOUT = 90              # seconds without a ping before a client is gone
LIVE_REDIS_URL = REDIS_URL              # the rooms' pub/sub between processes (none: one process)
LIVE_BUS_PREFIX = "contrechamp"         # pub/sub channel prefix (sites sharing a Redis server)
"""

from typing import Any

from django.conf import settings

VIDEO_EXTENSIONS = (".mp4", ".webm", ".ogv")


def message_max_length() -> int:
    return int(getattr(settings, "LIVE_MESSAGE_MAX_LENGTH", 1000))


def rate_limit() -> tuple[int, int]:
    count, seconds = getattr(settings, "LIVE_RATE_LIMIT", (5, 5))
    return int(count), int(seconds)


def voice_max_peers() -> int:
    return int(getattr(settings, "LIVE_VOICE_MAX_PEERS", 8))


def video_hosts() -> list[str]:
    hosts = getattr(
        settings, "LIVE_VIDEO_HOSTS", ["upload.wikimedia.org", "archive.org", "*.archive.org"]
    )
    return [str(host).lower() for host in hosts]


def ice_servers() -> list[dict[str, Any]]:
    servers: list[dict[str, Any]] = getattr(
        settings, "LIVE_ICE_SERVERS", [{"urls": ["stun:stun.l.google.com:19302"]}]
    )
    return servers


def presence_timeout() -> int:
    return int(getattr(settings, "LIVE_PRESENCE_TIMEOUT", 90))


def bus_url() -> str | None:
    """Redis for the rooms' frames between server processes; None: this process alone."""
    url = getattr(settings, "LIVE_REDIS_URL", None) or getattr(settings, "REDIS_URL", None)
    return str(url) if url else None


def bus_prefix() -> str:
    return str(getattr(settings, "LIVE_BUS_PREFIX", "contrechamp"))
