"""Real threads on a real database, released together: the voice room never holds more
than its limit, and simultaneous posts all land with distinct, ordered ids.

On PostgreSQL the threads queue on the room's row lock; on SQLite on the database's write
lock, with `serialised` retrying (see mentoring's concurrency tests for why the in-memory
test database needs those retries)."""

import pytest
from django.db import connection
from zeal import zeal_ignore

from contrechamp.core import transactions
from contrechamp.events.tests.test_rsvp_concurrency import (
    SQLITE_RETRIES_FOR_BUSY_TIMEOUT,
    crowd,
    run_at_once,
)
from contrechamp.live import services
from contrechamp.live.models import Message, Presence, Room

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 12


@pytest.fixture(autouse=True)
def _sqlite_waits_like_its_file_database(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor == "sqlite":
        monkeypatch.setattr(transactions, "LOCK_RETRIES", SQLITE_RETRIES_FOR_BUSY_TIMEOUT)


def test_twelve_people_joining_the_voice_room_at_once_never_exceed_eight(room: Room) -> None:
    people = crowd(PEOPLE)
    with zeal_ignore():
        presences = [
            services.join(actor=person, room=room, channel_name=f"channel.{number}")
            for number, person in enumerate(people)
        ]
    outcomes = run_at_once(
        PEOPLE,
        lambda n: services.join_voice(actor=people[n], presence=presences[n]),
    )
    assert sorted(outcomes) == ["conflict"] * 4 + ["ok"] * 8
    assert Presence.objects.filter(room=room, in_voice=True).count() == 8


def test_simultaneous_posts_all_land_in_order(room: Room) -> None:
    people = crowd(PEOPLE)
    outcomes = run_at_once(
        PEOPLE,
        lambda n: services.post_message(actor=people[n], room=room, body=f"bravo {n}"),
    )
    assert outcomes == ["ok"] * PEOPLE
    posted = Message.objects.filter(room=room).order_by("created_at", "pk")
    ids = list(posted.values_list("pk", flat=True))
    assert len(set(ids)) == PEOPLE and ids == sorted(ids)
