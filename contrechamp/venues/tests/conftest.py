"""Scene for the venue tests: Juliette (`member`) adds venues, Nora (`other_member`) is
another member, `staff` works for the site; `outsider` has an account and nothing else.

Venues are added through the service, as a member would."""

from collections.abc import Callable

import pytest

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core import places
from contrechamp.venues import services
from contrechamp.venues.models import Venue
from contrechamp.venues.services import VenueDetails

MakeVenue = Callable[..., Venue]


def city(name: str) -> places.Place:
    place = places.find_city(name)
    assert place is not None, name
    return place


@pytest.fixture
def staff(db: None) -> User:
    return UserFactory.create(username="equipe", display_name="Équipe", is_staff=True)


@pytest.fixture
def make_venue(member: User) -> MakeVenue:
    """Add a venue through the service, by `member` unless `by` says."""

    def make(by: User | None = None, **fields: object) -> Venue:
        fields.setdefault("name", "Le Zola")
        fields.setdefault("kind", Venue.Kind.INDEPENDENT_CINEMA)
        fields["place"] = city(str(fields.pop("city", "Villeurbanne")))
        return services.create_venue(
            actor=by or member,
            details=VenueDetails(**fields),  # type: ignore[arg-type]
        )

    return make


@pytest.fixture
def venue(make_venue: MakeVenue) -> Venue:
    return make_venue(address="117 cours Émile-Zola", postcode="69100", capacity=240)
