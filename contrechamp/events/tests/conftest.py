"""Scene for the events tests: Juliette (`organiser`) runs the "Ciné-club du jeudi" in
Lyon, where Nora (`member`) is a plain member; `outsider` belongs to no network. The
club's venue is the médiathèque; `event` is a published public screening of *Le Voyage
dans la Lune* next week at 20:30 (Paris time), with 80 seats.

The single event is written directly: tests of event creation go through the services.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core import places
from contrechamp.events.models import Event, Screening
from contrechamp.films import services as film_services
from contrechamp.films.models import Film
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network, Role
from contrechamp.venues.models import Venue

PARIS = ZoneInfo("Europe/Paris")


def city(name: str) -> places.Place:
    place = places.find_city(name)
    assert place is not None, name
    return place


def next_week_at(hour: int, minute: int = 0, days: int = 7) -> datetime:
    """A time `days` from today at hour:minute in Paris, as an aware datetime."""
    day = timezone.localtime(timezone.now(), PARIS).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def organiser(db: None) -> User:
    return UserFactory.create(username="juliette", display_name="Juliette")


@pytest.fixture
def club(organiser: User, member: User) -> Network:
    club = network_services.create_network(
        actor=organiser,
        name="Ciné-club du jeudi",
        kind=Network.Kind.CINE_CLUB,
        join_policy=Network.JoinPolicy.OPEN,
        place=city("Lyon"),
    )
    network_services.join_network(actor=member, network=club, accept_charter=True)
    return club


@pytest.fixture
def member(db: None) -> User:
    return UserFactory.create(username="nora", display_name="Nora")


@pytest.fixture
def co_organiser(club: Network, organiser: User) -> User:
    person = UserFactory.create(username="sebastien", display_name="Sébastien")
    network_services.join_network(actor=person, network=club, accept_charter=True)
    network_services.assign_role(actor=organiser, network=club, member=person, role=Role.ORGANISER)
    return person


@pytest.fixture
def venue(db: None) -> Venue:
    lyon = city("Lyon")
    return Venue.objects.create(
        name="Médiathèque du Bachut",
        dedupe_key=places.normalise("Médiathèque du Bachut Lyon"),
        name_normalised=places.normalise("Médiathèque du Bachut"),
        kind=Venue.Kind.MEDIATHEQUE,
        address="2 place du 11 Novembre 1918",
        postcode="69008",
        city_name="Lyon",
        latitude=lyon.latitude,
        longitude=lyon.longitude,
        capacity=80,
    )


@pytest.fixture
def film(organiser: User) -> Film:
    return film_services.create_film(
        actor=organiser, title="Le Voyage dans la Lune", year=1902, directors=["Georges Méliès"]
    )


@pytest.fixture
def event(club: Network, organiser: User, venue: Venue, film: Film) -> Event:
    starts_at = next_week_at(20, 30)
    event = Event.objects.create(
        network=club,
        kind=Event.Kind.SCREENING,
        title="Ciné-club du jeudi : Le Voyage dans la Lune",
        venue=venue,
        latitude=venue.latitude,
        longitude=venue.longitude,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        time_zone="Europe/Paris",
        capacity=80,
        status=Event.Status.PUBLISHED,
        published_at=timezone.now(),
        created_by=organiser,
    )
    Screening.objects.create(
        event=event, film=film, rights_status=Screening.RightsStatus.PUBLIC_DOMAIN
    )
    return event
