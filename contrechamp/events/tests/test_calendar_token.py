"""A member's own calendar: the secret address, what it holds, and resetting it."""

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import icalendar
import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from zeal import zeal_ignore

from contrechamp.events.models import CalendarToken, Event, Rsvp, Shift, ShiftSignup
from contrechamp.events.services import calendar as services
from contrechamp.events.tests.conftest import next_week_at
from contrechamp.networks import services as network_services

pytestmark = pytest.mark.django_db

HOST = urlsplit(settings.SITE_URL).hostname


def feed_url(token: str) -> str:
    return reverse("events:member_ics", args=[token])


def summaries(response) -> dict[str, Any]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(vevent["summary"]): vevent for vevent in calendar.walk("VEVENT")}


def another_event(club, venue, title: str, *, days: int = 10, **fields) -> Event:
    return Event.objects.create(
        network=club,
        kind=Event.Kind.SCREENING,
        title=title,
        venue=venue,
        starts_at=next_week_at(20, days=days),
        ends_at=next_week_at(22, days=days),
        status=fields.pop("status", Event.Status.PUBLISHED),
        published_at=timezone.now(),
        **fields,
    )


def answer(event: Event, member, status: str) -> Rsvp:
    waitlisted_at = timezone.now() if status == Rsvp.Status.WAITLISTED else None
    return Rsvp.objects.create(
        event=event, member=member, status=status, waitlisted_at=waitlisted_at
    )


# The token


def test_the_token_is_made_on_first_use_then_kept(member):
    first = services.calendar_token_for(member)
    again = services.calendar_token_for(member)

    assert first == again
    assert len(first.token) >= 43
    assert CalendarToken.objects.count() == 1


def test_every_member_gets_a_different_token(member, organiser):
    assert services.calendar_token_for(member).token != services.calendar_token_for(organiser).token


def test_an_anonymous_visitor_has_no_calendar_address(db):
    with pytest.raises(PermissionDenied):
        services.calendar_token_for(AnonymousUser())  # type: ignore[arg-type]


def test_resetting_gives_a_new_token(member):
    old = services.calendar_token_for(member).token

    new = services.reset_calendar_token(actor=member)

    assert new.token != old
    assert CalendarToken.objects.get().token == new.token


def test_resetting_before_any_visit_makes_the_first_token(member):
    token = services.reset_calendar_token(actor=member)

    assert CalendarToken.objects.get() == token


# The page


def test_the_calendar_page_asks_to_sign_in(client, db):
    response = client.get(reverse("events:my_calendar"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_calendar_page_shows_the_address_to_subscribe_to(client, member):
    client.force_login(member)

    response = client.get(reverse("events:my_calendar"))

    token = CalendarToken.objects.get(member=member).token
    assert response.status_code == 200
    assert f"{settings.SITE_URL}{feed_url(token)}" in response.text
    assert f"webcal://{urlsplit(settings.SITE_URL).netloc}{feed_url(token)}" in response.text


def test_resetting_from_the_page_makes_the_old_address_a_404(client, member, event):
    client.force_login(member)
    client.get(reverse("events:my_calendar"))
    old = CalendarToken.objects.get(member=member).token
    assert client.get(feed_url(old)).status_code == 200

    response = client.post(reverse("events:my_calendar"))

    new = CalendarToken.objects.get(member=member).token
    assert response.status_code == 302
    assert new != old
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200


# The feed


def test_the_feed_holds_the_member_s_events_and_shifts(client, member, event, club, venue):
    maybe = another_event(club, venue, "Nuit du muet", days=14)
    waiting = another_event(club, venue, "Marathon Varda", days=21)
    declined = another_event(club, venue, "Séance déclinée", days=28)
    answer(event, member, Rsvp.Status.GOING)
    answer(maybe, member, Rsvp.Status.MAYBE)
    answer(waiting, member, Rsvp.Status.WAITLISTED)
    answer(declined, member, Rsvp.Status.CANCELLED)
    shift = Shift.objects.create(
        event=event,
        role=Shift.Role.WELCOME,
        starts_at=event.starts_at - timedelta(minutes=45),
        ends_at=event.starts_at + timedelta(minutes=15),
        slots=2,
    )
    ShiftSignup.objects.create(shift=shift, volunteer=member)
    token = services.calendar_token_for(member).token

    found = summaries(client.get(feed_url(token)))

    assert str(found[event.title]["status"]) == "CONFIRMED"
    assert str(found["Nuit du muet"]["status"]) == "TENTATIVE"
    assert str(found["Marathon Varda"]["status"]) == "TENTATIVE"
    assert "On the waitlist" in str(found["Marathon Varda"]["description"])
    assert "Séance déclinée" not in found
    volunteering = found[f"Volunteering: Welcome desk — {event.title}"]
    assert str(volunteering["uid"]) == f"shift-{shift.pk}@{HOST}"
    assert volunteering.decoded("dtstart") == shift.starts_at
    assert volunteering["dtstart"].params["TZID"] == "Europe/Paris"
    assert str(found[event.title]["uid"]) == f"event-{event.pk}@{HOST}"


def test_a_cancelled_event_stays_in_the_feed_marked_cancelled(client, member, event):
    answer(event, member, Rsvp.Status.GOING)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    token = services.calendar_token_for(member).token

    found = summaries(client.get(feed_url(token)))

    assert str(found[event.title]["status"]) == "CANCELLED"


def test_members_only_events_leave_the_feed_when_the_member_leaves_the_network(
    client, member, event, club
):
    Event.objects.filter(pk=event.pk).update(visibility=Event.Visibility.MEMBERS)
    answer(event, member, Rsvp.Status.GOING)
    token = services.calendar_token_for(member).token
    assert event.title in summaries(client.get(feed_url(token)))

    network_services.leave_network(actor=member, network=club)

    assert event.title not in summaries(client.get(feed_url(token)))


def test_a_bad_token_is_a_404(client, member):
    services.calendar_token_for(member)

    for token in ("nope", "x" * 43, "a" * 500):
        assert client.get(feed_url(token)).status_code == 404


def test_a_closed_account_s_address_is_a_404(client, member):
    token = services.calendar_token_for(member).token
    member.deleted_at = timezone.now()
    member.save(update_fields=["deleted_at"])

    assert client.get(feed_url(token)).status_code == 404


def test_the_feed_is_not_kept_in_shared_caches(client, member):
    token = services.calendar_token_for(member).token

    response = client.get(feed_url(token))

    assert "private" in response["Cache-Control"]


def test_the_feed_costs_the_same_queries_for_3_or_30_answers(
    client, member, club, venue, film, django_assert_max_num_queries
):
    def answered(count: int, start: int = 0) -> None:
        with zeal_ignore():
            for number in range(start, start + count):
                event = another_event(club, venue, f"Séance {number}", days=8 + number)
                event.screenings.create(film=film)
                answer(event, member, Rsvp.Status.GOING)
                shift = Shift.objects.create(
                    event=event,
                    role=Shift.Role.BAR,
                    starts_at=event.starts_at,
                    ends_at=event.ends_at,
                    slots=1,
                )
                ShiftSignup.objects.create(shift=shift, volunteer=member)

    token = services.calendar_token_for(member).token
    answered(3)
    with django_assert_max_num_queries(6) as few:
        client.get(feed_url(token))
    answered(27, start=3)

    with django_assert_max_num_queries(len(few.captured_queries)):
        found = summaries(client.get(feed_url(token)))

    assert len(found) == 60
