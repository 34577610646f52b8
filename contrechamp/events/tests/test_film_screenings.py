"""A film's page lists its upcoming screenings: a way to see it legally."""

from datetime import timedelta

from django.test import Client

from contrechamp.accounts.models import User
from contrechamp.events.models import Event


def test_film_page_lists_an_upcoming_public_screening(client: Client, event: Event) -> None:
    film = event.screenings.get().film

    page = client.get(film.get_absolute_url()).content.decode()

    assert "Upcoming screenings" in page
    assert event.get_absolute_url() in page
    assert "Médiathèque du Bachut" in page


def test_members_only_screening_is_listed_for_members_only(
    client: Client, event: Event, member: User, outsider: User
) -> None:
    event.visibility = Event.Visibility.MEMBERS
    event.save()
    film = event.screenings.get().film

    client.force_login(outsider)
    assert event.get_absolute_url() not in client.get(film.get_absolute_url()).content.decode()
    client.force_login(member)
    assert event.get_absolute_url() in client.get(film.get_absolute_url()).content.decode()


def test_past_drafts_and_cancelled_screenings_are_not_listed(client: Client, event: Event) -> None:
    film = event.screenings.get().film
    for change in (
        {
            "starts_at": event.starts_at - timedelta(days=30),
            "ends_at": event.ends_at - timedelta(days=30),
        },
        {"status": Event.Status.DRAFT},
        {"status": Event.Status.CANCELLED},
    ):
        Event.objects.filter(pk=event.pk).update(**change)
        assert event.get_absolute_url() not in client.get(film.get_absolute_url()).content.decode()
        Event.objects.filter(pk=event.pk).update(
            starts_at=event.starts_at, ends_at=event.ends_at, status=Event.Status.PUBLISHED
        )
