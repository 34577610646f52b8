import threading

import pytest
from django.db import connection

from contrechamp.core.errors import Conflict
from contrechamp.networks import services
from contrechamp.networks.models import Role, RoleAssignment
from contrechamp.networks.permissions import standing


def admins(network):
    return set(
        RoleAssignment.objects.filter(
            network=network, role=Role.ADMIN, ended_at__isnull=True
        ).values_list("user__username", flat=True)
    )


@pytest.mark.django_db
def test_the_last_admin_cannot_leave(network, admin):
    with pytest.raises(Conflict, match="hand over"):
        services.leave_network(actor=admin, network=network)

    assert standing(admin, network).is_admin


@pytest.mark.django_db
def test_an_admin_leaves_once_another_admin_exists(network, admin, member):
    services.assign_role(actor=admin, network=network, member=member, role=Role.ADMIN)

    services.leave_network(actor=admin, network=network)

    assert admins(network) == {"nora"}


@pytest.mark.django_db
def test_the_last_admin_cannot_revoke_their_own_admin_role(network, admin):
    with pytest.raises(Conflict):
        services.revoke_role(actor=admin, network=network, member=admin, role=Role.ADMIN)

    assert admins(network) == {"juliette"}


@pytest.mark.django_db
def test_the_last_admin_cannot_remove_themselves(network, admin):
    with pytest.raises(Conflict):
        services.remove_member(actor=admin, network=network, member=admin)

    assert standing(admin, network).is_member


@pytest.mark.django_db
def test_an_admin_removes_another_admin_while_one_remains(network, admin, member):
    services.assign_role(actor=admin, network=network, member=member, role=Role.ADMIN)

    services.remove_member(actor=admin, network=network, member=member)

    assert admins(network) == {"juliette"}


@pytest.mark.django_db
def test_handing_over_the_admin_role_keeps_an_admin(network, admin, member):
    services.hand_over_role(
        actor=admin,
        network=network,
        role=Role.ADMIN,
        from_member=admin,
        to_member=member,
        notes="Les codes du compte bancaire sont chez la trésorière.",
    )

    assert admins(network) == {"nora"}
    with pytest.raises(Conflict):
        services.leave_network(actor=member, network=network)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
@pytest.mark.django_db(transaction=True)
def test_two_admins_leaving_at_once_cannot_both_go(network, admin, member, monkeypatch):
    """Each admin sees "one other admin" if both count before either leaves: the network row
    lock makes the second wait for the first, then count again."""
    services.assign_role(actor=admin, network=network, member=member, role=Role.ADMIN)
    counted = threading.Semaphore(0)
    proceed = threading.Event()
    count_admins = services._admins_other_than

    def count_then_wait(*args, **kwargs):
        result = count_admins(*args, **kwargs)
        counted.release()
        proceed.wait(timeout=10)
        return result

    monkeypatch.setattr(services, "_admins_other_than", count_then_wait)
    outcomes: dict[str, str] = {}

    def leave(user):
        try:
            services.leave_network(actor=user, network=network)
            outcomes[user.username] = "left"
        except Conflict:
            outcomes[user.username] = "refused"
        finally:
            connection.close()

    first = threading.Thread(target=leave, args=(admin,))
    first.start()
    assert counted.acquire(timeout=10), "the first admin never counted"
    second = threading.Thread(target=leave, args=(member,))
    second.start()
    # With the lock, the second request waits on the network row and cannot count yet.
    second_counted_concurrently = counted.acquire(timeout=0.5)
    proceed.set()
    first.join(timeout=10)
    second.join(timeout=10)

    assert not second_counted_concurrently
    assert sorted(outcomes.values()) == ["left", "refused"]
    assert len(admins(network)) == 1
