"""Scene for the lending tests: Juliette (`member`) lends her Blu-ray, Nora
(`other_member`) borrows; the Grenoble clubs' equipment bank is run by Sébastien (admin)
with Juliette as equipment manager and Nora as a plain member; `outsider` belongs to no
network.

Fixtures set the scene through the services; N+1 detection watches the tests themselves.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core import places
from contrechamp.lending import services
from contrechamp.lending.models import Item
from contrechamp.lending.services import ItemDetails
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network


def city(name: str) -> places.Place:
    place = places.find_city(name)
    assert place is not None, name
    return place


MakeItem = Callable[..., Item]


@pytest.fixture
def make_item(member: User) -> MakeItem:
    """List an item through the service; owned by `member` unless `by`/`network` say."""

    def make(
        by: User | None = None,
        network: Network | None = None,
        parts: tuple[Item, ...] = (),
        **fields: object,
    ) -> Item:
        fields.setdefault("kind", Item.Kind.BLU_RAY)
        fields.setdefault("title", "Jeanne Dielman, 23 quai du Commerce")
        fields.setdefault("place", city("Grenoble"))
        return services.create_item(
            actor=by or member,
            details=ItemDetails(**fields),  # type: ignore[arg-type]
            owner_network=network,
            parts=parts,
        )

    return make


@pytest.fixture
def item(make_item: MakeItem) -> Item:
    return make_item()


@pytest.fixture
def admin(db: None) -> User:
    return UserFactory.create(username="sebastien", display_name="Sébastien")


@pytest.fixture
def network(admin: User, member: User, other_member: User) -> Network:
    club = network_services.create_network(
        actor=admin,
        name="Banque de matos grenobloise",
        kind=Network.Kind.ASSOCIATION,
        join_policy=Network.JoinPolicy.OPEN,
        place=city("Grenoble"),
    )
    network_services.join_network(actor=member, network=club, accept_charter=True)
    network_services.join_network(actor=other_member, network=club, accept_charter=True)
    services.add_equipment_manager(actor=admin, network=club, member=member)
    return club


@pytest.fixture
def camera(make_item: MakeItem, network: Network, admin: User) -> Item:
    return make_item(by=admin, network=network, kind=Item.Kind.CAMERA, title="Caméra Blackmagic 6K")


def slot(days: int = 3, hours: int = 2, start_hour: int = 14) -> tuple[datetime, datetime]:
    """A future slot `days` from now at `start_hour`, lasting `hours`."""
    from django.utils import timezone

    start = (timezone.localtime() + timedelta(days=days)).replace(
        hour=start_hour, minute=0, second=0, microsecond=0
    )
    return start, start + timedelta(hours=hours)


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
