"""Scene for the wanted tests: Sébastien (`seeker`) looks for films; Juliette (`member`)
and Nora (`other_member`) list copies in the library or say where to see them; the
ciné-club of Grenoble gathers Sébastien and Juliette; `outsider` belongs to no network.

Fixtures set the scene through the services; N+1 detection watches the tests themselves.
"""

from collections.abc import Callable
from typing import Any

import pytest

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core import places
from contrechamp.films import services as film_services
from contrechamp.films.models import Availability, Film
from contrechamp.lending import services as lending_services
from contrechamp.lending.models import Item
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.wanted import services
from contrechamp.wanted.models import WantedRequest


def city(name: str) -> places.Place:
    place = places.find_city(name)
    assert place is not None, name
    return place


@pytest.fixture
def seeker(db: None) -> User:
    return UserFactory.create(username="sebastien", display_name="Sébastien")


@pytest.fixture
def la_jetee(member: User) -> Film:
    return film_services.create_film(
        actor=member, title="La Jetée", year=1962, directors=["Chris Marker"]
    )


@pytest.fixture
def other_film(member: User) -> Film:
    return film_services.create_film(actor=member, title="Sans soleil", year=1983)


@pytest.fixture
def club(seeker: User, member: User) -> Network:
    network = network_services.create_network(
        actor=seeker,
        name="Ciné-club de Grenoble",
        kind=Network.Kind.ASSOCIATION,
        join_policy=Network.JoinPolicy.OPEN,
        place=city("Grenoble"),
    )
    network_services.join_network(actor=member, network=network, accept_charter=True)
    return network


MakeRequest = Callable[..., WantedRequest]
MakeItem = Callable[..., Item]
MakeAvailability = Callable[..., Availability]


@pytest.fixture
def make_request(seeker: User, la_jetee: Film) -> MakeRequest:
    def make(by: User | None = None, **fields: Any) -> WantedRequest:
        fields.setdefault("film", la_jetee)
        return services.post_request(actor=by or seeker, details=services.RequestDetails(**fields))

    return make


@pytest.fixture
def make_item(member: User, la_jetee: Film) -> MakeItem:
    """List an item through the lending service; the matching runs on commit."""

    def make(by: User | None = None, network: Network | None = None, **fields: Any) -> Item:
        fields.setdefault("kind", Item.Kind.DVD)
        fields.setdefault("title", "La Jetée, DVD Arte")
        fields.setdefault("place", city("Grenoble"))
        fields.setdefault("film", la_jetee)
        return lending_services.create_item(
            actor=by or member,
            details=lending_services.ItemDetails(**fields),
            owner_network=network,
        )

    return make


@pytest.fixture
def make_availability(member: User, la_jetee: Film) -> MakeAvailability:
    def make(by: User | None = None, **fields: Any) -> Availability:
        fields.setdefault("film", la_jetee)
        fields.setdefault("kind", Availability.Kind.VOD)
        fields.setdefault("url", "https://www.arte.tv/fr/videos/la-jetee/")
        return film_services.add_availability(actor=by or member, **fields)

    return make
