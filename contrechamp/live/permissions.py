"""Who may enter a room and who moderates it.

An event's room is open to whoever may see the event (a public event: any signed-in
member; a members-only one: the network's members); a network's room to its active
members. The network's admins, moderators and organisers, and the member who created the
event, moderate. A ban from the room closes it to that member whatever else holds.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.events import permissions as event_permissions
from contrechamp.live.models import Room, Sanction
from contrechamp.networks.models import Role
from contrechamp.networks.permissions import standing

MODERATING_ROLES = (Role.ADMIN, Role.MODERATOR, Role.ORGANISER)


def _active(room: Room, member: User, kind: str) -> bool:
    now = timezone.now()
    return Sanction.objects.filter(
        Q(until__isnull=True) | Q(until__gt=now),
        room=room,
        member=member,
        kind=kind,
        lifted_at__isnull=True,
    ).exists()


def is_banned(room: Room, member: User) -> bool:
    return _active(room, member, Sanction.Kind.BAN)


def is_muted(room: Room, member: User) -> bool:
    return _active(room, member, Sanction.Kind.MUTE)


def can_moderate(user: User | AnonymousUser, room: Room) -> bool:
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if room.event is not None and room.event.created_by_id == user.pk:
        return True
    return standing(user, room.network).has_role(*MODERATING_ROLES)


def can_enter(user: User | AnonymousUser, room: Room) -> bool:
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return False
    if room.event is not None:
        allowed = event_permissions.can_see(user, room.event)
    else:
        allowed = standing(user, room.network).can_act
    return allowed and not is_banned(room, user)


def ensure_can_enter(user: User, room: Room) -> None:
    if not can_enter(user, room):
        raise PermissionDenied(_("This room is not open to you."))


def ensure_can_moderate(user: User, room: Room) -> None:
    if not can_moderate(user, room):
        raise PermissionDenied(
            _("Only the organisers and moderators of this room's network can do this.")
        )
