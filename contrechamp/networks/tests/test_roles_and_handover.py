import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core.errors import Conflict, DomainError
from contrechamp.networks import queries, services
from contrechamp.networks.models import Role, RoleAssignment, RoleHandover
from contrechamp.networks.permissions import standing

pytestmark = pytest.mark.django_db

NOTES = "Contacts : la mairie (M. Durand). Le projecteur est dans la salle 12, clé à l'accueil."


def current(network, user):
    return set(
        RoleAssignment.objects.filter(
            network=network, user=user, ended_at__isnull=True
        ).values_list("role", flat=True)
    )


def test_the_creator_is_member_admin_and_organiser(network, admin):
    me = standing(admin, network)

    assert me.is_member
    assert me.roles == {Role.ADMIN, Role.ORGANISER}


def test_an_admin_gives_a_member_a_role_once_even_when_asked_twice(network, admin, member):
    first = services.assign_role(actor=admin, network=network, member=member, role=Role.MODERATOR)
    second = services.assign_role(actor=admin, network=network, member=member, role=Role.MODERATOR)

    assert first.pk == second.pk
    assert first.assigned_by == admin
    assert current(network, member) == {Role.MODERATOR}


def test_a_member_may_hold_several_roles(network, admin, member):
    services.assign_role(actor=admin, network=network, member=member, role=Role.MODERATOR)
    services.assign_role(actor=admin, network=network, member=member, role=Role.ORGANISER)

    assert current(network, member) == {Role.MODERATOR, Role.ORGANISER}


def test_an_organiser_cannot_give_roles(network, organiser, member):
    with pytest.raises(PermissionDenied):
        services.assign_role(actor=organiser, network=network, member=member, role=Role.ADMIN)
    assert current(network, member) == set()


def test_a_role_goes_only_to_an_active_member(network, admin, outsider):
    with pytest.raises(Conflict):
        services.assign_role(actor=admin, network=network, member=outsider, role=Role.ORGANISER)
    assert current(network, outsider) == set()


def test_member_is_not_a_role_one_assigns(network, admin, member):
    with pytest.raises(DomainError):
        services.assign_role(actor=admin, network=network, member=member, role=Role.MEMBER)


def test_the_database_refuses_two_current_identical_assignments(network, organiser):
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(network=network, user=organiser, role=Role.ORGANISER)


def test_revoking_a_role_ends_it_and_keeps_the_history(network, admin, organiser):
    services.revoke_role(actor=admin, network=network, member=organiser, role=Role.ORGANISER)

    assignment = RoleAssignment.objects.get(network=network, user=organiser)
    assert assignment.ended_at is not None
    assert assignment.ended_by == admin
    assert current(network, organiser) == set()


def test_a_role_can_be_given_again_after_it_ended(network, admin, organiser):
    services.revoke_role(actor=admin, network=network, member=organiser, role=Role.ORGANISER)
    services.assign_role(actor=admin, network=network, member=organiser, role=Role.ORGANISER)

    assert RoleAssignment.objects.filter(network=network, user=organiser).count() == 2


def test_a_holder_steps_down_from_their_own_role(network, organiser):
    services.revoke_role(actor=organiser, network=network, member=organiser, role=Role.ORGANISER)

    assert current(network, organiser) == set()


def test_a_member_cannot_end_someone_elses_role(network, member, organiser):
    with pytest.raises(PermissionDenied):
        services.revoke_role(actor=member, network=network, member=organiser, role=Role.ORGANISER)
    assert current(network, organiser) == {Role.ORGANISER}


def test_a_holder_hands_over_their_role_with_notes(network, organiser, member):
    handover = services.hand_over_role(
        actor=organiser,
        network=network,
        role=Role.ORGANISER,
        from_member=organiser,
        to_member=member,
        notes=NOTES,
    )

    assert current(network, organiser) == set()
    assert current(network, member) == {Role.ORGANISER}
    assert handover.notes == NOTES
    assert handover.handed_over_by == organiser
    assert handover.ended_assignment.user == organiser
    assert handover.started_assignment.user == member
    assert handover.ended_assignment.ended_at == handover.started_assignment.started_at


def test_an_admin_hands_over_someone_elses_role(network, admin, organiser, member):
    services.hand_over_role(
        actor=admin,
        network=network,
        role=Role.ORGANISER,
        from_member=organiser,
        to_member=member,
        notes=NOTES,
    )

    assert current(network, member) == {Role.ORGANISER}
    assert RoleHandover.objects.get().handed_over_by == admin


def test_submitting_the_same_handover_twice_records_it_once(network, organiser, member):
    kwargs = {
        "actor": organiser,
        "network": network,
        "role": Role.ORGANISER,
        "from_member": organiser,
        "to_member": member,
        "notes": NOTES,
    }
    first = services.hand_over_role(**kwargs)
    second = services.hand_over_role(**kwargs)

    assert first.pk == second.pk
    assert RoleHandover.objects.count() == 1


def test_a_member_cannot_hand_over_a_role_they_do_not_hold(network, member, organiser):
    intruder = UserFactory.create(username="intruder")
    services.join_network(actor=intruder, network=network, accept_charter=False)

    with pytest.raises(PermissionDenied):
        services.hand_over_role(
            actor=member,
            network=network,
            role=Role.ORGANISER,
            from_member=organiser,
            to_member=intruder,
            notes=NOTES,
        )
    assert current(network, organiser) == {Role.ORGANISER}
    assert not RoleHandover.objects.exists()


def test_the_successor_must_be_an_active_member(network, organiser, outsider):
    with pytest.raises(Conflict):
        services.hand_over_role(
            actor=organiser,
            network=network,
            role=Role.ORGANISER,
            from_member=organiser,
            to_member=outsider,
            notes=NOTES,
        )
    assert current(network, organiser) == {Role.ORGANISER}
    assert not RoleHandover.objects.exists()


def test_a_successor_who_already_holds_the_role_is_refused(network, admin, organiser):
    with pytest.raises(Conflict):
        services.hand_over_role(
            actor=organiser,
            network=network,
            role=Role.ORGANISER,
            from_member=organiser,
            to_member=admin,
            notes=NOTES,
        )
    assert current(network, organiser) == {Role.ORGANISER}


def test_handover_notes_are_required(network, organiser, member):
    with pytest.raises(DomainError):
        services.hand_over_role(
            actor=organiser,
            network=network,
            role=Role.ORGANISER,
            from_member=organiser,
            to_member=member,
            notes="  ",
        )
    assert current(network, organiser) == {Role.ORGANISER}


def test_the_role_history_shows_who_held_which_role_and_the_notes(
    network, organiser, member, django_assert_num_queries
):
    services.hand_over_role(
        actor=organiser,
        network=network,
        role=Role.ORGANISER,
        from_member=organiser,
        to_member=member,
        notes=NOTES,
    )

    with django_assert_num_queries(1):
        history = list(queries.role_history(network))
        lines = [
            (
                a.user.username,
                a.role,
                a.is_current,
                getattr(getattr(a, "handover_out", None), "notes", None),
            )
            for a in history
        ]

    assert ("sebastien", Role.ORGANISER, False, NOTES) in lines
    assert ("nora", Role.ORGANISER, True, None) in lines
