"""Scene for the search tests, built through the apps' services so that their own calls
keep the index in step: Juliette (`member`) runs the "Ciné-club du jeudi" in Grenoble,
where Nora (`other_member`) is a member; `outsider` belongs to no network.

The catalogue holds *Le Voyage dans la Lune* (Méliès, 1902); the club shows it next week
at the "Cinéma Le Club" in a public screening, and lends a DVD of it from its library.

The apps index after their transaction commits: `indexing()` runs those callbacks, as a
real request's commit would.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.events.models import Event
from contrechamp.events.services import events as event_services
from contrechamp.films import services as film_services
from contrechamp.films.models import Film
from contrechamp.lending import services as lending_services
from contrechamp.lending.models import Item
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.venues import services as venue_services
from contrechamp.venues.models import Venue

PARIS = ZoneInfo("Europe/Paris")

type Indexing = Callable[[], AbstractContextManager[Any]]


def city(name: str) -> places.Place:
    place = places.find_city(name)
    assert place is not None, name
    return place


def next_week_at(hour: int, days: int = 7) -> datetime:
    day = timezone.localtime(timezone.now(), PARIS).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 30, tzinfo=PARIS)


@pytest.fixture
def indexing(django_capture_on_commit_callbacks: Any) -> Indexing:
    """A context in which the callbacks queued for after the commit run on leaving it."""

    @contextmanager
    def run() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return run


@pytest.fixture
def club(member: User, other_member: User, indexing: Indexing) -> Network:
    with indexing():
        club = network_services.create_network(
            actor=member,
            name="Ciné-club du jeudi",
            kind=Network.Kind.CINE_CLUB,
            join_policy=Network.JoinPolicy.OPEN,
            place=city("Grenoble"),
            description="Un film, une discussion, chaque jeudi.",
        )
    network_services.join_network(actor=other_member, network=club, accept_charter=True)
    return club


@pytest.fixture
def venue(member: User, indexing: Indexing) -> Venue:
    with indexing():
        return venue_services.create_venue(
            actor=member,
            details=venue_services.VenueDetails(
                name="Cinéma Le Club",
                kind=Venue.Kind.INDEPENDENT_CINEMA,
                place=city("Grenoble"),
                address="9 bis rue Phalanstère",
                postcode="38000",
            ),
        )


@pytest.fixture
def film(member: User, indexing: Indexing) -> Film:
    with indexing():
        return film_services.create_film(
            actor=member, title="Le Voyage dans la Lune", year=1902, directors=["Georges Méliès"]
        )


@pytest.fixture
def make_event(member: User, club: Network, venue: Venue, indexing: Indexing) -> Any:
    """A published event of the club (members-only with `visibility`), through the
    services; `publish=False` leaves it a draft."""

    def make(
        title: str,
        *,
        films: tuple[Film, ...] = (),
        days: int = 7,
        visibility: str = Event.Visibility.PUBLIC,
        publish: bool = True,
    ) -> Event:
        starts_at = next_week_at(20, days=days)
        with indexing():
            event = event_services.create_event(
                actor=member,
                network=club,
                details=event_services.EventDetails(
                    kind=Event.Kind.SCREENING,
                    title=title,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=2),
                    venue=venue,
                    visibility=visibility,
                ),
                films=films,
            )
            if publish:
                event = event_services.publish_event(
                    actor=member, event=event, acknowledge_missing_rights=True
                )
        return event

    return make


@pytest.fixture
def make_item(indexing: Indexing) -> Any:
    """An item listed through the service by `owner` (or for `network`)."""

    def make(
        owner: User,
        title: str,
        *,
        film: Film | None = None,
        kind: str = Item.Kind.DVD,
        visibility: str = Item.Visibility.PUBLIC,
        network: Network | None = None,
    ) -> Item:
        with indexing():
            return lending_services.create_item(
                actor=owner,
                owner_network=network,
                details=lending_services.ItemDetails(
                    kind=kind,
                    title=title,
                    place=city("Grenoble"),
                    deposit=Decimal(0),
                    visibility=visibility,
                    film=film,
                ),
            )

    return make


@dataclass
class Scene:
    club: Network
    venue: Venue
    film: Film
    screening: Event
    dvd: Item


@pytest.fixture
def scene(
    club: Network,
    venue: Venue,
    film: Film,
    member: User,
    make_event: Any,
    make_item: Any,
) -> Scene:
    return Scene(
        club=club,
        venue=venue,
        film=film,
        screening=make_event("Ciné-concert Méliès", films=(film,)),
        dvd=make_item(member, "Le Voyage dans la Lune, version restaurée", film=film, network=club),
    )
