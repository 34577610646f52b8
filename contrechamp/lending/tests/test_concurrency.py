"""Real threads on a real database: no double booking and no double acceptance, and no
"database is locked" reaching a person."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from contrechamp.core import transactions
from contrechamp.core.errors import Conflict
from contrechamp.lending import services
from contrechamp.lending.models import Booking, Loan
from contrechamp.lending.tests.conftest import slot

ATTEMPTS = 50


def run_at_once(attempt):
    """Run `attempt(number)` in ATTEMPTS threads released together; collect the outcomes:
    "ok", "conflict" (the clear refusal: already booked, already accepted), "busy" (lock
    retries exhausted) or an unexpected exception's repr."""
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    record = threading.Lock()

    def worker(number):
        try:
            barrier.wait(timeout=30)
            attempt(number)
            outcome = "ok"
        except Conflict as error:
            # "Try again" after exhausting the lock retries is not the refusal we expect.
            outcome = "conflict" if "try again" not in str(error.message) else "busy"
        except Exception as error:  # any other failure is what this test looks for
            outcome = repr(error)
        finally:
            connection.close()
        with record:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_fifty_overlapping_bookings_at_once_let_exactly_one_through(camera, member):
    start, end = slot(hours=4)

    outcomes = run_at_once(
        lambda n: services.book_equipment(
            actor=member,
            item=camera,
            start=start + timedelta(minutes=n),
            end=end + timedelta(minutes=n),
        )
    )

    assert sorted(outcomes) == ["conflict"] * (ATTEMPTS - 1) + ["ok"]
    assert Booking.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_fifty_accepts_of_one_loan_at_once_accept_it_exactly_once(item, member, other_member):
    loan = services.request_loan(actor=other_member, item=item)

    outcomes = run_at_once(lambda _n: services.accept_loan(actor=member, loan=loan))

    assert sorted(outcomes) == ["conflict"] * (ATTEMPTS - 1) + ["ok"]
    loan.refresh_from_db()
    assert loan.status == Loan.Status.ACCEPTED
    assert loan.events.filter(action="accepted").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL exclusion constraint")
@pytest.mark.django_db
def test_the_database_itself_refuses_overlapping_bookings(camera, member):
    start, end = slot(hours=4)
    Booking.objects.create(item=camera, booked_by=member, start=start, end=end)

    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            item=camera, booked_by=member, start=start + timedelta(hours=1), end=end
        )

    Booking.objects.create(
        item=camera,
        booked_by=member,
        start=start,
        end=end,
        status=Booking.Status.CANCELLED,
    )
    assert Booking.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's lock errors")
@pytest.mark.django_db(transaction=True)
def test_a_locked_sqlite_database_is_retried_then_answered_as_a_conflict(monkeypatch):
    monkeypatch.setattr(transactions, "LOCK_BACKOFF", 0)
    calls = []

    @transactions.serialised
    def locked_twice():
        calls.append(1)
        if len(calls) <= 2:
            raise OperationalError("database is locked")
        return "done"

    @transactions.serialised
    def always_locked():
        raise OperationalError("database is locked")

    assert locked_twice() == "done"
    assert len(calls) == 3
    with pytest.raises(Conflict, match="try again"):
        always_locked()
