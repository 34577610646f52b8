"""People coming to an event hear about it when its date or place changes."""

from dataclasses import replace
from datetime import timedelta

from contrechamp.accounts.models import User
from contrechamp.events.models import Event, Rsvp
from contrechamp.events.services import attendance, events
from contrechamp.events.services.events import EventDetails
from contrechamp.notifications.models import Notification


def changed_notices(member: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=member, kind="events.event_changed"))


def test_moving_a_published_event_tells_the_people_coming(
    event: Event, organiser: User, member: User
) -> None:
    attendance.rsvp(actor=member, event=event, status=Rsvp.Status.GOING)
    later = EventDetails.of(event)
    later = replace(
        later,
        starts_at=later.starts_at + timedelta(hours=1),
        ends_at=later.ends_at + timedelta(hours=1),
    )

    events.update_event(actor=organiser, event=event, details=later)

    [notice] = changed_notices(member)
    assert "is now on" in notice.title
    assert notice.url == event.get_absolute_url()
    assert changed_notices(organiser) == []  # nobody hears of their own change


def test_a_new_description_tells_nobody(event: Event, organiser: User, member: User) -> None:
    attendance.rsvp(actor=member, event=event, status=Rsvp.Status.GOING)

    events.update_event(
        actor=organiser,
        event=event,
        details=replace(EventDetails.of(event), description="Suivi d'un débat."),
    )

    assert changed_notices(member) == []


def test_moving_a_draft_tells_nobody(event: Event, organiser: User, member: User) -> None:
    attendance.rsvp(actor=member, event=event, status=Rsvp.Status.GOING)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    event.refresh_from_db()
    details = EventDetails.of(event)

    events.update_event(
        actor=organiser,
        event=event,
        details=replace(
            details,
            starts_at=details.starts_at + timedelta(days=1),
            ends_at=details.ends_at + timedelta(days=1),
        ),
    )

    assert changed_notices(member) == []
