"""Who may see a project, who is on its team and who manages it: one place that services,
views and the API all ask.

- Seeing: a public project, everyone; a network's project, its active members and the
  team; a team-only project, the team.
- The team: the owner and the members listed in `TeamMember`.
- Managing (team, role calls, call sheets, tasks): the owner and the team's managers.

The caller's team row is read once per project instance and kept on it, so a page that
asks the three questions pays one query, not three.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.networks.models import Membership
from contrechamp.projects.models import Project, TeamMember

_CACHE = "_team_row_cache"


def _signed_in(user: User | AnonymousUser | None) -> User | None:
    if isinstance(user, User) and user.is_authenticated and not user.is_deleted:
        return user
    return None


def team_row(user: User | AnonymousUser | None, project: Project) -> TeamMember | None:
    """The person's row in the project's team, or None (cached on the instance)."""
    member = _signed_in(user)
    if member is None:
        return None
    cache: dict[int, TeamMember | None] = project.__dict__.setdefault(_CACHE, {})
    if member.pk not in cache:
        cache[member.pk] = TeamMember.objects.filter(project=project, member=member).first()
    return cache[member.pk]


def forget_team_rows(project: Project) -> None:
    """Drop the cached team rows (after the team changed)."""
    project.__dict__.pop(_CACHE, None)


def is_team_member(user: User | AnonymousUser | None, project: Project) -> bool:
    member = _signed_in(user)
    if member is None:
        return False
    return project.owner_id == member.pk or team_row(member, project) is not None


def can_manage(user: User | AnonymousUser | None, project: Project) -> bool:
    """The owner, or a manager of the team."""
    member = _signed_in(user)
    if member is None:
        return False
    if project.owner_id == member.pk:
        return True
    row = team_row(member, project)
    return row is not None and row.is_manager


def can_view(user: User | AnonymousUser | None, project: Project) -> bool:
    if project.visibility == Project.Visibility.PUBLIC:
        return True
    member = _signed_in(user)
    if member is None:
        return False
    if is_team_member(member, project):
        return True
    if project.visibility == Project.Visibility.NETWORK and project.network_id is not None:
        return Membership.objects.filter(
            network_id=project.network_id, user=member, status=Membership.Status.ACTIVE
        ).exists()
    return False


def visible_projects(user: User | AnonymousUser | None) -> Q:
    """A filter on Project for the projects this person may see (for lists)."""
    public = Q(visibility=Project.Visibility.PUBLIC)
    member = _signed_in(user)
    if member is None:
        return public
    on_team = Exists(TeamMember.objects.filter(project=OuterRef("pk"), member=member))
    in_network = Q(visibility=Project.Visibility.NETWORK) & Exists(
        Membership.objects.filter(
            network=OuterRef("network"), user=member, status=Membership.Status.ACTIVE
        )
    )
    return public | Q(owner=member) | on_team | in_network


def ensure_can_view(user: User | AnonymousUser | None, project: Project) -> None:
    if not can_view(user, project):
        raise PermissionDenied(_("This project is not shared with you."))


def ensure_team_member(user: User | AnonymousUser | None, project: Project) -> None:
    if not is_team_member(user, project):
        raise PermissionDenied(_("Only the team of this project can do this."))


def ensure_can_manage(user: User | AnonymousUser | None, project: Project) -> None:
    if not can_manage(user, project):
        raise PermissionDenied(_("Only the people who run this project can do this."))
