"""Every API error answers in one JSON shape, documented in docs/api.md:

    {"error": {"code": "conflict", "message": "…", "fields": {"stars": ["…"]}}}

`code` is stable and meant for programs; `message` is for people, in the language of the
request's Accept-Language (French by default); `fields` names the inputs at fault (empty
when the fault is not one input's). How each failure maps to a status:

| status | code | when |
| --- | --- | --- |
| 400 | bad_request | the body is not a JSON object, or the request is malformed |
| 401 | unauthenticated | no credentials where needed; a wrong, revoked or expired token |
| 403 | forbidden | the member may not do this (the same rule as on the site's pages) |
| 403 | insufficient_scope | a read-only token on an endpoint that writes |
| 404 | not_found | no such thing, or not shown to this caller |
| 405 | method_not_allowed | the address does not take this method |
| 409 | conflict | the action clashes with the current state (`Conflict`, `InvalidTransition`) |
| 413 | too_large | the body is larger than the site accepts |
| 422 | invalid | an input has the wrong type or is out of bounds (see `fields`) |
| 422 | refused | the input is well formed but a rule refuses it (a `DomainError`) |
| 429 | rate_limited | too many requests: wait for `Retry-After` seconds |
"""

import json
import logging
from collections.abc import Callable, Sequence
from typing import Any, cast

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from contrechamp.core.errors import Conflict, DomainError
from contrechamp.core.places import Place

logger = logging.getLogger(__name__)


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorDetail


class ApiError(HttpError):
    """An error raised by the API layer itself, with its stable code and readable message."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(status_code, message)
        self.code = code
        self.fields = fields or {}


def error_response(
    status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> HttpResponse:
    body = {"error": {"code": code, "message": str(message), "fields": fields or {}}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def invalid_field(name: str, message: str) -> ApiError:
    """A 422 about one input, for a rule the schema cannot state (an unknown city…)."""
    return ApiError(422, "invalid", message, fields={name: [message]})


def unknown_city(suggestions: Sequence[Place]) -> ApiError:
    """A 422 for a `near` city the gazetteer does not know, naming close ones."""
    if not suggestions:
        return invalid_field("near", _("We do not know this city."))
    names = ", ".join(place.label for place in suggestions)
    return invalid_field(
        "near", _("We do not know this city. Did you mean: %(cities)s?") % {"cities": names}
    )


class NotAnObject(ValueError):
    """A request body that is JSON, but not a JSON object."""


class ObjectParser(Parser):
    """Request bodies are JSON objects, in strict JSON: `[1, 2]`, `"text"` or `NaN` are
    refused (400) rather than read as an empty object or a number that is not one."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body, parse_constant=_no_constant)
        if not isinstance(data, dict):
            raise NotAnObject
        return data


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


_CODES_BY_STATUS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
}


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, ApiError):
        return error_response(exc.status_code, exc.code, exc.message, exc.fields)
    code = _CODES_BY_STATUS.get(exc.status_code, "error")
    if isinstance(exc, AuthenticationError):
        # Raised by django-ninja when no credentials were sent where they are needed.
        message = _("Sign in with a token: send the header “Authorization: Bearer <token>”.")
    elif exc.status_code == 400 and isinstance(exc.__cause__, NotAnObject):
        message = _("The request body must be a JSON object.")
    elif exc.status_code == 400:
        message = _("The request body is not valid JSON.")
    else:
        message = exc.message
    return error_response(exc.status_code, code, message)


def _field_name(location: tuple[Any, ...] | list[Any]) -> str:
    """A readable name for where pydantic found a fault: ("query", "limit") is "limit";
    ("body", "payload", "tags", 0) is "tags.0"; a fault in the body as a whole is "body"."""
    parts = [str(part) for part in location]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else ["body"]
    elif parts:
        parts = parts[1:] or parts
    return ".".join(parts)


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return error_response(
        422, "invalid", _("Some values are not valid: see “fields”."), fields=fields
    )


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404, "not_found", _("Nothing here: check the address and the number."))


def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or _("You may not do this.")
    return error_response(403, "forbidden", message)


def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, Conflict):
        return error_response(409, "conflict", str(exc.message))
    return error_response(422, "refused", str(exc.message))


def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        return error_response(413, "too_large", _("The request is too large."))
    return error_response(400, "bad_request", _("The request is malformed."))


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: logged with its traceback, answered in the same shape (the suite asserts
    that none happens)."""
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, "server_error", _("Something went wrong on our side."))


def _handle[E: Exception](
    api: NinjaAPI, kind: type[E], answer: Callable[[HttpRequest, E], HttpResponse]
) -> None:
    def handler(request: HttpRequest, exc: E | type[E]) -> HttpResponse:
        # django-ninja passes the exception raised, never its class.
        return answer(request, cast(E, exc))

    api.add_exception_handler(kind, handler)


def install(api: NinjaAPI) -> None:
    """Make every error `api` can meet answer in the shape above."""
    _handle(api, HttpError, _http_error)
    _handle(api, ValidationError, _validation_error)
    _handle(api, Http404, _not_found)
    _handle(api, PermissionDenied, _permission_denied)
    _handle(api, DomainError, _domain_error)
    _handle(api, SuspiciousOperation, _suspicious)
    _handle(api, Exception, _unexpected)


def documented(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Response declarations for the error statuses an operation may answer; every
    operation may also answer 429 (rate limit)."""
    return dict.fromkeys((*statuses, 429), ErrorOut)
