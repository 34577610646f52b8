from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core.errors import DomainError
from contrechamp.venues import services
from contrechamp.venues.models import Venue
from contrechamp.venues.services import DuplicateVenue, VenueDetails
from contrechamp.venues.tests.conftest import city

pytestmark = pytest.mark.django_db


def details(**fields):
    fields.setdefault("name", "Le Zola")
    fields.setdefault("kind", Venue.Kind.INDEPENDENT_CINEMA)
    fields.setdefault("place", city("Villeurbanne"))
    return VenueDetails(**fields)


# Adding a venue


def test_a_member_adds_a_venue_placed_at_the_centre_of_its_town(member):
    venue = services.create_venue(
        actor=member,
        details=details(address="  117 cours   Émile-Zola ", postcode="69100", capacity=240),
    )

    villeurbanne = city("Villeurbanne")
    assert venue.city_name == "Villeurbanne"
    assert (venue.latitude, venue.longitude) == (villeurbanne.latitude, villeurbanne.longitude)
    assert venue.address == "117 cours Émile-Zola"
    assert venue.created_by == member
    assert venue.dedupe_key == "le zola villeurbanne"


def test_an_anonymous_visitor_cannot_add_a_venue(db):
    with pytest.raises(PermissionDenied):
        services.create_venue(actor=AnonymousUser(), details=details())  # type: ignore[arg-type]

    assert not Venue.objects.exists()


def test_a_member_who_has_not_accepted_the_code_of_conduct_cannot_add_a_venue(db):
    newcomer = UserFactory.create(username="newcomer", code_of_conduct_version=0)

    with pytest.raises(DomainError, match="code of conduct"):
        services.create_venue(actor=newcomer, details=details())

    assert not Venue.objects.exists()


def test_a_closed_account_cannot_add_a_venue(member):
    member.deleted_at = timezone.now()

    with pytest.raises(PermissionDenied):
        services.create_venue(actor=member, details=details())


# One name per town


@pytest.mark.parametrize("name", ["Le Zola", "LE ZOLA", "le  zola", "Le Zolà", "Le-Zola"])
def test_the_same_name_in_the_same_town_is_refused_naming_the_venue(make_venue, other_member, name):
    existing = make_venue()

    with pytest.raises(DuplicateVenue, match="“Le Zola” in Villeurbanne") as refused:
        services.create_venue(actor=other_member, details=details(name=name))

    assert refused.value.venue == existing
    assert Venue.objects.count() == 1


def test_the_same_name_in_another_town_is_another_venue(make_venue, other_member):
    make_venue(name="Le Méliès", city="Montreuil")

    grenoble = services.create_venue(
        actor=other_member, details=details(name="Le Méliès", place=city("Grenoble"))
    )

    assert grenoble.city_name == "Grenoble"
    assert Venue.objects.count() == 2


def test_the_same_venue_submitted_twice_by_its_author_is_added_once(member):
    first = services.create_venue(actor=member, details=details())
    again = services.create_venue(actor=member, details=details())

    assert again == first
    assert Venue.objects.count() == 1


def test_the_same_venue_submitted_by_its_author_much_later_is_a_duplicate(member):
    services.create_venue(actor=member, details=details())

    with (
        time_machine.travel(timezone.now() + timedelta(hours=1)),
        pytest.raises(DuplicateVenue),
    ):
        services.create_venue(actor=member, details=details())


# Editing


def test_its_creator_corrects_a_venue(venue, member):
    updated = services.update_venue(
        actor=member,
        venue=venue,
        details=details(capacity=250, has_35mm_projector=True, step_free_access=True),
    )

    venue.refresh_from_db()
    assert updated.capacity == venue.capacity == 250
    assert venue.has_35mm_projector and venue.step_free_access
    assert venue.updated_at > venue.created_at


def test_the_site_staff_correct_any_venue(venue, staff):
    services.update_venue(actor=staff, venue=venue, details=details(name="Cinéma Le Zola"))

    venue.refresh_from_db()
    assert venue.name == "Cinéma Le Zola"
    assert venue.name_normalised == "cinema le zola"


def test_another_member_cannot_edit_a_venue(venue, other_member):
    with pytest.raises(PermissionDenied):
        services.update_venue(actor=other_member, venue=venue, details=details(capacity=1))

    venue.refresh_from_db()
    assert venue.capacity == 240


def test_moving_a_venue_to_another_town_moves_it_on_the_map(venue, member):
    services.update_venue(actor=member, venue=venue, details=details(place=city("Lyon")))

    venue.refresh_from_db()
    lyon = city("Lyon")
    assert (venue.city_name, venue.latitude, venue.longitude) == (
        "Lyon",
        lyon.latitude,
        lyon.longitude,
    )
    assert venue.dedupe_key == "le zola lyon"


def test_renaming_a_venue_onto_another_of_its_town_is_refused(make_venue, member):
    make_venue(name="Le Comoedia", city="Lyon")
    opera = make_venue(name="Cinéma Opéra", city="Lyon")

    with pytest.raises(DuplicateVenue, match="Le Comoedia"):
        services.update_venue(
            actor=member, venue=opera, details=details(name="LE COMOEDIA", place=city("Lyon"))
        )

    opera.refresh_from_db()
    assert opera.name == "Cinéma Opéra"


# Bad input


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"capacity": 0}, "number of seats"),
        ({"capacity": -1}, "number of seats"),
        ({"capacity": 10_001}, "number of seats"),
        ({"description": "x" * 200_000}, "description is too long"),
        ({"equipment_notes": "x" * 2001}, "other equipment is too long"),
        ({"accessibility_notes": "x" * 2001}, "accessibility notes is too long"),
        ({"name": "x" * 151}, "name is too long"),
        ({"name": "ß" * 100}, "name is too long"),
        ({"name": " -- "}, "letters or digits"),
        ({"name": ""}, "letters or digits"),
        ({"kind": "palace"}, "type of venue"),
        ({"address": "x" * 201}, "street address is too long"),
        ({"postcode": "69 <b>"}, "postcode"),
        ({"postcode": "12345678901"}, "postcode is too long"),
        ({"website": "javascript:alert(1)"}, "full address"),
        ({"website": "ftp://example.org"}, "full address"),
        ({"website": "https://" + "x" * 200 + ".fr"}, "website address is too long"),
        ({"description": "nul\x00byte"}, "not text"),
    ],
)
def test_bad_details_are_refused_with_a_reason(member, fields, message):
    with pytest.raises(DomainError, match=message):
        services.create_venue(actor=member, details=details(**fields))

    assert not Venue.objects.exists()


def test_an_unknown_seat_count_stays_empty(member):
    venue = services.create_venue(actor=member, details=details(capacity=None))

    assert venue.capacity is None
