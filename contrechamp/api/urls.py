"""The API's addresses, under /api/: every one of them rate limited and answering errors
as JSON, including a method the address does not take (405) and an unknown address
(404), which Django would otherwise answer with an HTML page."""

import functools

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from contrechamp.api import docs
from contrechamp.api.api import api
from contrechamp.api.errors import error_response
from contrechamp.api.throttling import View, rate_limited

app_name = "api"


def method_not_allowed_as_json(view: View) -> View:
    """django-ninja answers a method an address does not take with an empty 405: give it
    the API's error shape, keeping its `Allow` header."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        answer = error_response(
            405,
            "method_not_allowed",
            _("This address does not take %(method)s requests.") % {"method": request.method},
        )
        if response.has_header("Allow"):
            answer["Allow"] = response["Allow"]
        return answer

    return wrapper


def _guarded(pattern: URLPattern | URLResolver) -> URLPattern | URLResolver:
    if not isinstance(pattern, URLPattern):
        return pattern
    view = rate_limited(method_not_allowed_as_json(pattern.callback))
    return URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)


@csrf_exempt
@rate_limited
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(404, "not_found", _("There is no such address in the API."))


ninja_patterns, _app_name, _namespace = api.urls

urlpatterns: list[URLPattern | URLResolver] = [
    *(_guarded(pattern) for pattern in ninja_patterns),
    path("docs/assets/<str:name>", docs.asset, name="docs_asset"),
    re_path(r"^(?P<rest>.*)$", not_found),
]
