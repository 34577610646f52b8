"""Personas for the networks tests: a student ciné-club in Grenoble run by Juliette (admin
and organiser), Sébastien (organiser), Nora (member), and an outsider who is not part of it.

Fixtures set the scene through the services; N+1 detection watches what the tests do
(see the root conftest).
"""

from collections.abc import Callable

import pytest

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core import places
from contrechamp.networks import services
from contrechamp.networks.models import Network, Role


def city(name: str) -> places.Place:
    place = places.find_city(name)
    assert place is not None, name
    return place


@pytest.fixture
def admin(db: None) -> User:
    return UserFactory.create(username="juliette", display_name="Juliette")


@pytest.fixture
def organiser(db: None) -> User:
    return UserFactory.create(username="sebastien", display_name="Sébastien")


@pytest.fixture
def member(db: None) -> User:
    return UserFactory.create(username="nora", display_name="Nora")


@pytest.fixture
def outsider(db: None) -> User:
    return UserFactory.create(username="outsider", display_name="Passant")


MakeNetwork = Callable[..., Network]


@pytest.fixture
def make_network(admin: User) -> MakeNetwork:
    """Create a network through the service; `admin` (or `by`) becomes its admin."""
    counter = iter(range(1, 10_000))

    def make(by: User | None = None, **kwargs: object) -> Network:
        kwargs.setdefault("name", f"Réseau {next(counter)}")
        kwargs.setdefault("kind", Network.Kind.CINE_CLUB)
        kwargs.setdefault("join_policy", Network.JoinPolicy.OPEN)
        if not kwargs.get("is_online"):
            kwargs.setdefault("place", city("Grenoble"))
        return services.create_network(actor=by or admin, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def network(make_network: MakeNetwork, admin: User, organiser: User, member: User) -> Network:
    """An open network: Juliette admin and organiser, Sébastien organiser, Nora member."""
    club = make_network(
        name="Ciné-club étudiant de Grenoble",
        kind=Network.Kind.STUDENT_CLUB,
        description="Projections **chaque jeudi** au campus.",
    )
    services.join_network(actor=organiser, network=club, accept_charter=True)
    services.assign_role(actor=admin, network=club, member=organiser, role=Role.ORGANISER)
    services.join_network(actor=member, network=club, accept_charter=True)
    return club


@pytest.fixture
def request_network(make_network: MakeNetwork, organiser: User, admin: User) -> Network:
    """A network joined on request, with Sébastien as organiser."""
    club = make_network(name="Forum des films rares", join_policy=Network.JoinPolicy.ON_REQUEST)
    services.invite_member(actor=admin, network=club, invitee=organiser)
    services.accept_invitation(actor=organiser, network=club, accept_charter=True)
    services.assign_role(actor=admin, network=club, member=organiser, role=Role.ORGANISER)
    return club
