"""Two real server processes sharing Redis: a message sent through one reaches a client
of the other. Runs when Redis answers at LIVE_TEST_REDIS_URL (default database 9 of the
local server); skipped otherwise."""

import asyncio
import os
from pathlib import Path

import pytest

from contrechamp.live.testing import Client, Servers, manage, redis_answers, scene, server_env

REDIS_URL = os.environ.get("LIVE_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")

pytestmark = pytest.mark.skipif(not redis_answers(REDIS_URL), reason="no Redis to share")


def test_a_message_crosses_from_one_process_to_the_other(tmp_path: Path) -> None:
    env = server_env(
        database_url=f"sqlite:///{tmp_path / 'live.sqlite3'}", redis_url=REDIS_URL, var_dir=tmp_path
    )
    manage(env, "migrate", "--noinput", "-v0")
    room, cookies = scene(env, 2)
    with Servers(env, 2) as servers:
        first, second = servers.ports

        async def scenario() -> None:
            nora = await Client.connect(first, f"/ws/rooms/{room}/", cookies[0])
            juliette = await Client.connect(second, f"/ws/rooms/{room}/", cookies[1])
            await nora.until("welcome")
            await juliette.until("welcome")
            await nora.send({"type": "post", "body": "Bonsoir depuis le premier processus"})
            frame = await juliette.until("message")
            assert frame["message"]["html"] == "Bonsoir depuis le premier processus"
            await juliette.send({"type": "post", "body": "Reçu sur le second"})
            own, answer = await nora.until("message"), await nora.until("message")
            assert own["message"]["html"] == "Bonsoir depuis le premier processus"
            assert answer["message"]["html"] == "Reçu sur le second"
            # Forged room: the server refuses the handshake.
            with pytest.raises(ConnectionRefusedError):
                await Client.connect(first, "/ws/rooms/987654/", cookies[0])
            await nora.close()
            await juliette.close()

        asyncio.run(scenario())
