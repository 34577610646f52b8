from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from contrechamp.core.errors import DomainError


class DomainErrorMiddleware:
    """Answer a `DomainError` that reached the view layer with a readable page, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            return render(
                request,
                "core/refused.html",
                {"message": exception.message},
                status=exception.status_code,
            )
        return None


class DropNulCharactersMiddleware:
    """Remove NUL characters from query-string values before any view reads them.

    No search or filter ever means a NUL, and PostgreSQL refuses it in text: a `?q=%00`
    would otherwise fail deep in a query. Forms already refuse NUL in posted fields.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", ""):
            pairs = [
                (key.replace("\x00", ""), value.replace("\x00", ""))
                for key, values in request.GET.lists()
                for value in values
            ]
            request.GET = QueryDict(urlencode(pairs), encoding=request.encoding)  # immutable
        return self.get_response(request)
