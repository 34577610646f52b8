"""Who may see, edit and close questions: one place that services, views and the API ask.

A public question is seen by everyone; a network's question only by the network's active
members. Its moderators are the network's moderators and admins; a public question's are
the site's staff, who may also moderate every network's questions.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.networks.models import Membership, Role
from contrechamp.networks.permissions import standing
from contrechamp.questions.models import Answer, Question


def network_ids(viewer: User | AnonymousUser) -> list[int]:
    """The networks whose questions the viewer sees (one query; none when signed out)."""
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=viewer, status=Membership.Status.ACTIVE).values_list(
            "network_id", flat=True
        )
    )


def visible_filter(viewer: User | AnonymousUser, prefix: str = "") -> Q:
    """Questions (or, with `prefix="question__"`, their answers) the viewer may see."""
    seen = Q(**{f"{prefix}network__isnull": True})
    networks = network_ids(viewer)
    if networks:
        seen |= Q(**{f"{prefix}network_id__in": networks})
    return seen


def can_see(viewer: User | AnonymousUser, question: Question) -> bool:
    if question.network_id is None:
        return True
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return False
    return Membership.objects.filter(
        user=viewer, network_id=question.network_id, status=Membership.Status.ACTIVE
    ).exists()


def ensure_can_see(viewer: User, question: Question) -> None:
    if not can_see(viewer, question):
        raise PermissionDenied(_("Only members of this network can see this question."))


def is_moderator(user: User | AnonymousUser, question: Question) -> bool:
    """Site staff for every question; a network's moderators and admins for its own."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    if question.network is None:
        return False
    return standing(user, question.network).has_role(Role.MODERATOR, Role.ADMIN)


def can_edit_question(user: User | AnonymousUser, question: Question) -> bool:
    if isinstance(user, User) and user.is_authenticated and question.author_id == user.pk:
        return True
    return is_moderator(user, question)


def can_edit_answer(user: User | AnonymousUser, answer: Answer) -> bool:
    if isinstance(user, User) and user.is_authenticated and answer.author_id == user.pk:
        return True
    return is_moderator(user, answer.question)


def ensure_can_edit_question(user: User, question: Question) -> None:
    if not can_edit_question(user, question):
        raise PermissionDenied(_("Only the author or a moderator can edit this question."))


def ensure_can_edit_answer(user: User, answer: Answer) -> None:
    if not can_edit_answer(user, answer):
        raise PermissionDenied(_("Only the author or a moderator can edit this answer."))


def ensure_moderator(user: User, question: Question) -> None:
    if not is_moderator(user, question):
        if question.network_id is None:
            raise PermissionDenied(_("Only the site's moderators can close a public question."))
        raise PermissionDenied(_("Only moderators of this network can close its questions."))
