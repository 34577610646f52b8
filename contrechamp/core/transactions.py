"""Writes that must not fail when SQLite is busy.

On SQLite a writer that waited past the busy timeout gets "database is locked": the
services that many people may call at the same moment (booking the last seat, borrowing
the last copy) are wrapped in `serialised`, which retries a few times and then answers
with a Conflict a person can read, never an error page. On PostgreSQL it is one
transaction; row locks do the queueing.
"""

import functools
import random
import time
from collections.abc import Callable

from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from contrechamp.core.errors import Conflict

LOCK_RETRIES = 10
LOCK_BACKOFF = 0.05  # seconds


def serialised[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` in a transaction of its own, retried when SQLite reports the database
    locked; after `LOCK_RETRIES` attempts the person is told to try again (Conflict).

    Inside an outer transaction it simply joins it: the outer caller owns the retry."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if connection.in_atomic_block:
            with transaction.atomic():
                return function(*args, **kwargs)
        for attempt in range(LOCK_RETRIES):
            try:
                with transaction.atomic():
                    return function(*args, **kwargs)
            except OperationalError as error:
                if connection.vendor != "sqlite" or "is locked" not in str(error):
                    raise
            # Back off a little, with jitter, so that retrying writers do not collide again.
            time.sleep(LOCK_BACKOFF * (attempt + 1) * (1 + random.random()))  # noqa: S311
        raise Conflict(_("Many people are acting at this very moment: please try again."))

    return wrapper
