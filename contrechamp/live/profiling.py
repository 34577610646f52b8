"""Profiling a server process under load: with `LIVE_PROFILE=<file prefix>` in its
environment, a server process profiles itself from its first room connection on and
writes `<prefix>-<pid>.prof` every 5 seconds (read it with `python -m pstats`). Used by
bench/live.py; off unless the variable is set."""

import asyncio
import cProfile
import os

_profiler: cProfile.Profile | None = None


def start_if_asked(loop: asyncio.AbstractEventLoop) -> None:
    global _profiler
    prefix = os.environ.get("LIVE_PROFILE")
    if not prefix or _profiler is not None:
        return
    _profiler = cProfile.Profile()
    _profiler.enable()
    path = f"{prefix}-{os.getpid()}.prof"

    def dump() -> None:
        if _profiler is not None:
            _profiler.dump_stats(path)  # this stops the profiler: start it again
            _profiler.enable()
        loop.call_later(5, dump)

    loop.call_later(5, dump)
