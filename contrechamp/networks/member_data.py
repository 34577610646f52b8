"""The networks app's part in a member's data export, account deletion and privacy circle.

Registered with `contrechamp.accounts.registry` in `NetworksConfig.ready()`.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.core.errors import Conflict
from contrechamp.networks.models import (
    CharterAcceptance,
    Membership,
    Network,
    Role,
    RoleAssignment,
    RoleHandover,
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_member_networks(user: User) -> dict[str, list[dict[str, object]]]:
    """Memberships, roles held (with dates), handovers written and charters accepted."""
    memberships = Membership.objects.filter(user=user).select_related("network").order_by("pk")
    roles = RoleAssignment.objects.filter(user=user).select_related("network").order_by("pk")
    handovers = (
        RoleHandover.objects.filter(handed_over_by=user)
        .select_related("network", "ended_assignment__user", "started_assignment__user")
        .order_by("pk")
    )
    acceptances = (
        CharterAcceptance.objects.filter(user=user)
        .select_related("network", "version")
        .order_by("pk")
    )
    return {
        "memberships": [
            {
                "network": m.network.name,
                "slug": m.network.slug,
                "status": m.status,
                "requested_or_invited_at": _iso(m.created_at),
                "joined_at": _iso(m.joined_at),
                "request_message": m.request_message,
            }
            for m in memberships
        ],
        "roles": [
            {
                "network": r.network.name,
                "role": r.role,
                "started_at": _iso(r.started_at),
                "ended_at": _iso(r.ended_at),
            }
            for r in roles
        ],
        "handovers_written": [
            {
                "network": h.network.name,
                "role": h.role,
                "from": h.ended_assignment.user.username,
                "to": h.started_assignment.user.username,
                "notes": h.notes,
                "at": _iso(h.created_at),
            }
            for h in handovers
        ],
        "charter_acceptances": [
            {
                "network": a.network.name,
                "version": a.version.number,
                "accepted_at": _iso(a.accepted_at),
            }
            for a in acceptances
        ],
    }


def _networks_where_last_admin(user: User, *, lock: bool = False) -> list[Network]:
    """Networks where the member is the only current admin, by name."""
    admin_of = Network.objects.filter(
        role_assignments__user=user,
        role_assignments__role=Role.ADMIN,
        role_assignments__ended_at__isnull=True,
    )
    ids: list[int] | QuerySet[Network, int]
    if lock:
        # Lock in a query of its own: PostgreSQL refuses FOR UPDATE together with GROUP BY.
        ids = [network.pk for network in admin_of.select_for_update().only("pk")]
    else:
        ids = admin_of.values_list("pk", flat=True)
    current_admin = Q(role_assignments__role=Role.ADMIN, role_assignments__ended_at__isnull=True)
    return list(
        Network.objects.filter(pk__in=ids)
        .annotate(admins=Count("role_assignments", filter=current_admin))
        .filter(admins=1)
        .order_by("name_normalised")
    )


def ensure_not_last_admin(user: User) -> None:
    """Refuse to delete the account of a network's last admin (Conflict)."""
    stranded = _networks_where_last_admin(user)
    if stranded:
        raise Conflict(
            _(
                "You are the last admin of %(networks)s: hand over your admin role first, "
                "then delete your account."
            )
            % {"networks": ", ".join(f"“{n.name}”" for n in stranded)}
        )


@transaction.atomic
def leave_all_networks(user: User) -> None:
    """Inside the deletion transaction: end the member's current roles (the history rows
    stay, with the anonymised name), delete their memberships and charter acceptances.
    Checks the last-admin rule again while holding the networks' locks."""
    stranded = _networks_where_last_admin(user, lock=True)
    if stranded:
        raise Conflict(
            _("You are the last admin of %(networks)s: hand over your admin role first.")
            % {"networks": ", ".join(f"“{n.name}”" for n in stranded)}
        )
    RoleAssignment.objects.filter(user=user, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_by=user
    )
    Membership.objects.filter(user=user).delete()
    CharterAcceptance.objects.filter(user=user).delete()


def share_a_network(viewer: User, member: User) -> bool:
    """Both are active members of at least one same network."""
    if viewer.pk is None or member.pk is None:
        return False
    return Membership.objects.filter(
        user=member,
        status=Membership.Status.ACTIVE,
        network__memberships__user=viewer,
        network__memberships__status=Membership.Status.ACTIVE,
    ).exists()
