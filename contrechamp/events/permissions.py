"""Who may see and organise events: one place that services, queries and views ask.

An event is seen by everyone when it is public and published (or cancelled: people who
planned to come must learn it); a members-only event by the network's active members; a
draft only by the network's organisers and admins, who organise every event of their
network.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.events.models import Event
from contrechamp.networks.models import Membership, Network, Role, RoleAssignment
from contrechamp.networks.permissions import standing

ORGANISING_ROLES = (Role.ADMIN, Role.ORGANISER)
SHOWN = (Event.Status.PUBLISHED, Event.Status.CANCELLED)


def can_organise(user: User | AnonymousUser, network: Network) -> bool:
    return standing(user, network).has_role(*ORGANISING_ROLES)


def ensure_can_organise(user: User, network: Network) -> None:
    if not can_organise(user, network):
        raise PermissionDenied(_("Only organisers and admins of this network can do this."))


def visible_events(viewer: User | AnonymousUser) -> QuerySet[Event]:
    """Every event the viewer may see, as one query (two subqueries for a member)."""
    public = Q(status__in=SHOWN, visibility=Event.Visibility.PUBLIC)
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return Event.objects.filter(public)
    member_of = Membership.objects.filter(user=viewer, status=Membership.Status.ACTIVE).values(
        "network_id"
    )
    organiser_of = RoleAssignment.objects.filter(
        user=viewer, ended_at__isnull=True, role__in=ORGANISING_ROLES
    ).values("network_id")
    return Event.objects.filter(
        public | Q(status__in=SHOWN, network_id__in=member_of) | Q(network_id__in=organiser_of)
    )


def can_see(viewer: User | AnonymousUser, event: Event) -> bool:
    if event.status in SHOWN and event.is_public:
        return True
    if event.status in SHOWN and standing(viewer, event.network).is_member:
        return True
    return can_organise(viewer, event.network)


def ensure_can_see(viewer: User | AnonymousUser, event: Event) -> None:
    """Raise PermissionDenied (the designed 403, which says why) when the viewer may not."""
    if not can_see(viewer, event):
        raise PermissionDenied(_("This event is for the members of its network."))
