"""Who may read and comment on a project's screenplay and cuts.

- The project's team (owner and team members): everything, and they add versions and
  cuts, ask for feedback and mark comments resolved.
- A member invited by a feedback request: the screenplay (all its versions, since comments
  follow the text from version to version) when the request was about a screenplay
  version, or that one cut when it was about a cut. They comment and reply.
- Nobody else, whatever the project page's visibility.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.feedback.models import Cut, Reviewer
from contrechamp.projects.models import Project
from contrechamp.projects.permissions import is_team_member

_SCREENPLAY_CACHE = "_screenplay_reviewer_cache"


def _member(user: User | AnonymousUser | None) -> User | None:
    if isinstance(user, User) and user.is_authenticated and not user.is_deleted:
        return user
    return None


def can_review_screenplay(user: User | AnonymousUser | None, project: Project) -> bool:
    """The team, or a member invited to give feedback on one of its screenplay versions
    (a yes is kept on the project instance: one query per page)."""
    member = _member(user)
    if member is None:
        return False
    if is_team_member(member, project):
        return True
    cache: dict[int, bool] = project.__dict__.setdefault(_SCREENPLAY_CACHE, {})
    if not cache.get(member.pk):
        cache[member.pk] = Reviewer.objects.filter(
            member=member, project=project, cut__isnull=True
        ).exists()
    return cache[member.pk]


def can_review_cut(user: User | AnonymousUser | None, cut: Cut) -> bool:
    member = _member(user)
    if member is None:
        return False
    if is_team_member(member, cut.project):
        return True
    return Reviewer.objects.filter(member=member, cut=cut).exists()


def ensure_can_review_screenplay(user: User | AnonymousUser | None, project: Project) -> None:
    if not can_review_screenplay(user, project):
        raise PermissionDenied(
            _("Only the team and the reviewers it invited can read this screenplay.")
        )


def ensure_can_review_cut(user: User | AnonymousUser | None, cut: Cut) -> None:
    if not can_review_cut(user, cut):
        raise PermissionDenied(_("Only the team and the reviewers it invited can see this cut."))


def ensure_on_team(user: User | AnonymousUser | None, project: Project) -> None:
    if not is_team_member(user, project):
        raise PermissionDenied(_("Only the team of this project can do this."))
