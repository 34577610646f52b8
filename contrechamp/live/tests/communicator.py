"""A websocket test client for the consumer, on asgiref's ApplicationCommunicator.

Channels' own `channels.testing` package imports daphne (for its live-server test case),
which this project does not install; this is the part of its WebsocketCommunicator the
tests need.
"""

import asyncio
import contextlib
import json
from typing import Any
from urllib.parse import unquote, urlsplit

from asgiref.testing import ApplicationCommunicator


class WebsocketCommunicator(ApplicationCommunicator):
    def __init__(self, application: Any, path: str) -> None:
        parts = urlsplit(path)
        self.scope: dict[str, Any] = {
            "type": "websocket",
            "path": unquote(parts.path),
            "query_string": parts.query.encode(),
            "headers": [],
            "subprotocols": [],
        }
        super().__init__(application, self.scope)
        self.unread: list[Any] = []

    async def connect(self, timeout: float = 2) -> tuple[bool, Any]:
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        return True, response.get("subprotocol")

    async def send_to(self, text_data: str) -> None:
        await self.send_input({"type": "websocket.receive", "text": text_data})

    async def send_json_to(self, data: Any) -> None:
        await self.send_to(json.dumps(data))

    async def receive_json_from(self, timeout: float = 2) -> Any:
        """The next frame; a busy room sends several as one JSON array, taken one by one."""
        if not self.unread:
            response = await self.receive_output(timeout)
            assert response["type"] == "websocket.send", response
            data = json.loads(response["text"])
            self.unread.extend(data if isinstance(data, list) else [data])
        return self.unread.pop(0)

    async def disconnect(self, code: int = 1000, timeout: float = 2) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        with contextlib.suppress(asyncio.CancelledError):
            await self.wait(timeout)
