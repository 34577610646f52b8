"""Who may change a venue: the member who added it, and the site's staff.

Venues are shared by every network, so a page that one club relies on cannot be rewritten
by anyone passing by; a mistake is reported to the staff, who can fix any venue.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.venues.models import Venue


def can_add_venue(user: User | AnonymousUser) -> bool:
    return isinstance(user, User) and user.is_active and not user.is_deleted


def can_edit_venue(user: User | AnonymousUser, venue: Venue) -> bool:
    if not can_add_venue(user):
        return False
    return user.is_staff or (venue.created_by_id is not None and venue.created_by_id == user.pk)


def ensure_can_edit_venue(user: User | AnonymousUser, venue: Venue) -> None:
    if not can_edit_venue(user, venue):
        raise PermissionDenied(
            _("Only the member who added this venue and the site's staff can change it.")
        )
