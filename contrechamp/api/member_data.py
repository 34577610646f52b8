"""The API app's part in a member's data export and account deletion.

Registered with `contrechamp.accounts.registry` in `ApiConfig.ready()`.
"""

from datetime import datetime

from contrechamp.accounts.models import User
from contrechamp.api.models import ApiToken


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_member_tokens(user: User) -> list[dict[str, object]]:
    """What the member's tokens are (never their secrets, which are not kept anyway)."""
    return [
        {
            "name": token.name,
            "prefix": token.prefix,
            "scope": token.scope,
            "created_at": _iso(token.created_at),
            "last_used_at": _iso(token.last_used_at),
            "expires_at": _iso(token.expires_at),
            "revoked_at": _iso(token.revoked_at),
        }
        for token in ApiToken.objects.filter(owner=user).order_by("pk")
    ]


def delete_member_tokens(user: User) -> None:
    """A deleted account opens no door: its tokens go."""
    ApiToken.objects.filter(owner=user).delete()
