"""Scene for the live tests: Juliette (`organiser`, admin) runs the "Ciné-club du jeudi",
where Sébastien (`moderator`) moderates and Nora (`member`) is a plain member; `outsider`
belongs to no network. `event` is the club's published public screening of *Le Voyage
dans la Lune*; `room` is its live room, `club_room` the club's own room.
"""

from collections.abc import Awaitable, Callable, Generator
from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from django.core.cache import cache
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.events.models import Event
from contrechamp.live import services
from contrechamp.live.models import Room
from contrechamp.live.tests.communicator import WebsocketCommunicator
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network, Role
from contrechamp.routing import websocket_urlpatterns

FILM_URL = "https://upload.wikimedia.org/wikipedia/commons/transcoded/0/04/Le_Voyage_dans_la_lune.webm/Le_Voyage_dans_la_lune.webm.480p.vp9.webm"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Generator[None, None, None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organiser(db: None) -> User:
    return UserFactory.create(username="juliette", display_name="Juliette")


@pytest.fixture
def member(db: None) -> User:
    return UserFactory.create(username="nora", display_name="Nora")


@pytest.fixture
def club(organiser: User, member: User) -> Network:
    club = network_services.create_network(
        actor=organiser,
        name="Ciné-club du jeudi",
        kind=Network.Kind.CINE_CLUB,
        join_policy=Network.JoinPolicy.OPEN,
        is_online=True,
    )
    network_services.join_network(actor=member, network=club, accept_charter=True)
    return club


@pytest.fixture
def moderator(club: Network, organiser: User) -> User:
    person = UserFactory.create(username="sebastien", display_name="Sébastien")
    network_services.join_network(actor=person, network=club, accept_charter=True)
    network_services.assign_role(actor=organiser, network=club, member=person, role=Role.MODERATOR)
    return person


def make_event(club: Network, organiser: User, **fields: Any) -> Event:
    starts_at = timezone.now() - timedelta(hours=2)
    values: dict[str, Any] = {
        "network": club,
        "kind": Event.Kind.SCREENING,
        "title": "Le Voyage dans la Lune",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "status": Event.Status.PUBLISHED,
        "published_at": timezone.now(),
        "created_by": organiser,
        **fields,
    }
    return Event.objects.create(**values)


@pytest.fixture
def event(club: Network, organiser: User) -> Event:
    return make_event(club, organiser)


@pytest.fixture
def room(event: Event, organiser: User) -> Room:
    return services.open_event_room(actor=organiser, event=event)


@pytest.fixture
def club_room(club: Network, organiser: User) -> Room:
    return services.open_network_room(actor=organiser, network=club)


application = URLRouter(websocket_urlpatterns)


def communicator(user: Any, room_id: int | str, query: str = "") -> WebsocketCommunicator:
    path = f"/ws/rooms/{room_id}/" + (f"?{query}" if query else "")
    socket = WebsocketCommunicator(application, path)
    socket.scope["user"] = user
    return socket


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    """Run an async scenario from a sync test: the consumer's database calls then run on
    this thread, with the test's connection."""
    async_to_sync(scenario)()


async def receive_until(socket: WebsocketCommunicator, kind: str, timeout: float = 2) -> Any:
    """Frames until one of `kind` (others, such as presence, are skipped)."""
    while True:
        frame = await socket.receive_json_from(timeout=timeout)
        if frame["type"] == kind:
            return frame


async def connected(socket: WebsocketCommunicator) -> Any:
    ok, _code = await socket.connect()
    assert ok
    return await receive_until(socket, "welcome")
