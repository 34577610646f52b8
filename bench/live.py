"""Live room delivery: one room, many connected clients, a steady flow of messages.

    python bench/live.py --database sqlite --clients 500 --rate 20 --seconds 20 --processes 1
    python bench/live.py --database sqlite --clients 500 --rate 20 --seconds 20 --processes 2
    python bench/live.py --database postgres --clients 500 --rate 20 --seconds 20 --processes 2

Starts `--processes` granian servers as `make run` does (two or more share the rooms
through Redis at BENCH_REDIS_URL, default redis://127.0.0.1:6379/10; one alone runs
without Redis), and connects the clients round-robin to them from `--client-processes`
separate processes (asyncio, a lean websocket reader: the clients must not be the
bottleneck). `--senders` members (each under the per-member rate limit) post `--rate`
messages per second in total; every message carries its send time, and every client
records its arrival: latency = sent → received on the same machine's clock (p50/p95/max
over every delivery), losses = deliveries expected minus received, after waiting for
stragglers. The target: zero lost, p95 under 250 ms.

`LIVE_PROFILE=<file prefix>` in the environment makes each server process write a
cProfile to `<prefix>-<pid>.prof` every 5 seconds (contrechamp/live/profiling.py).
"""

import argparse
import asyncio
import base64
import json
import multiprocessing
import os
import re
import statistics
import struct
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import database_url  # noqa: E402
from contrechamp.live.testing import Servers, manage, scene, server_env  # noqa: E402

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
BENCH = re.compile(rb"bench (\d+) (\d+\.\d+)")


class Socket:
    """A websocket client that reads in large chunks and looks for the bench marker in
    the raw text frames (no JSON decoding of the 10,000 frames a second)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, port: int, path: str, cookie: str) -> "Socket":
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

    def send(self, frame: dict[str, Any]) -> None:
        payload = json.dumps(frame).encode()
        length = len(payload)
        if length < 126:
            header = struct.pack("!BB", 0x81, 0x80 | length)
        else:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, length)
        self.writer.write(header + b"\0\0\0\0" + payload)  # a zero mask: payload as is

    async def frames(self) -> Any:
        """Yields the payload of each text frame (bytes) until the server closes."""
        buffer = b""
        while True:
            chunk = await self.reader.read(1 << 18)
            if not chunk:
                return
            buffer += chunk
            position = 0
            end = len(buffer)
            while end - position >= 2:
                first, second = buffer[position], buffer[position + 1]
                length, start = second & 0x7F, position + 2
                if length == 126:
                    if end - start < 2:
                        break
                    (length,) = struct.unpack_from("!H", buffer, start)
                    start += 2
                elif length == 127:
                    if end - start < 8:
                        break
                    (length,) = struct.unpack_from("!Q", buffer, start)
                    start += 8
                if end - start < length:
                    break
                opcode = first & 0x0F
                payload = buffer[start : start + length]
                position = start + length
                if opcode == 0x8:
                    return
                if opcode == 0x9:
                    self.writer.write(bytes([0x8A, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)
                elif opcode == 0x1:
                    yield payload
            buffer = buffer[position:]


async def client_process(
    pipe: Connection, ports: list[int], room: int, cookies: list[str], indices: list[int],
    senders: int, rate: float, seconds: float, worker: int, workers: int,
) -> None:  # fmt: skip
    path = f"/ws/rooms/{room}/"
    sockets: list[Socket] = []
    for start in range(0, len(indices), 25):
        batch = indices[start : start + 25]
        sockets.extend(
            await asyncio.gather(
                *(
                    Socket.connect(ports[i % len(ports)], path, cookies[i % len(cookies)])
                    for i in batch
                )
            )
        )
    latencies: list[float] = []
    received: dict[int, int] = {}
    refused: list[int] = []
    welcomed = asyncio.Event()
    welcomes = 0

    async def listen(socket: Socket, own: bool) -> None:
        nonlocal welcomes
        welcome = True
        async for payload in socket.frames():
            if welcome:
                welcome = False
                welcomes += 1
                if welcomes == len(sockets):
                    welcomed.set()
                continue
            # One frame, or a JSON array of them when the room is busy.
            if b'"type": "message"' in payload:
                now = time.time()
                for found in BENCH.finditer(payload):
                    latencies.append(now - float(found.group(2)))
                    number = int(found.group(1))
                    received[number] = received.get(number, 0) + 1
            if own and b'"type": "error"' in payload:
                refused.append(payload.count(b'"type": "error"'))

    tasks = [
        asyncio.create_task(listen(socket, index < senders)) for index, socket in enumerate(sockets)
    ]
    await asyncio.wait_for(welcomed.wait(), timeout=120)
    pipe.send("ready")
    await asyncio.get_running_loop().run_in_executor(None, pipe.recv)  # "go"
    sent: list[int] = []
    interval = 1 / rate
    begin = time.monotonic()
    count = 0
    while time.monotonic() - begin < seconds:
        number = count * workers + worker
        sockets[count % senders].send({"type": "post", "body": f"bench {number} {time.time():.6f}"})
        sent.append(number)
        count += 1
        await asyncio.sleep(max(0.0, begin + count * interval - time.monotonic()))
    pipe.send({"sent": sent, "refused": sum(refused)})
    expected: int = await asyncio.get_running_loop().run_in_executor(None, pipe.recv)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and sum(received.values()) < expected:
        await asyncio.sleep(0.2)
    for task in tasks:
        if task.done() and not task.cancelled() and task.exception():
            print("a client failed:", repr(task.exception()), file=sys.stderr)
        elif task.done():
            print("the server closed a client's connection", file=sys.stderr)
        task.cancel()
    for socket in sockets:
        socket.writer.close()
    pipe.send({"latencies": latencies, "received": sum(received.values())})


def run_client(pipe: Connection, *args: Any) -> None:
    asyncio.run(client_process(pipe, *args))


def run_clients(
    ports: list[int], room: int, cookies: list[str], *, clients: int, senders: int,
    rate: float, seconds: float, workers: int,
) -> dict[str, float]:  # fmt: skip
    pipes, processes = [], []
    for worker in range(workers):
        here, there = multiprocessing.Pipe()
        indices = list(range(worker, clients, workers))
        process = multiprocessing.Process(
            target=run_client,
            args=(there, ports, room, cookies, indices, max(1, senders // workers),
                  rate / workers, seconds, worker, workers),
        )  # fmt: skip
        process.start()
        pipes.append(here)
        processes.append(process)
    for pipe in pipes:
        assert pipe.recv() == "ready"
    for pipe in pipes:
        pipe.send("go")
    reports = [pipe.recv() for pipe in pipes]
    sent = sum(len(report["sent"]) for report in reports)
    refused = sum(report["refused"] for report in reports)
    for worker, pipe in enumerate(pipes):
        pipe.send((sent - refused) * len(range(worker, clients, workers)))
    results = [pipe.recv() for pipe in pipes]
    for process in processes:
        process.join()
    latencies = sorted(value for result in results for value in result["latencies"]) or [0.0]
    delivered = sum(result["received"] for result in results)
    expected = (sent - refused) * clients
    return {
        "clients": clients,
        "messages sent": sent,
        "refused by the server": refused,
        "deliveries expected": expected,
        "deliveries received": delivered,
        "lost": expected - delivered,
        "p50 ms": round(statistics.median(latencies) * 1000, 1),
        "p95 ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
        "max ms": round(latencies[-1] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--senders", type=int, default=24)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--redis", default=REDIS_URL)
    options = parser.parse_args()
    var_dir = ROOT / "var" / "bench" / "live"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = server_env(
        database_url=database_url(options.database, "live"),
        redis_url=options.redis if options.processes > 1 else None,
        var_dir=var_dir,
    )
    if os.environ.get("LIVE_PROFILE"):
        env["LIVE_PROFILE"] = os.environ["LIVE_PROFILE"]
    manage(env, "migrate", "--noinput", "-v0")
    room, cookies = scene(env, max(options.senders, 50))
    load = os.getloadavg()[0]
    with Servers(env, options.processes) as servers:
        result = run_clients(
            servers.ports, room, cookies, clients=options.clients, senders=options.senders,
            rate=options.rate, seconds=options.seconds, workers=options.client_processes,
        )  # fmt: skip
    summary = {
        "database": options.database,
        "processes": options.processes,
        "load average (start, end)": [round(load, 2), round(os.getloadavg()[0], 2)],
        **result,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
