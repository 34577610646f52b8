"""Who looks after an item: its owner, or for a network's item the network's admins and
equipment managers (who must be members in good standing)."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.lending.models import EquipmentManager, Item
from contrechamp.networks.models import Membership, Network, Role
from contrechamp.networks.permissions import standing


def can_manage_network_items(user: User | AnonymousUser, network: Network) -> bool:
    current = standing(user, network)
    if current.is_admin:
        return True
    if not current.can_act or not isinstance(user, User):
        return False
    return EquipmentManager.objects.filter(network=network, user=user).exists()


def can_manage_item(user: User | AnonymousUser, item: Item) -> bool:
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if item.owner_user_id is not None:
        return item.owner_user_id == user.pk
    assert item.owner_network is not None  # noqa: S101 - guaranteed by item_one_owner
    return can_manage_network_items(user, item.owner_network)


def ensure_can_manage_item(user: User, item: Item) -> None:
    if not can_manage_item(user, item):
        raise PermissionDenied(_("Only the owner of this item can do this."))


def serving_managers(network_ids: object) -> Q:
    """Users who are equipment managers of one of these networks AND still active members
    of it: leaving or being removed from a network ends the duty, whatever the list says."""
    return Q(
        equipment_duties__network_id__in=network_ids,
        network_memberships__network_id=F("equipment_duties__network_id"),
        network_memberships__status=Membership.Status.ACTIVE,
    )


def item_keepers(item: Item) -> QuerySet[User]:
    """Who hears about an item's requests: its owner, or the network's admins and
    equipment managers."""
    if item.owner_user_id is not None:
        return User.objects.filter(pk=item.owner_user_id)
    return User.objects.filter(
        Q(
            network_roles__network_id=item.owner_network_id,
            network_roles__role=Role.ADMIN,
            network_roles__ended_at__isnull=True,
        )
        | serving_managers([item.owner_network_id])
    ).distinct()
