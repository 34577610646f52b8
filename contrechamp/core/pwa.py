"""The installable web app: its manifest, its service worker and its offline page.

The service worker keeps the site's shell (stylesheet, scripts, icons, the offline page)
and, for reading without a connection, the member's upcoming events: "My events" and the
event pages. Which pages it keeps and which requests make it forget them are decided here
and handed to the worker with its source, so that the site's paths are written down once,
on the Python side. To keep another kind of page (a call sheet, say), add its path to
`KEPT_PATHS`.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import etag, require_safe

STATIC_DIR = Path(__file__).resolve().parent / "static"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
SERVICE_WORKER_SOURCE = STATIC_DIR / "pwa" / "sw.js"

# The design tokens of contrechamp.css (light theme): --velvet and --paper.
THEME_COLOUR = "#9b1c31"
BACKGROUND_COLOUR = "#fbf8f3"


@dataclass(frozen=True)
class Icon:
    path: str
    """Under the static files, e.g. ``pwa/icons/icon-192.png``."""
    size: int
    purpose: str
    """The manifest's purpose: ``any``, or ``maskable`` for a full-bleed icon."""


ICONS = [
    Icon("pwa/icons/icon-192.png", 192, "any"),
    Icon("pwa/icons/icon-512.png", 512, "any"),
    Icon("pwa/icons/icon-maskable-512.png", 512, "maskable"),
]

# Static files cached when the worker installs, served from that cache afterwards.
SHELL_STATIC = [
    "css/contrechamp.css",
    "django_htmx/htmx-2.min.js",
    "pwa/register.js",
    "pwa/offline.js",
    *(icon.path for icon in ICONS),
]

# Pages kept for offline reading when they are visited (JavaScript regular expressions
# matched against the path; pages with a query string are not kept). They must be pages
# of the member's own plans: never under /accounts/, /admin/ or /api/.
KEPT_PATHS = [
    r"^/me/events/$",
    r"^/events/\d+/$",
    # A shoot's call sheets: the member's list of the coming ones and each sheet, so that
    # today's call sheet opens on a set with a weak connection.
    r"^/projects/call-sheets/$",
    r"^/projects/[-a-zA-Z0-9_]+/days/\d+/$",
]
# The oldest copies go first beyond this many pages ("My events" itself always stays).
KEPT_AT_MOST = 50
# Holds the kept pages. Its name changes only if the way pages are kept changes, so that a
# new version of the site does not wipe a member's offline copies.
PAGES_CACHE = "contrechamp-pages-v1"
# On a weak connection, a kept page is shown from the device after this long, and the
# network's answer still refreshes the copy when it arrives.
PATIENCE_MS = 4000
# "My events" fetches ahead the event pages it links to, unless their copy is younger than
# this (by its Date header); visiting a kept page always refreshes its copy.
REFRESH_AFTER_MS = 15 * 60 * 1000


@dataclass(frozen=True)
class ServiceWorker:
    version: str
    script: str


def _service_worker_config() -> dict[str, object]:
    """What the worker's source expects in ``self.PWA``, without the version."""
    return {
        "pagesCache": PAGES_CACHE,
        "shell": [*(static(path) for path in SHELL_STATIC), reverse("offline")],
        "offline": reverse("offline"),
        "kept": KEPT_PATHS,
        "keptAtMost": KEPT_AT_MOST,
        # The page whose links to kept pages are fetched ahead, for offline reading; when it
        # answers with a redirect (to sign in), the member has signed out.
        "listOfKept": reverse("events:my_events"),
        # A POST to these paths may change who is signed in: the kept pages are forgotten.
        "forgetAfterPostingTo": ["/accounts/", reverse("accounts:delete")],
        "patienceMs": PATIENCE_MS,
        "refreshAfterMs": REFRESH_AFTER_MS,
    }


def _build_service_worker() -> ServiceWorker:
    source = SERVICE_WORKER_SOURCE.read_text(encoding="utf-8")
    config = _service_worker_config()
    # The version follows everything the worker caches at install, so that a new stylesheet
    # or offline page installs a new shell.
    digest = hashlib.sha256(source.encode())
    digest.update(json.dumps(config, sort_keys=True).encode())
    for path in SHELL_STATIC:
        found = finders.find(path)
        if not isinstance(found, str):
            raise RuntimeError(f"The app shell needs the static file {path}, which is missing.")
        digest.update(Path(found).read_bytes())
    for template in ("base.html", "core/offline.html"):
        digest.update((TEMPLATES_DIR / template).read_bytes())
    version = digest.hexdigest()[:16]
    config["version"] = version
    config["shellCache"] = f"contrechamp-shell-{version}"
    preamble = f"self.PWA = {json.dumps(config, sort_keys=True)};\n"
    return ServiceWorker(version=version, script=preamble + source)


_built_service_worker = cache(_build_service_worker)


def service_worker_script() -> ServiceWorker:
    """The worker's source with its configuration; built once per process unless debugging."""
    return _build_service_worker() if settings.DEBUG else _built_service_worker()


@require_safe
@etag(lambda request: service_worker_script().version)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the root so that it controls every page.

    Browsers revalidate it on every check (no-cache; the ETag makes that a 304) so that a
    new version of the site reaches them on their next visit.
    """
    response = HttpResponse(
        service_worker_script().script, content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    patch_cache_control(response, no_cache=True)
    return response


@require_safe
@cache_control(public=True, max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest, in the site's default language whatever the browser asks for."""
    with translation.override(settings.LANGUAGE_CODE):
        document = {
            "id": "/",
            "name": "Contrechamp",
            "short_name": "Contrechamp",
            "description": _(
                "Ciné-clubs, film lovers and amateur filmmakers helping each other: "
                "events, films, lending and advice."
            ),
            "lang": settings.LANGUAGE_CODE,
            "dir": "ltr",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOUR,
            "background_color": BACKGROUND_COLOUR,
            "categories": ["entertainment", "social"],
            "icons": [
                {
                    "src": static(icon.path),
                    "sizes": f"{icon.size}x{icon.size}",
                    "type": "image/png",
                    "purpose": icon.purpose,
                }
                for icon in ICONS
            ],
            "shortcuts": [
                {"name": _("My events"), "url": reverse("events:my_events")},
                {"name": _("Events"), "url": reverse("events:agenda")},
            ],
        }
    return JsonResponse(
        document,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """The page the service worker shows for a page it can neither fetch nor find kept.

    The worker caches it on the device, where whoever uses the device next may see it: it
    is rendered as for a visitor who is not signed in, so that it carries no one's name.
    """
    return render(
        request, "core/offline.html", {"user": AnonymousUser(), "pages_cache": PAGES_CACHE}
    )
