"""Who may see, edit and manage a guide: one place that services, views, the API and the
search ask.

- See: anyone for a public guide; otherwise its editors and the active members of the
  owning network or of a network it is shared with.
- Edit: the owning member, the admins and organisers of the owning network (in good
  standing), and the co-editors the owner added.
- Manage (sharing, co-editors): the owning member, or the owning network's admins and
  organisers.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.guides.models import Guide, GuideEditor
from contrechamp.networks.models import Membership, Role
from contrechamp.networks.permissions import standing

EDITOR_ROLES = (Role.ADMIN, Role.ORGANISER)


def visible_to(viewer: User | AnonymousUser) -> Q:
    """Guides `viewer` may see, as one filter (subqueries: no row is repeated)."""
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return Q(is_public=True)
    # Subqueries that do not depend on the guide row: each database runs them once, not
    # once per guide.
    networks = Membership.objects.filter(user=viewer, status=Membership.Status.ACTIVE).values(
        "network_id"
    )
    shared = Guide.shared_with.through.objects.filter(network_id__in=networks).values("guide_id")
    co_edits = GuideEditor.objects.filter(user=viewer).values("guide_id")
    return (
        Q(is_public=True)
        | Q(owner_user=viewer)
        | Q(owner_network_id__in=networks)
        | Q(pk__in=shared)
        | Q(pk__in=co_edits)
    )


def can_see(viewer: User | AnonymousUser, guide: Guide) -> bool:
    return Guide.objects.filter(visible_to(viewer), pk=guide.pk).exists()


def can_manage(user: User | AnonymousUser, guide: Guide) -> bool:
    """The owner: the owning member, or an admin or organiser of the owning network."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if guide.owner_user_id is not None:
        return guide.owner_user_id == user.pk
    assert guide.owner_network is not None  # noqa: S101 - guaranteed by guide_one_owner
    return standing(user, guide.owner_network).has_role(*EDITOR_ROLES)


def can_edit(user: User | AnonymousUser, guide: Guide) -> bool:
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if GuideEditor.objects.filter(guide=guide, user=user).exists():
        return True
    return can_manage(user, guide)


def ensure_can_edit(user: User, guide: Guide) -> None:
    if not can_edit(user, guide):
        raise PermissionDenied(_("Only the editors of this guide can change it."))


def ensure_can_manage(user: User, guide: Guide) -> None:
    if not can_manage(user, guide):
        raise PermissionDenied(
            _("Only the owner of this guide can change who sees it and who edits it.")
        )
