"""What a member does with their API tokens: make one, revoke one; and the bookkeeping of
when a token was last used.

A token's secret is returned once, by `create_token`, and only its hash is kept.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.accounts.services import ensure_code_of_conduct_accepted
from contrechamp.api.models import ApiToken
from contrechamp.core.errors import Conflict, DomainError

SECRET_PREFIX = "cct_"  # noqa: S105 - a public marker that tells our tokens apart
SECRET_BYTES = 32  # 43 URL-safe characters after the prefix
SHOWN_PREFIX_LENGTH = len(SECRET_PREFIX) + 6
NAME_MAX = ApiToken._meta.get_field("name").max_length or 100
MAX_LIVE_TOKENS = 20
# `last_used_at` is a hint for the member, not an audit log: one write a minute is enough.
USE_RECORDED_EVERY = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    """The stored form of a secret: its SHA-256, in hexadecimal."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its secret, which exists nowhere else: show it once."""

    token: ApiToken
    secret: str


def _ensure_open_account(member: User) -> None:
    if not member.is_authenticated or not member.is_active or member.is_deleted:
        raise PermissionDenied(_("Sign in to manage your API tokens."))


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("Give the token a name, such as the app or script that uses it."))
    if len(name) > NAME_MAX:
        raise DomainError(
            _("The name is too long (%(limit)d characters at most).") % {"limit": NAME_MAX}
        )
    if "\x00" in name:
        raise DomainError(_("The name contains a character that is not allowed."))
    return name


def _name_taken(name: str) -> Conflict:
    return Conflict(
        _("You already have a token called “%(name)s”: choose another name.") % {"name": name}
    )


@transaction.atomic
def create_token(
    *, actor: User, name: str, scope: str, expires_at: datetime | None = None
) -> IssuedToken:
    """Make a personal access token for the actor, reading only or reading and writing,
    valid until `expires_at` (None: until revoked).

    A member holds at most `MAX_LIVE_TOKENS` live tokens, each with its own name: a second
    live token with the same name is a Conflict (which also stops a double submission from
    making two tokens)."""
    _ensure_open_account(actor)
    ensure_code_of_conduct_accepted(actor)
    name = _clean_name(name)
    if scope not in ApiToken.Scope.values:
        raise DomainError(_("Choose what the token may do from the list."))
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise DomainError(_("Choose an expiry date in the future."))
    # The member's row is locked: two requests at once cannot both pass the count.
    User.objects.select_for_update().only("pk").get(pk=actor.pk)
    live = ApiToken.objects.filter(owner=actor, revoked_at__isnull=True).exclude(
        expires_at__lte=now
    )
    if live.filter(name=name).exists():
        raise _name_taken(name)
    if live.count() >= MAX_LIVE_TOKENS:
        raise Conflict(
            _("You have %(count)d tokens already: revoke one you no longer use first.")
            % {"count": MAX_LIVE_TOKENS}
        )
    # An expired token keeps its name until it is revoked: revoke it on the way.
    ApiToken.objects.filter(
        owner=actor, name=name, revoked_at__isnull=True, expires_at__lte=now
    ).update(revoked_at=now)
    secret = SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(
                owner=actor,
                name=name,
                prefix=secret[:SHOWN_PREFIX_LENGTH],
                secret_hash=hash_secret(secret),
                scope=scope,
                created_at=now,
                expires_at=expires_at,
            )
    except IntegrityError as error:
        raise _name_taken(name) from error
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(*, actor: User, token: ApiToken) -> ApiToken:
    """The token's owner revokes it: from now on it answers 401. Revoking twice is fine.

    Revoking needs no accepted code of conduct: closing a door must always be possible."""
    _ensure_open_account(actor)
    locked = ApiToken.objects.select_for_update().filter(pk=token.pk).first()
    if locked is None or locked.owner_id != actor.pk:
        raise PermissionDenied(_("This token is not yours."))
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
    return locked


def record_use(*, token: ApiToken) -> None:
    """Note that the token was just used, unless that was noted less than a minute ago
    (one UPDATE, no read; the in-memory token is brought up to date)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < USE_RECORDED_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
