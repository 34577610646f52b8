"""Organising events: creating (once or repeating), editing a date or the series, choosing
films, publishing with or without recorded rights, festivals, cancelling, deleting drafts."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.events.models import Event, EventSeries, Rsvp, Screening
from contrechamp.events.services import events as services
from contrechamp.events.services.events import EventDetails, MissingRights
from contrechamp.events.tests.conftest import next_week_at
from contrechamp.films import services as film_services
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.notifications.models import Notification

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def details(venue, **overrides):
    starts_at = overrides.pop("starts_at", next_week_at(20, 30))
    fields = {
        "kind": Event.Kind.SCREENING,
        "title": "Ciné-club du jeudi",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "venue": venue,
        "capacity": 80,
    }
    fields.update(overrides)
    return EventDetails(**fields)


def paris_wall(moment):
    return timezone.localtime(moment, PARIS).replace(tzinfo=None)


def kinds_sent_to(person):
    return list(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


@pytest.fixture
def other_film(organiser):
    return film_services.create_film(
        actor=organiser, title="La Jetée", year=1962, directors=["Chris Marker"]
    )


@pytest.fixture
def draft(organiser, club, venue, film):
    with zeal_ignore():
        return services.create_event(
            actor=organiser, network=club, details=details(venue), films=[film]
        )


def weekly_series(organiser, club, venue, film, *, count=4, **overrides):
    with zeal_ignore():
        return services.create_event(
            actor=organiser,
            network=club,
            details=details(venue, **overrides),
            films=[film],
            recurrence=f"FREQ=WEEKLY;COUNT={count}",
        )


# Creating


def test_an_organiser_creates_a_draft_with_its_films_in_order(
    organiser, club, venue, film, other_film
):
    event = services.create_event(
        actor=organiser, network=club, details=details(venue), films=[other_film, film]
    )

    assert event.status == Event.Status.DRAFT
    assert event.network == club
    assert (event.latitude, event.longitude) == (venue.latitude, venue.longitude)
    assert list(event.screenings.order_by("position").values_list("film__title", flat=True)) == [
        "La Jetée",
        "Le Voyage dans la Lune",
    ]
    assert event.series is None


def test_a_co_organiser_may_create_events_too(co_organiser, club, venue):
    event = services.create_event(actor=co_organiser, network=club, details=details(venue))

    assert event.created_by == co_organiser


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_a_plain_member_or_an_outsider_cannot_create_an_event(persona, request, club, venue):
    person = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.create_event(actor=person, network=club, details=details(venue))

    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": next_week_at(20, 0)}, "end after it starts"),
        ({"ends_at": next_week_at(20, 30)}, "end after it starts"),
        ({"capacity": 0}, "at least 1"),
        ({"capacity": -1}, "at least 1"),
        ({"capacity": 10_000_000}, "at most"),
        ({"time_zone": "Europe/Lutece"}, "not a time zone"),
        ({"time_zone": ""}, "not a time zone"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "200 characters"),
        ({"description": "x" * 20001}, "20000 characters"),
        ({"kind": "concert"}, "type of event"),
        ({"visibility": "secret"}, "who can see"),
        ({"venue": None}, "venue, or give the online link"),
        ({"kind": Event.Kind.WATCH_PARTY}, "online link"),
        (
            {"kind": Event.Kind.OPEN_AIR_SCREENING, "venue": None, "online_url": "https://a.fr"},
            "venue",
        ),
        ({"online_url": "javascript:alert(1)"}, "web address"),
        ({"online_url": "https://" + "a" * 500 + ".fr"}, "web address"),
        ({"starts_at": next_week_at(20, 30, days=-1)}, "future"),
        ({"starts_at": next_week_at(20, 30, days=2000)}, "three years"),
        ({"ends_at": next_week_at(20, 30) + timedelta(days=4)}, "three days at most"),
    ],
)
def test_bad_details_are_refused_and_nothing_is_created(organiser, club, venue, overrides, message):
    with pytest.raises(DomainError, match=message):
        place = overrides.get("venue", venue)
        rest = {name: value for name, value in overrides.items() if name != "venue"}
        services.create_event(actor=organiser, network=club, details=details(place, **rest))

    assert not Event.objects.exists()


def test_a_marathon_may_run_past_midnight(organiser, club, venue):
    starts_at = next_week_at(21, 0)
    event = services.create_event(
        actor=organiser,
        network=club,
        details=details(
            venue,
            kind=Event.Kind.MARATHON,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=10),
        ),
    )

    assert paris_wall(event.ends_at).hour == 7


def test_an_online_watch_party_needs_no_venue(organiser, club):
    event = services.create_event(
        actor=organiser,
        network=club,
        details=details(
            None, kind=Event.Kind.WATCH_PARTY, online_url="  https://peertube.example/w/abc  "
        ),
    )

    assert event.online_url == "https://peertube.example/w/abc"
    assert event.latitude is None


# Repeating


def test_a_monthly_series_on_the_first_thursday_keeps_20_30_across_the_changes_of_time(
    organiser, club, venue, film
):
    with time_machine.travel(datetime(2027, 1, 2, 12, tzinfo=UTC), tick=False):
        first = services.create_event(
            actor=organiser,
            network=club,
            details=details(venue, starts_at=datetime(2027, 1, 7, 20, 30, tzinfo=PARIS)),
            films=[film],
            recurrence="FREQ=MONTHLY;BYDAY=1TH;COUNT=12",
        )

    occurrences = list(Event.objects.filter(series=first.series).order_by("starts_at"))
    assert len(occurrences) == 12
    assert {paris_wall(o.starts_at).time().isoformat() for o in occurrences} == {"20:30:00"}
    assert {paris_wall(o.ends_at).time().isoformat() for o in occurrences} == {"22:30:00"}
    assert [paris_wall(o.starts_at).day for o in occurrences[:4]] == [7, 4, 4, 1]
    # Winter at 19:30 UTC, summer (from the end of March to the end of October) at 18:30.
    assert occurrences[2].starts_at.astimezone(UTC).hour == 19
    assert occurrences[3].starts_at.astimezone(UTC).hour == 18
    assert occurrences[9].starts_at.astimezone(UTC).hour == 18
    assert occurrences[10].starts_at.astimezone(UTC).hour == 19
    assert all(o.recurrence_id == o.starts_at for o in occurrences)
    assert Screening.objects.filter(event__series=first.series, film=film).count() == 12
    assert first.series is not None
    assert first.series.first_starts_at == first.starts_at


def test_a_never_ending_or_too_long_recurrence_is_refused(organiser, club, venue):
    for rule, message in [
        ("FREQ=WEEKLY", "must end"),
        ("FREQ=WEEKLY;COUNT=500", "at most 100 dates"),
        ("FREQ=MONTHLY;BYDAY=1TH;COUNT=60", "two years"),
    ]:
        with pytest.raises(DomainError, match=message):
            services.create_event(
                actor=organiser, network=club, details=details(venue), recurrence=rule
            )

    assert not Event.objects.exists()
    assert not EventSeries.objects.exists()


def test_editing_one_date_detaches_it_and_leaves_the_others(organiser, club, venue, film):
    first = weekly_series(organiser, club, venue, film)
    second = Event.objects.filter(series=first.series).order_by("starts_at")[1]

    services.update_event(
        actor=organiser,
        event=second,
        details=replace(
            services.EventDetails.of(second), title="Soirée spéciale", starts_at=second.starts_at
        ),
    )

    second.refresh_from_db()
    assert second.title == "Soirée spéciale"
    assert second.is_detached
    assert set(Event.objects.exclude(pk=second.pk).values_list("title", flat=True)) == {
        "Ciné-club du jeudi"
    }


def test_editing_the_series_moves_future_dates_by_the_same_wall_time_and_spares_past_and_detached(
    organiser, club, venue, film
):
    first = weekly_series(organiser, club, venue, film, count=4)
    one, two, three, four = Event.objects.filter(series=first.series).order_by("starts_at")
    with zeal_ignore():
        services.update_event(
            actor=organiser,
            event=three,
            details=replace(services.EventDetails.of(three), title="Carte blanche"),
        )

    with time_machine.travel(one.ends_at + timedelta(minutes=5)):
        new_start = two.starts_at + timedelta(minutes=30)
        services.update_event(
            actor=organiser,
            event=two,
            details=replace(
                services.EventDetails.of(two),
                title="Ciné-club du jeudi (nouvel horaire)",
                starts_at=new_start,
                ends_at=new_start + timedelta(hours=3),
                capacity=60,
            ),
            scope="series",
        )

    one, two, three, four = Event.objects.filter(series=first.series).order_by("recurrence_id")
    assert (paris_wall(one.starts_at).time().isoformat(), one.capacity) == ("20:30:00", 80)
    assert paris_wall(three.starts_at).time().isoformat() == "20:30:00"
    assert three.title == "Carte blanche"
    for moved in (two, four):
        assert paris_wall(moved.starts_at).time().isoformat() == "21:00:00"
        assert moved.ends_at - moved.starts_at == timedelta(hours=3)
        assert moved.title == "Ciné-club du jeudi (nouvel horaire)"
        assert moved.capacity == 60
        assert moved.recurrence_id == moved.starts_at - timedelta(minutes=30)
        assert not moved.is_detached


def test_the_series_scope_is_refused_for_a_single_event(organiser, draft):
    with pytest.raises(DomainError, match="not part of a series"):
        services.update_event(
            actor=organiser, event=draft, details=EventDetails.of(draft), scope="series"
        )


def test_an_event_cannot_be_moved_into_the_past(organiser, draft):
    yesterday = next_week_at(20, 30, days=-1)

    with pytest.raises(DomainError, match="past"):
        services.update_event(
            actor=organiser,
            event=draft,
            details=replace(
                EventDetails.of(draft), starts_at=yesterday, ends_at=yesterday + timedelta(hours=2)
            ),
        )


def test_an_event_that_has_ended_cannot_be_edited(organiser, event):
    with time_machine.travel(event.ends_at + timedelta(minutes=1)):
        with pytest.raises(InvalidTransition, match="over"):
            services.update_event(actor=organiser, event=event, details=EventDetails.of(event))
        with pytest.raises(InvalidTransition, match="over"):
            services.set_films(actor=organiser, event=event, films=[])


def test_a_member_cannot_edit_an_event(member, event):
    with pytest.raises(PermissionDenied):
        services.update_event(
            actor=member, event=event, details=replace(EventDetails.of(event), title="Piraté")
        )

    event.refresh_from_db()
    assert event.title != "Piraté"


def test_more_seats_go_to_the_people_waiting(organiser, event):
    Event.objects.filter(pk=event.pk).update(capacity=1)
    event.refresh_from_db()
    seated, waiting, later = UserFactory.create_batch(3)
    now = timezone.now()
    Rsvp.objects.create(event=event, member=seated, status=Rsvp.Status.GOING)
    Rsvp.objects.create(
        event=event, member=waiting, status=Rsvp.Status.WAITLISTED, waitlisted_at=now
    )
    Rsvp.objects.create(
        event=event,
        member=later,
        status=Rsvp.Status.WAITLISTED,
        waitlisted_at=now + timedelta(seconds=1),
    )

    services.update_event(
        actor=organiser, event=event, details=replace(EventDetails.of(event), capacity=2)
    )

    statuses = dict(Rsvp.objects.filter(event=event).values_list("member", "status"))
    assert statuses == {
        seated.pk: Rsvp.Status.GOING,
        waiting.pk: Rsvp.Status.GOING,
        later.pk: Rsvp.Status.WAITLISTED,
    }


# Films


def test_changing_the_films_keeps_the_rights_of_the_films_still_shown(
    organiser, event, film, other_film
):
    screening = event.screenings.get(film=film)

    services.set_films(actor=organiser, event=event, films=[other_film, film, other_film])

    kept = Screening.objects.get(pk=screening.pk)
    assert kept.rights_status == Screening.RightsStatus.PUBLIC_DOMAIN
    assert kept.position == 1
    added = event.screenings.get(film=other_film)
    assert (added.position, added.rights_status) == (0, Screening.RightsStatus.TO_REQUEST)

    services.set_films(actor=organiser, event=event, films=[other_film])

    assert not Screening.objects.filter(pk=screening.pk).exists()


def test_too_many_films_are_refused(organiser, event, film):
    many = [
        film_services.create_film(actor=organiser, title=f"Film {n}", year=1950) for n in range(51)
    ]

    with pytest.raises(DomainError, match="50 films"):
        services.set_films(actor=organiser, event=event, films=many)


# Publishing


def test_publishing_a_public_screening_without_rights_warns_with_the_films(organiser, draft, film):
    with pytest.raises(MissingRights) as refused:
        services.publish_event(actor=organiser, event=draft)

    assert [s.film for s in refused.value.screenings] == [film]
    assert "Le Voyage dans la Lune" in str(refused.value.message)
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT


def test_an_acknowledged_warning_publishes(organiser, draft):
    event = services.publish_event(actor=organiser, event=draft, acknowledge_missing_rights=True)

    assert event.status == Event.Status.PUBLISHED
    assert event.published_at is not None


def test_a_film_in_the_public_domain_publishes_without_warning(organiser, draft):
    Screening.objects.filter(event=draft).update(rights_status=Screening.RightsStatus.PUBLIC_DOMAIN)

    assert services.publish_event(actor=organiser, event=draft).status == Event.Status.PUBLISHED


def test_private_circle_rights_refuse_a_public_event_but_allow_a_members_only_one(organiser, draft):
    Screening.objects.filter(event=draft).update(
        rights_status=Screening.RightsStatus.PRIVATE_CIRCLE
    )

    with pytest.raises(DomainError, match="members only"):
        services.publish_event(actor=organiser, event=draft, acknowledge_missing_rights=True)

    Event.objects.filter(pk=draft.pk).update(visibility=Event.Visibility.MEMBERS)
    assert services.publish_event(actor=organiser, event=draft).status == Event.Status.PUBLISHED


def test_publishing_twice_is_a_conflict(organiser, event):
    with pytest.raises(Conflict, match="already published"):
        services.publish_event(actor=organiser, event=event)


def test_a_member_cannot_publish(member, draft):
    with pytest.raises(PermissionDenied):
        services.publish_event(actor=member, event=draft, acknowledge_missing_rights=True)


def test_publishing_the_series_publishes_every_future_date(organiser, club, venue, film):
    first = weekly_series(organiser, club, venue, film, count=3)
    Screening.objects.update(rights_status=Screening.RightsStatus.GRANTED)

    services.publish_event(actor=organiser, event=first, scope="series")

    assert set(Event.objects.values_list("status", flat=True)) == {Event.Status.PUBLISHED}


def test_the_rights_warning_of_a_series_covers_every_date(organiser, club, venue, film):
    first = weekly_series(organiser, club, venue, film, count=3)

    with pytest.raises(MissingRights) as refused:
        services.publish_event(actor=organiser, event=first, scope="series")

    assert len(refused.value.screenings) == 3
    assert not Event.objects.filter(status=Event.Status.PUBLISHED).exists()


# Festivals


@pytest.fixture
def festival(organiser, club, venue):
    starts_at = next_week_at(10, 0)
    with zeal_ignore():
        return services.create_event(
            actor=organiser,
            network=club,
            details=details(
                venue,
                kind=Event.Kind.FESTIVAL,
                title="Festival en plein air",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(days=3),
            ),
        )


def test_a_festival_groups_screenings_within_its_dates(organiser, club, venue, festival):
    child = services.create_event(
        actor=organiser,
        network=club,
        details=details(venue, kind=Event.Kind.OPEN_AIR_SCREENING, starts_at=next_week_at(22, 0)),
        festival=festival,
    )

    assert list(festival.programme.all()) == [child]


def test_a_festival_child_outside_its_dates_is_refused(organiser, club, venue, festival):
    with pytest.raises(DomainError, match="within the festival"):
        services.create_event(
            actor=organiser,
            network=club,
            details=details(venue, starts_at=next_week_at(22, 0, days=12)),
            festival=festival,
        )


def test_a_festival_cannot_be_part_of_another(organiser, club, venue, festival):
    with pytest.raises(DomainError, match="another festival"):
        services.create_event(
            actor=organiser,
            network=club,
            details=details(venue, kind=Event.Kind.FESTIVAL, starts_at=next_week_at(11, 0)),
            festival=festival,
        )


def test_a_festival_holds_events_of_its_own_network_only(organiser, venue, festival):
    with zeal_ignore():
        other_club = network_services.create_network(
            actor=organiser,
            name="Autre club",
            kind=Network.Kind.CINE_CLUB,
            join_policy=Network.JoinPolicy.OPEN,
            is_online=True,
        )

    with pytest.raises(DomainError, match="own network"):
        services.create_event(
            actor=organiser,
            network=other_club,
            details=details(venue, starts_at=next_week_at(22, 0)),
            festival=festival,
        )


def test_only_a_festival_has_a_programme(organiser, club, venue, event):
    with pytest.raises(DomainError, match="Only a festival"):
        services.create_event(actor=organiser, network=club, details=details(venue), festival=event)


def test_a_festival_cannot_shrink_away_from_its_programme_nor_be_deleted_with_it(
    organiser, club, venue, festival
):
    with zeal_ignore():
        services.create_event(
            actor=organiser,
            network=club,
            details=details(venue, starts_at=next_week_at(22, 0, days=9)),
            festival=festival,
        )

    with pytest.raises(DomainError, match="outside its new dates"):
        services.update_event(
            actor=organiser,
            event=festival,
            details=replace(
                EventDetails.of(festival), ends_at=festival.starts_at + timedelta(days=1)
            ),
        )
    with pytest.raises(DomainError, match="programme still holds"):
        services.delete_draft(actor=organiser, event=festival)
    assert Event.objects.count() == 2


# Cancelling


def test_cancelling_tells_everyone_who_planned_to_come(organiser, event):
    going, maybe, waiting, gone = UserFactory.create_batch(4)
    Rsvp.objects.create(event=event, member=going, status=Rsvp.Status.GOING)
    Rsvp.objects.create(event=event, member=maybe, status=Rsvp.Status.MAYBE)
    Rsvp.objects.create(
        event=event, member=waiting, status=Rsvp.Status.WAITLISTED, waitlisted_at=timezone.now()
    )
    Rsvp.objects.create(event=event, member=gone, status=Rsvp.Status.CANCELLED)

    cancelled = services.cancel_event(
        actor=organiser, event=event, reason="  Projecteur  en panne "
    )

    assert cancelled.status == Event.Status.CANCELLED
    assert cancelled.cancellation_reason == "Projecteur en panne"
    for person in (going, maybe, waiting):
        assert kinds_sent_to(person) == ["events.event_cancelled"]
    assert kinds_sent_to(gone) == []
    notice = Notification.objects.get(recipient=going)
    assert event.title in notice.title
    assert notice.body == "Projecteur en panne"
    assert notice.url == event.get_absolute_url()


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_cancellation_needs_a_short_reason(organiser, event, reason):
    with pytest.raises(DomainError):
        services.cancel_event(actor=organiser, event=event, reason=reason)

    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_an_ended_event_cannot_be_cancelled(organiser, event):
    with (
        time_machine.travel(event.ends_at + timedelta(minutes=1)),
        pytest.raises(InvalidTransition, match="over"),
    ):
        services.cancel_event(actor=organiser, event=event, reason="Trop tard")


def test_a_cancelled_event_cannot_be_cancelled_again_nor_edited(organiser, event):
    services.cancel_event(actor=organiser, event=event, reason="Grève")

    with pytest.raises(InvalidTransition, match="already cancelled"):
        services.cancel_event(actor=organiser, event=event, reason="Grève")
    with pytest.raises(InvalidTransition, match="cancelled"):
        services.update_event(actor=organiser, event=event, details=EventDetails.of(event))
    with pytest.raises(InvalidTransition, match="cancelled"):
        services.publish_event(actor=organiser, event=event)


def test_a_draft_is_deleted_rather_than_cancelled(organiser, draft):
    with pytest.raises(InvalidTransition, match="delete it"):
        services.cancel_event(actor=organiser, event=draft, reason="Non")


def test_an_outsider_cannot_cancel(outsider, event):
    with pytest.raises(PermissionDenied):
        services.cancel_event(actor=outsider, event=event, reason="Pour rire")


def test_cancelling_the_series_cancels_the_published_dates_to_come(organiser, club, venue, film):
    first = weekly_series(organiser, club, venue, film, count=3)
    with zeal_ignore():
        services.publish_event(
            actor=organiser, event=first, scope="series", acknowledge_missing_rights=True
        )

    services.cancel_event(actor=organiser, event=first, reason="Fin de saison", scope="series")

    assert set(Event.objects.values_list("status", "cancellation_reason")) == {
        (Event.Status.CANCELLED, "Fin de saison")
    }


# Deleting drafts


def test_a_draft_is_deleted_with_its_films(organiser, draft):
    services.delete_draft(actor=organiser, event=draft)

    assert not Event.objects.exists()
    assert not Screening.objects.exists()


def test_a_published_event_cannot_be_deleted(organiser, event):
    with pytest.raises(InvalidTransition, match="Only a draft"):
        services.delete_draft(actor=organiser, event=event)


def test_deleting_a_whole_series_of_drafts_removes_the_series(organiser, club, venue, film):
    first = weekly_series(organiser, club, venue, film, count=3)

    services.delete_draft(actor=organiser, event=first, scope="series")

    assert not Event.objects.exists()
    assert not EventSeries.objects.exists()


def test_a_member_cannot_delete_a_draft(member, draft):
    with pytest.raises(PermissionDenied):
        services.delete_draft(actor=member, event=draft)

    assert Event.objects.filter(pk=draft.pk).exists()


def test_an_announced_event_cannot_become_public_with_a_film_for_a_private_circle(organiser, event):
    Event.objects.filter(pk=event.pk).update(visibility=Event.Visibility.MEMBERS)
    Screening.objects.filter(event=event).update(
        rights_status=Screening.RightsStatus.PRIVATE_CIRCLE
    )
    event.refresh_from_db()

    with pytest.raises(DomainError, match="private circle"):
        services.update_event(
            actor=organiser,
            event=event,
            details=replace(EventDetails.of(event), visibility=Event.Visibility.PUBLIC),
        )

    event.refresh_from_db()
    assert event.visibility == Event.Visibility.MEMBERS
