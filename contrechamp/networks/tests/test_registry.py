import json

import pytest
from zeal import zeal_ignore

from contrechamp.accounts import registry
from contrechamp.core.errors import Conflict
from contrechamp.networks import member_data, services
from contrechamp.networks.models import (
    CharterAcceptance,
    Membership,
    Role,
    RoleAssignment,
    RoleHandover,
)

pytestmark = pytest.mark.django_db

NOTES = "Les clés du local sont chez la gardienne."


@pytest.fixture
def contributor():
    return next(c for c in registry.contributors() if c.name == "networks")


@pytest.fixture
def handed_over(network, admin, organiser, member):
    """Sébastien handed his organiser role to Nora; a charter was published and accepted."""
    with zeal_ignore():
        services.hand_over_role(
            actor=organiser,
            network=network,
            role=Role.ORGANISER,
            from_member=organiser,
            to_member=member,
            notes=NOTES,
        )
        services.publish_charter(actor=admin, network=network, text="Bienveillance.")
        services.accept_charter(actor=organiser, network=network)
    return network


def test_the_networks_app_registers_its_export_deletion_and_circle(contributor):
    assert contributor.export is member_data.export_member_networks
    assert contributor.check_deletion is member_data.ensure_not_last_admin
    assert contributor.anonymise is member_data.leave_all_networks
    assert member_data.share_a_network in registry._circles


def test_the_export_holds_memberships_roles_handovers_and_charters(
    handed_over, organiser, contributor, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        exported = contributor.export(organiser)

    json.dumps(exported)  # the accounts app writes it as JSON
    assert exported["memberships"] == [
        {
            "network": "Ciné-club étudiant de Grenoble",
            "slug": handed_over.slug,
            "status": "active",
            "requested_or_invited_at": exported["memberships"][0]["requested_or_invited_at"],
            "joined_at": exported["memberships"][0]["joined_at"],
            "request_message": "",
        }
    ]
    [role] = exported["roles"]
    assert role["role"] == "organiser"
    assert role["ended_at"] is not None
    [handover] = exported["handovers_written"]
    assert handover == {
        "network": "Ciné-club étudiant de Grenoble",
        "role": "organiser",
        "from": "sebastien",
        "to": "nora",
        "notes": NOTES,
        "at": handover["at"],
    }
    assert [a["version"] for a in exported["charter_acceptances"]] == [1]


def test_the_export_of_someone_without_networks_is_empty(outsider, contributor):
    assert contributor.export(outsider) == {
        "memberships": [],
        "roles": [],
        "handovers_written": [],
        "charter_acceptances": [],
    }


def test_deletion_is_refused_to_the_last_admin_of_a_network(network, admin, contributor):
    with pytest.raises(Conflict, match="hand over your admin role first"):
        contributor.check_deletion(admin)


def test_deletion_is_allowed_once_another_admin_exists(network, admin, member, contributor):
    with zeal_ignore():
        services.assign_role(actor=admin, network=network, member=member, role=Role.ADMIN)

    contributor.check_deletion(admin)


def test_deletion_is_allowed_to_members_without_admin_role(network, member, contributor):
    contributor.check_deletion(member)


def test_anonymising_ends_roles_deletes_memberships_and_keeps_the_history(
    handed_over, organiser, member, contributor
):
    contributor.anonymise(member)

    assert not Membership.objects.filter(user=member).exists()
    assert not RoleAssignment.objects.filter(user=member, ended_at__isnull=True).exists()
    assert RoleAssignment.objects.filter(user=member).count() == 1
    assert RoleHandover.objects.filter(started_assignment__user=member).exists()
    assert not CharterAcceptance.objects.filter(user=member).exists()
    assert Membership.objects.filter(user=organiser).exists()


def test_anonymising_the_last_admin_is_refused_and_changes_nothing(network, admin, contributor):
    with pytest.raises(Conflict):
        contributor.anonymise(admin)

    assert Membership.objects.filter(user=admin).exists()
    assert RoleAssignment.objects.filter(user=admin, ended_at__isnull=True).count() == 2


def test_two_active_members_of_one_network_share_a_circle(network, admin, member, outsider):
    assert member_data.share_a_network(admin, member)
    assert member_data.share_a_network(member, admin)
    assert not member_data.share_a_network(outsider, member)
    assert not member_data.share_a_network(member, outsider)


def test_a_pending_request_is_not_a_shared_circle(request_network, organiser, outsider):
    with zeal_ignore():
        services.join_network(actor=outsider, network=request_network, accept_charter=False)

    assert not member_data.share_a_network(organiser, outsider)
    assert not member_data.share_a_network(outsider, organiser)
