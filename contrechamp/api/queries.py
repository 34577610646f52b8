"""Reads about API tokens, shared by the settings page and the API's authentication."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.api.models import ApiToken
from contrechamp.api.services import hash_secret

# A secret longer than this is not one of ours: no need to hash it to know.
SECRET_MAX = 200
PAST_TOKENS_SHOWN = 10


def token_for_secret(secret: str) -> ApiToken | None:
    """The token whose secret this is, with its owner (one query), whatever its state:
    the caller tells a revoked or expired token apart from an unknown one."""
    if not secret or len(secret) > SECRET_MAX:
        return None
    return ApiToken.objects.filter(secret_hash=hash_secret(secret)).select_related("owner").first()


def live_tokens(member: User) -> QuerySet[ApiToken]:
    """The member's tokens that still open the API, newest first."""
    now = timezone.now()
    return ApiToken.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now), owner=member, revoked_at__isnull=True
    ).order_by("-created_at", "-pk")


def past_tokens(member: User) -> list[ApiToken]:
    """The member's latest revoked or expired tokens, for the record."""
    now = timezone.now()
    return list(
        ApiToken.objects.filter(
            Q(revoked_at__isnull=False) | Q(expires_at__lte=now), owner=member
        ).order_by("-created_at", "-pk")[:PAST_TOKENS_SHOWN]
    )
