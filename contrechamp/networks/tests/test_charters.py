import pytest
from django.core.exceptions import PermissionDenied

from contrechamp.core.errors import DomainError
from contrechamp.networks import services
from contrechamp.networks.models import CharterAcceptance, CharterVersion, Membership, Network
from contrechamp.networks.permissions import standing

pytestmark = pytest.mark.django_db

CHARTER = "Nous sommes **francs mais bienveillants**."


@pytest.fixture
def chartered(make_network, organiser, member, admin):
    club = make_network(
        name="Ciné-club de Voiron",
        join_policy=Network.JoinPolicy.ON_REQUEST,
        charter=CHARTER,
    )
    services.invite_member(actor=admin, network=club, invitee=organiser)
    services.accept_invitation(actor=organiser, network=club, accept_charter=True)
    services.assign_role(actor=admin, network=club, member=organiser, role="organiser")
    services.invite_member(actor=admin, network=club, invitee=member)
    services.accept_invitation(actor=member, network=club, accept_charter=True)
    return club


def test_a_network_created_with_a_charter_has_version_one_accepted_by_its_creator(chartered, admin):
    assert chartered.current_charter.number == 1
    assert chartered.current_charter.text == CHARTER
    assert standing(admin, chartered).charter_accepted


def test_joining_requires_accepting_the_charter(chartered, outsider):
    with pytest.raises(DomainError):
        services.join_network(actor=outsider, network=chartered, accept_charter=False)
    assert not Membership.objects.filter(user=outsider).exists()


def test_asking_to_join_records_the_acceptance(chartered, outsider):
    services.join_network(actor=outsider, network=chartered, accept_charter=True)

    assert CharterAcceptance.objects.filter(
        user=outsider, version=chartered.current_charter
    ).exists()


def test_accepting_an_invitation_requires_the_charter(chartered, admin, outsider):
    services.invite_member(actor=admin, network=chartered, invitee=outsider)

    with pytest.raises(DomainError):
        services.accept_invitation(actor=outsider, network=chartered, accept_charter=False)
    assert Membership.objects.get(user=outsider).status == Membership.Status.INVITED


def test_a_new_version_asks_every_member_to_accept_again(chartered, admin, member, organiser):
    version = services.publish_charter(actor=admin, network=chartered, text="Version deux.")

    assert version.number == 2
    assert standing(admin, chartered).charter_accepted
    assert standing(member, chartered).must_accept_charter
    assert standing(organiser, chartered).must_accept_charter


def test_an_organiser_with_an_outdated_acceptance_cannot_approve_until_they_accept(
    chartered, admin, organiser, outsider
):
    pending = services.join_network(actor=outsider, network=chartered, accept_charter=True)
    services.publish_charter(actor=admin, network=chartered, text="Version deux.")

    with pytest.raises(PermissionDenied):
        services.approve_request(actor=organiser, membership=pending)
    assert Membership.objects.get(pk=pending.pk).status == Membership.Status.PENDING

    services.accept_charter(actor=organiser, network=chartered)
    services.approve_request(actor=organiser, membership=pending)

    assert Membership.objects.get(pk=pending.pk).status == Membership.Status.ACTIVE


def test_accepting_the_charter_twice_keeps_one_acceptance(chartered, admin, member):
    services.publish_charter(actor=admin, network=chartered, text="Version deux.")

    first = services.accept_charter(actor=member, network=chartered)
    second = services.accept_charter(actor=member, network=chartered)

    assert first.pk == second.pk
    assert CharterAcceptance.objects.filter(user=member, network=chartered).count() == 2


def test_publishing_the_same_text_twice_makes_one_version(chartered, admin):
    services.publish_charter(actor=admin, network=chartered, text="Version deux.")
    services.publish_charter(actor=admin, network=chartered, text="  Version deux.  ")

    assert CharterVersion.objects.filter(network=chartered).count() == 2


def test_only_an_admin_publishes_a_charter(chartered, organiser):
    with pytest.raises(PermissionDenied):
        services.publish_charter(actor=organiser, network=chartered, text="Coup d'état.")
    assert CharterVersion.objects.filter(network=chartered).count() == 1


def test_an_empty_charter_is_refused(chartered, admin):
    with pytest.raises(DomainError):
        services.publish_charter(actor=admin, network=chartered, text="   ")


def test_an_over_long_charter_is_refused(chartered, admin):
    with pytest.raises(DomainError):
        services.publish_charter(actor=admin, network=chartered, text="x" * 20001)
    assert CharterVersion.objects.filter(network=chartered).count() == 1


def test_outsiders_cannot_accept_a_charter(chartered, outsider):
    with pytest.raises(PermissionDenied):
        services.accept_charter(actor=outsider, network=chartered)
    assert not CharterAcceptance.objects.filter(user=outsider).exists()


def test_a_network_without_a_charter_has_nothing_to_accept(network, member):
    with pytest.raises(DomainError):
        services.accept_charter(actor=member, network=network)


def test_a_first_charter_published_later_asks_existing_members(network, admin, member):
    assert standing(member, network).can_act

    services.publish_charter(actor=admin, network=network, text="Première charte.")

    assert standing(member, network).must_accept_charter
