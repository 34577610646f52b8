"""Rate limits: 300 requests per 5 minutes per token, per signed-in browser session, or per
client address for anonymous calls, counted in Django's cache (Redis when REDIS_URL is
set, so that every app process shares the counts).

The count runs in fixed windows of five minutes: one atomic increment of one cache key
per request, whatever the number of callers. Every answer carries `X-RateLimit-Limit`,
`X-RateLimit-Remaining` and `X-RateLimit-Reset` (seconds until the window ends); past the
limit the answer is 429 with `Retry-After`.

The limit is applied around every API address, before authentication: the key is the
token as sent (hashed), so checking it costs no database query. So that sending made-up
tokens is no way around the limit, each refused token (401) is also counted against the
client's address, and an address with more than `LIMIT` refused tokens in a window is
refused whatever token it sends until the window ends.
"""

import functools
import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from contrechamp.api.errors import error_response

LIMIT = 300
WINDOW_SECONDS = 300
KEY_PREFIX = "api-rate"

View = Callable[..., HttpResponse]


def client_address(request: HttpRequest) -> str:
    """The client's address, trusting X-Forwarded-For as far as the site's rate limits
    do (allauth's `ALLAUTH_TRUSTED_PROXY_COUNT`)."""
    try:
        return str(get_adapter(request).get_client_ip(request))
    except (PermissionDenied, ImproperlyConfigured):
        return str(request.META.get("REMOTE_ADDR") or "unknown")


def _bearer(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "").strip()
    return header or None


def bucket_of(request: HttpRequest) -> str:
    """Whose allowance this request uses: the token sent, else the signed-in member's
    session, else the client's address."""
    header = _bearer(request)
    if header is not None:
        return "token:" + hashlib.sha256(header.encode("utf-8", "surrogatepass")).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"member:{user.pk}"
    return "address:" + client_address(request)


@dataclass(frozen=True)
class Allowance:
    count: int
    resets_in: int

    @property
    def exceeded(self) -> bool:
        return self.count > LIMIT

    @property
    def remaining(self) -> int:
        return max(LIMIT - self.count, 0)


def _window(now: float) -> tuple[int, int]:
    """The current window's number and the whole seconds until it ends (at least 1)."""
    number = int(now // WINDOW_SECONDS)
    return number, max(math.ceil((number + 1) * WINDOW_SECONDS - now), 1)


def _key(bucket: str, window: int) -> str:
    return f"{KEY_PREFIX}:{bucket}:{window}"


def count_request(bucket: str) -> Allowance:
    """Count one request against `bucket` and say where it stands."""
    window, resets_in = _window(time.time())
    key = _key(bucket, window)
    # `add` does nothing when the key exists; `incr` is atomic on Redis and in memory.
    cache.add(key, 0, timeout=WINDOW_SECONDS + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between the two calls
        cache.set(key, 1, timeout=WINDOW_SECONDS + 1)
        count = 1
    return Allowance(count=count, resets_in=resets_in)


def peek(bucket: str) -> Allowance:
    """Where `bucket` stands, without counting a request."""
    window, resets_in = _window(time.time())
    return Allowance(count=int(cache.get(_key(bucket, window), 0)), resets_in=resets_in)


def _with_headers(response: HttpResponse, allowance: Allowance) -> HttpResponse:
    response["X-RateLimit-Limit"] = str(LIMIT)
    response["X-RateLimit-Remaining"] = str(allowance.remaining)
    response["X-RateLimit-Reset"] = str(allowance.resets_in)
    return response


def _too_many(allowance: Allowance) -> HttpResponse:
    response = error_response(
        429,
        "rate_limited",
        _("Too many requests: try again in %(seconds)d seconds.")
        % {"seconds": allowance.resets_in},
    )
    response["Retry-After"] = str(allowance.resets_in)
    return _with_headers(response, allowance)


def rate_limited(view: View) -> View:
    """Wrap an API view so that it counts against its caller's allowance."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        refusals = "refused-tokens:" + client_address(request)
        sends_token = _bearer(request) is not None
        if sends_token:
            refused = peek(refusals)
            if refused.exceeded:
                return _too_many(refused)
        allowance = count_request(bucket_of(request))
        if allowance.exceeded:
            return _too_many(allowance)
        response = view(request, *args, **kwargs)
        if sends_token and response.status_code == 401:
            count_request(refusals)
        return _with_headers(response, allowance)

    return wrapper
