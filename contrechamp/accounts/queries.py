"""Reads about members shared by pages, the API and other apps."""

from django.db.models import QuerySet

from contrechamp.accounts.models import Skill, User


def active_members() -> QuerySet[User]:
    """Members who can be shown: active and not deleted."""
    return User.objects.filter(is_active=True, deleted_at__isnull=True)


def member_profiles() -> QuerySet[User]:
    """Active members with what a profile page shows, in a constant number of queries."""
    return active_members().prefetch_related("skills")


def skills() -> QuerySet[Skill]:
    """The skills taxonomy in its display order."""
    return Skill.objects.all()
