"""Who is calling the API: a member through a personal access token, a member's browser
through its session (reads only), or nobody.

Each operation lists the ways in it accepts, first match wins:

- `PUBLIC` (what the site shows to visitors): a token, the session, or anonymous;
- `MEMBERS` (a member's own things): a token or the session;
- `WRITE` (anything that changes something): a token with the write scope only. A browser
  session never writes through the API, so the API needs no CSRF protection.

A request that sends an `Authorization` header is judged by it alone: a wrong, revoked or
expired token is refused (401), never taken for an anonymous visit.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie
from ninja.security.http import HttpAuthBase

from contrechamp.accounts.models import User
from contrechamp.api import queries, services
from contrechamp.api.errors import ApiError
from contrechamp.api.models import ApiToken

SAFE_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Caller:
    """The outcome of authentication, kept as `request.auth`: the member (None for an
    anonymous visitor) and the token they came with (None for a session)."""

    member: User | None = None
    token: ApiToken | None = None


def _unauthenticated(message: str) -> ApiError:
    return ApiError(401, "unauthenticated", message)


class BearerToken(HttpAuthBase):
    """`Authorization: Bearer <token>`, a personal access token made at /me/tokens/."""

    openapi_scheme = "bearer"
    openapi_description = (
        "A personal access token, made by the member at /me/tokens/. "
        "Tokens with the `read` scope may only call operations that read."
    )

    def __init__(self, *, write: bool) -> None:
        self.write = write
        super().__init__()

    def __call__(self, request: HttpRequest) -> Caller | None:
        header = request.headers.get("Authorization", "").strip()
        if not header:
            return None
        scheme, _space, secret = header.partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret:
            raise _unauthenticated(_("Send the token as “Authorization: Bearer <token>”."))
        token = queries.token_for_secret(secret)
        if token is None:
            raise _unauthenticated(_("This token is not valid."))
        if token.is_revoked:
            raise _unauthenticated(_("This token was revoked."))
        if token.has_expired():
            raise _unauthenticated(_("This token has expired."))
        owner = token.owner
        if not owner.is_active or owner.is_deleted:
            raise _unauthenticated(_("The account of this token is closed."))
        if self.write and not token.can_write:
            raise ApiError(
                403,
                "insufficient_scope",
                _("This token may only read: make a token that may also write to do this."),
            )
        services.record_use(token=token)
        return Caller(member=owner, token=token)


class SessionCookie(APIKeyCookie):
    """The signed-in member's browser session, for reading only (the API's pages in a
    browser, the docs' "Try it out")."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        # Only safe methods are accepted: there is nothing for CSRF to protect.
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        user = request.user
        if request.method not in SAFE_METHODS or not isinstance(user, User):
            return None
        if not user.is_active or user.is_deleted:
            return None
        return Caller(member=user)


def anonymous(request: HttpRequest) -> Caller:
    """Anyone: what the site's pages show to a visitor who is not signed in."""
    return Caller()


PUBLIC = [BearerToken(write=False), SessionCookie(), anonymous]
MEMBERS = [BearerToken(write=False), SessionCookie()]
WRITE = [BearerToken(write=True)]
# OpenAPI: an empty requirement says that calling without credentials is allowed too.
OPTIONAL_AUTH: dict[str, object] = {"security": [{}]}


def caller(request: HttpRequest) -> Caller:
    found = getattr(request, "auth", None)
    return found if isinstance(found, Caller) else Caller()


def viewer(request: HttpRequest) -> User | AnonymousUser:
    """Who the pages' permission rules should judge: the member, or an anonymous visitor."""
    return caller(request).member or AnonymousUser()


def member(request: HttpRequest) -> User:
    """The member behind a request that `MEMBERS` or `WRITE` let through."""
    found = caller(request).member
    if found is None:
        raise _unauthenticated(_("Sign in with a token: send “Authorization: Bearer <token>”."))
    return found
