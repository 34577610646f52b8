"""Which parts of a profile a viewer may see.

Each field group of a profile (``User.PRIVACY_FIELDS``) has a visibility chosen by its
member. A viewer reaches a level as follows: the member themself sees everything; any
signed-in member reaches MEMBERS; a member who shares a circle with them (as the other
apps decide through ``registry.in_same_circle``) reaches NETWORKS; anonymous visitors
see PUBLIC groups only. PRIVATE groups are for the member alone. Exact coordinates are
not a field group: no page ever shows them.
"""

from django.contrib.auth.models import AnonymousUser

from contrechamp.accounts import registry
from contrechamp.accounts.models import User, Visibility


def visible_groups(viewer: User | AnonymousUser, member: User) -> frozenset[str]:
    """The field groups of ``member``'s profile that ``viewer`` may see.

    The circle test (which may query other apps) only runs when a group needs it.
    """
    groups = User.PRIVACY_FIELDS
    if viewer.is_authenticated and viewer.pk == member.pk:
        return frozenset(groups)
    levels = {group: member.visibility_of(group) for group in groups}
    allowed = {Visibility.PUBLIC.value}
    if viewer.is_authenticated and isinstance(viewer, User) and viewer.is_active:
        allowed.add(Visibility.MEMBERS.value)
        if Visibility.NETWORKS.value in levels.values() and registry.in_same_circle(viewer, member):
            allowed.add(Visibility.NETWORKS.value)
    return frozenset(group for group, level in levels.items() if level in allowed)


def can_see(viewer: User | AnonymousUser, member: User, group: str) -> bool:
    """Whether ``viewer`` may see one field group of ``member``'s profile."""
    if group not in User.PRIVACY_FIELDS:
        raise ValueError(f"Unknown profile field group: {group!r}")
    return group in visible_groups(viewer, member)
