"""Who may do what in a network: one place that services and views both ask.

A person's `Standing` in a network is their membership, the roles they hold now and whether
they accepted the current charter. Only an active member who accepted the current charter
may act as a member; the roles then say which actions are open to them.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.networks.models import (
    ASSIGNABLE_ROLES,
    MANAGER_ROLES,
    CharterAcceptance,
    Membership,
    Network,
    Role,
    RoleAssignment,
)


@dataclass(frozen=True)
class Standing:
    membership: Membership | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    # False only when the network has a charter whose current version this person has not
    # accepted.
    charter_accepted: bool = True

    @property
    def is_member(self) -> bool:
        return self.membership is not None and self.membership.is_active

    @property
    def is_pending(self) -> bool:
        return self.membership is not None and self.membership.status == Membership.Status.PENDING

    @property
    def is_invited(self) -> bool:
        return self.membership is not None and self.membership.status == Membership.Status.INVITED

    @property
    def can_act(self) -> bool:
        """An active member in good standing: may take part, and use the roles they hold."""
        return self.is_member and self.charter_accepted

    def has_role(self, *roles: str) -> bool:
        return self.can_act and any(role in self.roles for role in roles)

    @property
    def role_labels(self) -> list[str]:
        """The roles held, as words, in the order admin, moderator, organiser."""
        return [str(role.label) for role in ASSIGNABLE_ROLES if role in self.roles]

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    @property
    def can_manage_members(self) -> bool:
        return self.has_role(*MANAGER_ROLES)

    @property
    def can_remove_members(self) -> bool:
        return self.has_role(Role.ADMIN, Role.MODERATOR)

    @property
    def must_accept_charter(self) -> bool:
        return self.is_member and not self.charter_accepted


NOBODY = Standing()


def standing(user: User | AnonymousUser, network: Network) -> Standing:
    """The person's standing in the network, read fresh from the database (two queries):
    a stale `network` instance cannot hide a charter published since it was loaded."""
    if not isinstance(user, User) or not user.is_authenticated:
        return NOBODY
    accepted = CharterAcceptance.objects.filter(
        user=user, version=OuterRef("network__current_charter")
    )
    membership = (
        Membership.objects.filter(network=network, user=user)
        .annotate(
            charter_ok=ExpressionWrapper(
                Q(network__current_charter__isnull=True) | Exists(accepted),
                output_field=BooleanField(),
            )
        )
        .first()
    )
    if membership is None:
        return NOBODY
    roles: frozenset[str] = frozenset()
    if membership.is_active:
        roles = frozenset(
            RoleAssignment.objects.filter(
                network=network, user=user, ended_at__isnull=True
            ).values_list("role", flat=True)
        )
    return Standing(
        membership=membership, roles=roles, charter_accepted=bool(membership.charter_ok)
    )


def ensure_can_act(user: User, network: Network) -> Standing:
    """Raise PermissionDenied unless the person is an active member in good standing."""
    current = standing(user, network)
    if not current.is_member:
        raise PermissionDenied(_("Only members of this network can do this."))
    if not current.charter_accepted:
        raise PermissionDenied(
            _("The charter of this network has changed: accept the new version first.")
        )
    return current


def ensure_role(user: User, network: Network, roles: Iterable[str]) -> Standing:
    """Raise PermissionDenied unless the person can act and holds one of the roles."""
    wanted = frozenset(roles)
    current = ensure_can_act(user, network)
    if not current.roles & wanted:
        if wanted == {Role.ADMIN}:
            raise PermissionDenied(_("Only an admin of this network can do this."))
        raise PermissionDenied(
            _("Only organisers, moderators and admins of this network can do this.")
        )
    return current
