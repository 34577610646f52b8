"""Real threads on a real database, released together: a mentor's capacity is never
exceeded, however many acceptances (or requests) arrive at the same moment.

On PostgreSQL the threads queue on the mentor profile's row lock; on SQLite the
IMMEDIATE transactions queue on the database's write lock and `serialised` retries a
writer that waited past the busy timeout. The same tests run on both.

SQLite's test database lives in memory with a shared cache, where a writer that finds
the database taken is answered "database table is locked" at once instead of waiting up
to the busy timeout as on the file database people use: on SQLite these tests give
`serialised` the retries that stand for that wait (as the events tests do).
"""

import pytest
from django.db import OperationalError, connection
from zeal import zeal_ignore

from contrechamp.core import transactions
from contrechamp.events.tests.test_rsvp_concurrency import (
    SQLITE_RETRIES_FOR_BUSY_TIMEOUT,
    crowd,
    hold_row_lock,
    run_at_once,
    short_lock_timeout,  # noqa: F401 - a fixture
)
from contrechamp.mentoring import services
from contrechamp.mentoring.models import MentoringProfile, Mentorship
from contrechamp.mentoring.tests.conftest import make_mentor

pytestmark = pytest.mark.django_db(transaction=True)

ASKERS = 30


@pytest.fixture(autouse=True)
def _sqlite_waits_like_its_file_database(monkeypatch):
    if connection.vendor == "sqlite":
        monkeypatch.setattr(transactions, "LOCK_RETRIES", SQLITE_RETRIES_FOR_BUSY_TIMEOUT)


@pytest.fixture
def requests_waiting(other_member, projection):
    """Nora mentors with two places; thirty people have asked her."""
    make_mentor(other_member, [projection], capacity=2)
    people = crowd(ASKERS)
    with zeal_ignore():
        return [
            services.request_mentorship(actor=person, mentor=other_member, skill=projection)
            for person in people
        ]


def test_thirty_acceptances_at_once_never_exceed_the_capacity(other_member, requests_waiting):
    outcomes = run_at_once(
        ASKERS,
        lambda n: services.accept_mentorship(actor=other_member, mentorship=requests_waiting[n]),
    )

    assert sorted(outcomes) == [Mentorship.Status.ACTIVE] * 2 + ["conflict"] * (ASKERS - 2)
    active = Mentorship.objects.filter(mentor=other_member, status=Mentorship.Status.ACTIVE)
    assert active.count() == 2
    assert Mentorship.objects.filter(status=Mentorship.Status.REQUESTED).count() == ASKERS - 2


def test_requests_and_acceptances_racing_keep_the_count_within_capacity(
    other_member, projection, requests_waiting
):
    late = [m.mentee for m in requests_waiting[:10]]
    with zeal_ignore():
        for mentorship in requests_waiting[:10]:
            services.withdraw_request(actor=mentorship.mentee, mentorship=mentorship)

    def act(number):
        if number < 10:
            return services.request_mentorship(
                actor=late[number], mentor=other_member, skill=projection
            )
        return services.accept_mentorship(actor=other_member, mentorship=requests_waiting[number])

    outcomes = run_at_once(ASKERS, act)

    assert set(outcomes) <= {Mentorship.Status.ACTIVE, Mentorship.Status.REQUESTED, "conflict"}
    assert outcomes.count(Mentorship.Status.ACTIVE) == 2
    assert (
        Mentorship.objects.filter(mentor=other_member, status=Mentorship.Status.ACTIVE).count() == 2
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks")
def test_an_acceptance_waits_for_whoever_holds_the_mentor_profile(
    other_member,
    requests_waiting,
    short_lock_timeout,  # noqa: F811
):
    profile = MentoringProfile.objects.get(user=other_member)
    release = hold_row_lock(MentoringProfile, profile.pk)
    try:
        with pytest.raises(OperationalError, match="lock timeout"):
            services.accept_mentorship(actor=other_member, mentorship=requests_waiting[0])
    finally:
        release()

    assert not Mentorship.objects.filter(status=Mentorship.Status.ACTIVE).exists()
