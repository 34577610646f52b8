"""The interactive API documentation at /api/docs: Swagger UI as django-ninja ships it,
served from this site so that nothing is fetched from the internet and the page passes
the site's Content Security Policy (no inline script or style: its settings travel as a
JSON data block, read by ninja's own start-up script).

The assets are read from the installed django-ninja package, which is not an installed
app (it needs none), so a small view serves the few files the page uses.
"""

import mimetypes
from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

ASSETS_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS = frozenset(
    {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.png", "favicon.svg"}
)
ASSETS_VERSION = ninja.__version__


class SwaggerDocs(DocsBase):
    """Swagger UI on our own page template, its validator badge (an image from another
    site) turned off."""

    settings: dict[str, Any] = {
        "layout": "BaseLayout",
        "deepLinking": True,
        "validatorUrl": None,
        "docExpansion": "list",
        "defaultModelsExpandDepth": 0,
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "title": api.title,
            "swagger_settings": settings,
            "assets_version": ASSETS_VERSION,
        }
        return render(request, "api/docs.html", context)


@require_GET
@cache_control(public=True, max_age=7 * 24 * 3600)
def asset(request: HttpRequest, name: str) -> FileResponse:
    """One of the files the docs page uses (a short fixed list: never a path from the
    request)."""
    if name not in ASSETS:
        raise Http404
    content_type, _encoding = mimetypes.guess_type(name)
    return FileResponse(
        (ASSETS_DIR / name).open("rb"), content_type=content_type or "application/octet-stream"
    )
