import pytest
from django.core.exceptions import PermissionDenied

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.networks import services
from contrechamp.networks.models import Membership, Network
from contrechamp.networks.permissions import standing

pytestmark = pytest.mark.django_db


def test_joining_an_open_network_makes_an_active_member_at_once(network, outsider):
    membership = services.join_network(actor=outsider, network=network, accept_charter=False)

    assert membership.status == Membership.Status.ACTIVE
    assert membership.joined_at is not None
    assert standing(outsider, network).can_act


def test_joining_twice_keeps_one_membership_and_raises_nothing(network, outsider):
    first = services.join_network(actor=outsider, network=network, accept_charter=False)
    second = services.join_network(actor=outsider, network=network, accept_charter=False)

    assert first.pk == second.pk
    assert Membership.objects.filter(network=network, user=outsider).count() == 1


def test_asking_to_join_an_on_request_network_leaves_a_pending_request(request_network, outsider):
    membership = services.join_network(
        actor=outsider, network=request_network, accept_charter=False, message="J'aime Tati."
    )

    assert membership.status == Membership.Status.PENDING
    assert membership.request_message == "J'aime Tati."
    assert not standing(outsider, request_network).can_act


def test_an_organiser_approves_a_request(request_network, organiser, outsider):
    membership = services.join_network(
        actor=outsider, network=request_network, accept_charter=False
    )

    services.approve_request(actor=organiser, membership=membership)

    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE
    assert membership.joined_at is not None


def test_approving_twice_is_harmless(request_network, organiser, outsider):
    membership = services.join_network(
        actor=outsider, network=request_network, accept_charter=False
    )
    services.approve_request(actor=organiser, membership=membership)

    again = services.approve_request(actor=organiser, membership=membership)

    assert again.status == Membership.Status.ACTIVE


def test_an_organiser_declines_a_request_and_it_disappears(request_network, organiser, outsider):
    membership = services.join_network(
        actor=outsider, network=request_network, accept_charter=False
    )

    services.decline_request(actor=organiser, membership=membership)
    services.decline_request(actor=organiser, membership=membership)

    assert not Membership.objects.filter(user=outsider).exists()


def test_declining_an_approved_request_is_refused(request_network, organiser, outsider):
    membership = services.join_network(
        actor=outsider, network=request_network, accept_charter=False
    )
    services.approve_request(actor=organiser, membership=membership)

    with pytest.raises(InvalidTransition):
        services.decline_request(actor=organiser, membership=membership)


def test_a_plain_member_cannot_approve_requests(request_network, organiser, outsider):
    plain = UserFactory.create(username="plain")
    services.join_network(actor=plain, network=request_network, accept_charter=False)
    services.approve_request(
        actor=organiser, membership=Membership.objects.get(user=plain, network=request_network)
    )
    pending = services.join_network(actor=outsider, network=request_network, accept_charter=False)

    with pytest.raises(PermissionDenied):
        services.approve_request(actor=plain, membership=pending)

    pending.refresh_from_db()
    assert pending.status == Membership.Status.PENDING


def test_someone_with_a_pending_request_cannot_approve_their_own(request_network, outsider):
    pending = services.join_network(actor=outsider, network=request_network, accept_charter=False)

    with pytest.raises(PermissionDenied):
        services.approve_request(actor=outsider, membership=pending)
    assert Membership.objects.get(pk=pending.pk).status == Membership.Status.PENDING


def test_an_invitation_only_network_refuses_who_it_did_not_invite(make_network, outsider):
    club = make_network(join_policy=Network.JoinPolicy.INVITATION)

    with pytest.raises(PermissionDenied):
        services.join_network(actor=outsider, network=club, accept_charter=True)
    assert not Membership.objects.filter(user=outsider).exists()


def test_an_invited_person_joins_an_invitation_only_network(make_network, admin, outsider):
    club = make_network(join_policy=Network.JoinPolicy.INVITATION)
    invitation = services.invite_member(actor=admin, network=club, invitee=outsider)
    assert invitation.status == Membership.Status.INVITED
    assert invitation.invited_by == admin

    membership = services.join_network(actor=outsider, network=club, accept_charter=False)

    assert membership.status == Membership.Status.ACTIVE


def test_inviting_twice_keeps_one_invitation(network, admin, outsider):
    first = services.invite_member(actor=admin, network=network, invitee=outsider)
    second = services.invite_member(actor=admin, network=network, invitee=outsider)

    assert first.pk == second.pk
    assert Membership.objects.filter(user=outsider).count() == 1


def test_inviting_a_member_says_they_are_already_in(network, admin, member):
    with pytest.raises(Conflict):
        services.invite_member(actor=admin, network=network, invitee=member)


def test_inviting_someone_who_asked_lets_them_in(request_network, organiser, outsider):
    services.join_network(actor=outsider, network=request_network, accept_charter=False)

    membership = services.invite_member(actor=organiser, network=request_network, invitee=outsider)

    assert membership.status == Membership.Status.ACTIVE


def test_a_plain_member_cannot_invite(network, member, outsider):
    with pytest.raises(PermissionDenied):
        services.invite_member(actor=member, network=network, invitee=outsider)
    assert not Membership.objects.filter(user=outsider).exists()


def test_accepting_an_invitation_that_was_never_sent_is_refused(network, outsider):
    with pytest.raises(PermissionDenied):
        services.accept_invitation(actor=outsider, network=network, accept_charter=True)


def test_leaving_then_joining_again_works(network, member):
    services.leave_network(actor=member, network=network)
    assert not standing(member, network).is_member

    services.join_network(actor=member, network=network, accept_charter=False)

    assert standing(member, network).is_member


def test_leaving_twice_is_harmless(network, member):
    services.leave_network(actor=member, network=network)
    services.leave_network(actor=member, network=network)

    assert not Membership.objects.filter(user=member).exists()


def test_withdrawing_a_request_deletes_it(request_network, outsider):
    services.join_network(actor=outsider, network=request_network, accept_charter=False)

    services.leave_network(actor=outsider, network=request_network)

    assert not Membership.objects.filter(user=outsider).exists()


def test_an_over_long_request_message_is_refused(request_network, outsider):
    with pytest.raises(DomainError):
        services.join_network(
            actor=outsider, network=request_network, accept_charter=False, message="x" * 1001
        )
    assert not Membership.objects.filter(user=outsider).exists()


def test_a_moderator_removes_a_member_but_not_an_admin(network, admin, member, outsider):
    services.join_network(actor=outsider, network=network, accept_charter=False)
    services.assign_role(actor=admin, network=network, member=member, role="moderator")

    services.remove_member(actor=member, network=network, member=outsider)
    assert not Membership.objects.filter(user=outsider).exists()

    with pytest.raises(PermissionDenied):
        services.remove_member(actor=member, network=network, member=admin)
    assert standing(admin, network).is_admin


def test_an_organiser_cannot_remove_members(network, organiser, member):
    with pytest.raises(PermissionDenied):
        services.remove_member(actor=organiser, network=network, member=member)
    assert standing(member, network).is_member


def test_removing_a_member_ends_their_roles_and_keeps_the_history(network, admin, organiser):
    services.remove_member(actor=admin, network=network, member=organiser)

    assert not standing(organiser, network).is_member
    assignment = organiser.network_roles.get(network=network)
    assert assignment.ended_at is not None
    assert assignment.ended_by == admin


def test_a_member_who_has_not_accepted_the_code_of_conduct_cannot_join_yet(network):
    newcomer = UserFactory.create(username="newcomer", code_of_conduct_version=0)
    with pytest.raises(DomainError, match="code of conduct"):
        services.join_network(actor=newcomer, network=network, accept_charter=True)
    assert not Membership.objects.filter(user=newcomer).exists()
