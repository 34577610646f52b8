"""Real threads on a real database, released together: the last seat and the last shift
slot go to exactly one person, the count never exceeds the capacity, and no "database is
locked" reaches anyone.

On PostgreSQL the threads queue on the event's (or the shift's) row lock; on SQLite the
IMMEDIATE transactions queue on the database's write lock and `serialised` retries a
writer that waited past the busy timeout. The same tests run on both.

SQLite's test database lives in memory with a shared cache, where a writer that finds
the database taken is answered "database table is locked" at once instead of waiting up
to the busy timeout (20 s) as on the file database people use: on SQLite these tests
give `serialised` the retries that stand for that wait.
"""

import threading
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from contrechamp.accounts import code_of_conduct
from contrechamp.accounts.models import User
from contrechamp.core import transactions
from contrechamp.core.errors import Conflict
from contrechamp.events import attendance_setup
from contrechamp.events.models import Event, Rsvp, Shift, ShiftSignup
from contrechamp.events.services import attendance as services
from contrechamp.networks.models import Membership

CROWD = 200
VOLUNTEERS = 50

pytestmark = pytest.mark.django_db(transaction=True)


# Retries with the growing back-off of `serialised`: about the 20 s of the busy timeout.
SQLITE_RETRIES_FOR_BUSY_TIMEOUT = 25


@pytest.fixture(autouse=True)
def _kinds():
    attendance_setup.register()


@pytest.fixture(autouse=True)
def _sqlite_waits_like_its_file_database(monkeypatch):
    if connection.vendor == "sqlite":
        monkeypatch.setattr(transactions, "LOCK_RETRIES", SQLITE_RETRIES_FOR_BUSY_TIMEOUT)


def crowd(count, *, members_of=None):
    """`count` people who accepted the code of conduct (and joined `members_of`)."""
    people = User.objects.bulk_create(
        User(
            username=f"foule{n}",
            email=f"foule{n}@example.org",
            code_of_conduct_version=code_of_conduct.CURRENT_VERSION,
        )
        for n in range(count)
    )
    if members_of is not None:
        Membership.objects.bulk_create(
            Membership(
                network=members_of,
                user=person,
                status=Membership.Status.ACTIVE,
                joined_at=timezone.now(),
            )
            for person in people
        )
    return list(User.objects.filter(username__startswith="foule").order_by("pk"))


def run_at_once(attempts, attempt):
    """Run `attempt(number)` in `attempts` threads released together; collect what each
    saw: the returned value's `status` or "ok", "conflict" (a clear refusal), "busy"
    (lock retries exhausted) or an unexpected exception's repr."""
    barrier = threading.Barrier(attempts)
    outcomes: list[str] = []
    record = threading.Lock()

    def worker(number):
        try:
            barrier.wait(timeout=60)
            result = attempt(number)
            outcome = getattr(result, "status", "ok")
        except Conflict as error:
            outcome = "conflict" if "try again" not in str(error.message) else "busy"
        except Exception as error:  # any other failure is what this test looks for
            outcome = repr(error)
        finally:
            connection.close()
        with record:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return outcomes


def hold_row_lock(model, pk):
    """Lock one row from another connection until the returned callable is called: the
    position of someone else's transaction in the middle of taking a seat."""
    locked, release = threading.Event(), threading.Event()

    def holder():
        try:
            with transaction.atomic():
                model.objects.select_for_update(no_key=True).get(pk=pk)
                locked.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert locked.wait(timeout=60)

    def done():
        release.set()
        thread.join(timeout=60)

    return done


@pytest.fixture
def short_lock_timeout():
    """Waiting for a row lock fails after a moment instead of waiting for its release."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '200ms'")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks")
def test_an_answer_waits_for_whoever_holds_the_event_row(event, member, short_lock_timeout):
    release = hold_row_lock(Event, event.pk)
    try:
        with pytest.raises(OperationalError, match="lock timeout"):
            services.rsvp(actor=member, event=event, status=Rsvp.Status.GOING)
    finally:
        release()

    assert not Rsvp.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks")
def test_a_sign_up_waits_for_whoever_holds_the_shift_row(event, member, short_lock_timeout):
    shift = Shift.objects.create(
        event=event,
        role=Shift.Role.WELCOME,
        starts_at=event.starts_at - timedelta(hours=1),
        ends_at=event.starts_at,
        slots=1,
    )
    release = hold_row_lock(Shift, shift.pk)
    try:
        with pytest.raises(OperationalError, match="lock timeout"):
            services.sign_up(actor=member, shift=shift)
    finally:
        release()

    assert not ShiftSignup.objects.exists()


def test_two_hundred_people_answering_for_the_last_seat_at_once_give_it_to_exactly_one(event):
    event.capacity = 1
    event.save(update_fields=["capacity"])
    people = crowd(CROWD)

    outcomes = run_at_once(
        CROWD,
        lambda n: services.rsvp(actor=people[n], event=event, status=Rsvp.Status.GOING),
    )

    assert sorted(outcomes) == [Rsvp.Status.GOING] + [Rsvp.Status.WAITLISTED] * (CROWD - 1)
    assert Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).count() == 1
    waiting = Rsvp.objects.filter(event=event, status=Rsvp.Status.WAITLISTED)
    assert waiting.count() == CROWD - 1
    assert waiting.values("waitlisted_at").distinct().count() == CROWD - 1


def test_cancellations_and_answers_racing_never_oversubscribe_nor_leave_a_seat_idle(event):
    event.capacity = 10
    event.save(update_fields=["capacity"])
    people = crowd(CROWD)
    holders, newcomers = people[:10], people[10:]
    for person in holders:
        services.rsvp(actor=person, event=event, status=Rsvp.Status.GOING)

    def act(number):
        if number < len(holders):
            return services.rsvp(actor=holders[number], event=event, status=Rsvp.Status.CANCELLED)
        return services.rsvp(
            actor=newcomers[number - len(holders)], event=event, status=Rsvp.Status.GOING
        )

    outcomes = run_at_once(CROWD, act)

    assert set(outcomes) <= {Rsvp.Status.GOING, Rsvp.Status.WAITLISTED, Rsvp.Status.CANCELLED}
    going = Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).count()
    waiting = Rsvp.objects.filter(event=event, status=Rsvp.Status.WAITLISTED).count()
    assert going == 10
    assert going + waiting == len(newcomers)


def test_fifty_volunteers_signing_up_for_the_last_slot_at_once_leave_exactly_one_in(event, club):
    shift = Shift.objects.create(
        event=event,
        role=Shift.Role.PROJECTION,
        starts_at=event.starts_at - timedelta(minutes=30),
        ends_at=event.ends_at,
        slots=1,
    )
    people = crowd(VOLUNTEERS, members_of=club)

    outcomes = run_at_once(VOLUNTEERS, lambda n: services.sign_up(actor=people[n], shift=shift))

    assert sorted(outcomes) == ["conflict"] * (VOLUNTEERS - 1) + ["ok"]
    assert ShiftSignup.objects.filter(shift=shift).count() == 1
