from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
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
