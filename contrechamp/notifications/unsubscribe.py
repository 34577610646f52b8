"""One-click unsubscribe links (RFC 8058): signed, so they need no sign-in.

A token names a member and the kinds an email was about. It is signed with the site's
secret (`django.core.signing`, its own salt) and refused once older than `MAX_AGE`: an
old forwarded email should not switch someone's settings forever after.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "contrechamp.notifications.unsubscribe"
MAX_AGE = timedelta(days=365)
# Longer than any real token (a few kinds); a longer one is refused before any decoding.
MAX_TOKEN_LENGTH = 1000


class InvalidToken(Exception):
    """The link was altered or was never ours."""


class ExpiredToken(InvalidToken):
    """The link is genuine but too old."""


@dataclass(frozen=True)
class Unsubscription:
    member_id: int
    kind_slugs: tuple[str, ...]


def make_token(member_id: int, kind_slugs: list[str]) -> str:
    return signing.dumps({"m": member_id, "k": sorted(set(kind_slugs))}, salt=SALT, compress=True)


def read_token(token: str) -> Unsubscription:
    """The member and kinds a token names; raises `ExpiredToken` or `InvalidToken`."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as error:
        raise ExpiredToken from error
    except (signing.BadSignature, ValueError) as error:
        raise InvalidToken from error
    if not isinstance(data, dict):
        raise InvalidToken
    member_id, kind_slugs = data.get("m"), data.get("k")
    if not isinstance(member_id, int) or not isinstance(kind_slugs, list):
        raise InvalidToken
    if not all(isinstance(slug, str) for slug in kind_slugs):
        raise InvalidToken
    return Unsubscription(member_id=member_id, kind_slugs=tuple(kind_slugs))


def absolute_url(member_id: int, kind_slugs: list[str]) -> str:
    """The link to print in an email and in its List-Unsubscribe header."""
    path = reverse("notifications:unsubscribe", args=[make_token(member_id, kind_slugs)])
    return f"{settings.SITE_URL}{path}"
