"""The day before: people going and volunteers hear about it once, whatever the runs."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core import periodic
from contrechamp.events import attendance_setup
from contrechamp.events.models import Event, Rsvp, Shift, ShiftSignup
from contrechamp.events.services import attendance as services
from contrechamp.notifications.models import Notification


@pytest.fixture(autouse=True)
def _kinds():
    attendance_setup.register()


def the_day_before(event):
    return time_machine.travel(event.starts_at - timedelta(hours=20))


def answered(event, *statuses):
    """One new person per status, with that answer for `event` (written directly)."""
    with zeal_ignore():
        people = [UserFactory.create(username=f"invite{n}") for n in range(len(statuses))]
    Rsvp.objects.bulk_create(
        Rsvp(
            event=event,
            member=person,
            status=status,
            waitlisted_at=event.created_at if status == Rsvp.Status.WAITLISTED else None,
        )
        for person, status in zip(people, statuses, strict=True)
    )
    return people


def volunteers(shift, count, *, start=0):
    with zeal_ignore():
        people = [UserFactory.create(username=f"benevole{n}") for n in range(start, start + count)]
    ShiftSignup.objects.bulk_create(ShiftSignup(shift=shift, volunteer=p) for p in people)
    return people


@pytest.fixture
def shift(event):
    return Shift.objects.create(
        event=event,
        role=Shift.Role.PROJECTION,
        starts_at=event.starts_at - timedelta(minutes=30),
        ends_at=event.ends_at,
        slots=3,
    )


def test_the_jobs_are_registered():
    names = {job.name for job in periodic.jobs()}

    assert {"events.event_reminders", "events.shift_reminders"} <= names


def test_people_going_are_reminded_once_the_day_before(event):
    going, *_others = answered(
        event, Rsvp.Status.GOING, Rsvp.Status.MAYBE, Rsvp.Status.WAITLISTED, Rsvp.Status.CANCELLED
    )

    with the_day_before(event):
        first = services.send_event_reminders()
        second = services.send_event_reminders()

    assert (first, second) == (1, 0)
    reminder = Notification.objects.get(kind="events.event_reminder")
    assert reminder.recipient == going
    assert event.title in reminder.title
    assert "Médiathèque du Bachut" in reminder.body
    assert reminder.url == event.get_absolute_url()
    assert Rsvp.objects.get(member=going).reminded_at is not None


def test_nobody_is_reminded_a_week_ahead(event):
    answered(event, Rsvp.Status.GOING)

    assert services.send_event_reminders() == 0
    assert not Notification.objects.exists()


def test_nobody_is_reminded_of_a_cancelled_or_draft_event_nor_after_it_started(event):
    answered(event, Rsvp.Status.GOING)

    for status in (Event.Status.CANCELLED, Event.Status.DRAFT):
        Event.objects.filter(pk=event.pk).update(status=status)
        with the_day_before(event):
            assert services.send_event_reminders() == 0
    Event.objects.filter(pk=event.pk).update(status=Event.Status.PUBLISHED)
    with time_machine.travel(event.starts_at + timedelta(minutes=10)):
        assert services.send_event_reminders() == 0

    assert not Notification.objects.exists()


def test_someone_promoted_after_the_reminders_went_out_is_reminded_at_the_next_run(event):
    event.capacity = 1
    event.save(update_fields=["capacity"])
    with zeal_ignore():
        first, second = (
            UserFactory.create(username="premier"),
            UserFactory.create(username="second"),
        )
    services.rsvp(actor=first, event=event, status=Rsvp.Status.GOING)
    services.rsvp(actor=second, event=event, status=Rsvp.Status.GOING)

    with the_day_before(event):
        assert services.send_event_reminders() == 1
        services.rsvp(actor=first, event=event, status=Rsvp.Status.CANCELLED)
        assert services.send_event_reminders() == 1

    reminded = Notification.objects.filter(kind="events.event_reminder")
    assert sorted(n.recipient_id for n in reminded) == sorted([first.pk, second.pk])


def test_volunteers_are_reminded_once_the_day_before(event, shift):
    helpers = volunteers(shift, 2)

    with the_day_before(event):
        first = services.send_shift_reminders()
        second = services.send_shift_reminders()

    assert (first, second) == (2, 0)
    reminders = Notification.objects.filter(kind="events.shift_reminder")
    assert {n.recipient_id for n in reminders} == {p.pk for p in helpers}
    assert all("Projection" in n.title for n in reminders)


def test_volunteers_of_a_cancelled_event_are_not_reminded(event, shift):
    volunteers(shift, 1)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)

    with the_day_before(event):
        assert services.send_shift_reminders() == 0


def queries_of(run):
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def test_a_reminder_run_costs_two_queries_per_person_never_one_per_event(event, shift):
    """Each person reminded costs their delivery choice and their notification row; the
    events, shifts and languages come with the one query that finds what is due."""
    shift.slots = 10
    shift.save(update_fields=["slots"])
    few = answered(event, Rsvp.Status.GOING, Rsvp.Status.GOING)
    ShiftSignup.objects.bulk_create(ShiftSignup(shift=shift, volunteer=p) for p in few)
    with the_day_before(event):
        for_two = (
            queries_of(services.send_event_reminders),
            queries_of(services.send_shift_reminders),
        )
    Rsvp.objects.update(reminded_at=None)
    ShiftSignup.objects.update(reminded_at=None)
    with zeal_ignore():
        more = [UserFactory.create(username=f"retard{n}") for n in range(4)]
    Rsvp.objects.bulk_create(Rsvp(event=event, member=p, status=Rsvp.Status.GOING) for p in more)
    ShiftSignup.objects.bulk_create(ShiftSignup(shift=shift, volunteer=p) for p in more)

    with the_day_before(event):
        for_six = (
            queries_of(services.send_event_reminders),
            queries_of(services.send_shift_reminders),
        )

    assert for_six[0] - for_two[0] == 2 * len(more)
    assert for_six[1] - for_two[1] == 2 * len(more)
