import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core.errors import Conflict, DomainError
from contrechamp.networks import services
from contrechamp.networks.models import Membership, Network, Role
from contrechamp.networks.permissions import standing
from contrechamp.networks.tests.conftest import city

pytestmark = pytest.mark.django_db


def test_the_creator_becomes_member_admin_and_organiser(make_network, outsider):
    club = make_network(by=outsider, name="Ciné-club de Die", place=city("Die"))

    assert standing(outsider, club).roles == {Role.ADMIN, Role.ORGANISER}
    assert club.slug == "cine-club-de-die"
    assert (club.latitude, club.longitude) == (44.75, 5.37)


def test_a_name_taken_by_another_network_is_a_conflict(network, outsider, make_network):
    with pytest.raises(Conflict, match="already exists"):
        make_network(by=outsider, name="  CINE club - Étudiant de GRENOBLE ")
    assert Network.objects.count() == 1


def test_the_same_person_submitting_twice_gets_the_network_they_just_created(
    make_network, outsider
):
    first = make_network(by=outsider, name="Ciné-club de Die")
    second = make_network(by=outsider, name="Ciné-club de Die")

    assert first.pk == second.pk
    assert Membership.objects.filter(user=outsider).count() == 1


def test_the_same_name_much_later_is_a_conflict_even_for_its_creator(make_network, outsider):
    make_network(by=outsider, name="Ciné-club de Die")

    with time_machine.travel("2099-01-01"), pytest.raises(Conflict):
        make_network(by=outsider, name="Ciné-club de Die")


def test_names_that_slugify_alike_get_distinct_addresses(make_network):
    first = make_network(name="Ciné club!")
    second = make_network(name="Cine club?")

    assert (first.slug, second.slug) == ("cine-club", "cine-club-2")


def test_a_name_in_another_script_still_gets_an_address(make_network):
    assert make_network(name="電影倶楽部").slug == "network"


@pytest.mark.parametrize("website", ["javascript:alert(1)", "ftp://example.org", "example"])
def test_a_website_must_be_a_web_address(make_network, website):
    with pytest.raises(DomainError):
        make_network(website=website)
    assert not Network.objects.exists()


def test_a_network_in_a_town_needs_its_city(make_network):
    with pytest.raises(DomainError):
        make_network(place=None)


def test_an_online_network_has_no_coordinates(make_network):
    club = make_network(is_online=True, place=city("Lyon"))

    assert (club.city_name, club.latitude, club.longitude) == ("", None, None)


def test_an_admin_updates_the_network_and_its_address_stays(network, admin):
    old_slug = network.slug

    services.update_network(
        actor=admin,
        network=network,
        name="Ciné-club du campus",
        kind=Network.Kind.CINE_CLUB,
        join_policy=Network.JoinPolicy.INVITATION,
        is_online=True,
    )

    network.refresh_from_db()
    assert (network.name, network.slug, network.is_online) == (
        "Ciné-club du campus",
        old_slug,
        True,
    )


def test_an_organiser_cannot_update_the_network(network, organiser):
    with pytest.raises(PermissionDenied):
        services.update_network(
            actor=organiser,
            network=network,
            name="Piraté",
            kind=Network.Kind.CINE_CLUB,
            join_policy=Network.JoinPolicy.OPEN,
            place=city("Lyon"),
        )
    network.refresh_from_db()
    assert network.name == "Ciné-club étudiant de Grenoble"


def test_renaming_to_another_networks_name_is_a_conflict(network, admin, make_network):
    other = make_network(name="Les Écrans de Voiron")

    with pytest.raises(Conflict):
        services.update_network(
            actor=admin,
            network=other,
            name="Ciné-club étudiant de Grenoble",
            kind=Network.Kind.CINE_CLUB,
            join_policy=Network.JoinPolicy.OPEN,
            place=city("Voiron"),
        )


def test_a_member_who_has_not_accepted_the_code_of_conduct_cannot_create_a_network():
    newcomer = UserFactory.create(username="newcomer", code_of_conduct_version=0)
    with pytest.raises(DomainError, match="code of conduct"):
        services.create_network(
            actor=newcomer, name="Nouveau club", kind="cine_club", join_policy="open",
            is_online=True,
        )  # fmt: skip
    assert not Network.objects.filter(name="Nouveau club").exists()
