"""The installable web app: manifest, icons, service worker and offline page."""

import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from PIL import Image

from contrechamp.accounts.models import User
from contrechamp.core import pwa

pytestmark = pytest.mark.django_db

CSS = Path(pwa.STATIC_DIR / "css" / "contrechamp.css").read_text(encoding="utf-8")


def _manifest(client: Client) -> dict:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    return json.loads(response.content)


def _worker_config(client: Client) -> dict:
    script = client.get("/sw.js").content.decode()
    preamble, _, _ = script.partition("\n")
    assert preamble.startswith("self.PWA = ") and preamble.endswith(";")
    return json.loads(preamble.removeprefix("self.PWA = ").removesuffix(";"))


def _light_token(name: str) -> str:
    light_theme = CSS.split("@media (prefers-color-scheme: dark)")[0]
    found = re.search(rf"--{name}:\s*(#[0-9a-f]{{6}});", light_theme)
    assert found is not None
    return found.group(1)


# --- The manifest


def test_the_manifest_has_what_chromium_needs_to_install_the_app(client: Client) -> None:
    manifest = _manifest(client)
    assert manifest["name"] == "Contrechamp"
    assert manifest["short_name"] == "Contrechamp"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_the_manifest_colours_are_the_design_tokens(client: Client) -> None:
    manifest = _manifest(client)
    assert manifest["theme_color"] == _light_token("velvet")
    assert manifest["background_color"] == _light_token("paper")


def test_the_manifest_speaks_the_site_language_whatever_the_browser_asks(
    client: Client, settings
) -> None:
    settings.LANGUAGE_CODE = "fr"
    response = client.get("/manifest.webmanifest", headers={"accept-language": "en"})
    assert json.loads(response.content)["lang"] == "fr"


def test_the_manifest_shortcuts_lead_to_pages_that_exist(client: Client, member: User) -> None:
    client.force_login(member)
    for shortcut in _manifest(client)["shortcuts"]:
        assert shortcut["name"]
        assert client.get(shortcut["url"]).status_code == 200


def test_every_icon_of_the_manifest_is_a_png_of_its_declared_size(client: Client) -> None:
    for icon in _manifest(client)["icons"]:
        assert icon["type"] == "image/png"
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert isinstance(path, str), icon["src"]
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_the_maskable_icon_bleeds_to_its_edges_on_the_accent(client: Client) -> None:
    maskable = next(i for i in _manifest(client)["icons"] if i["purpose"] == "maskable")
    path = finders.find(maskable["src"].removeprefix("/static/"))
    assert isinstance(path, str)
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        corners = [(0, 0), (rgb.width - 1, 0), (0, rgb.height - 1), (rgb.width - 1, rgb.height - 1)]
        accent = tuple(int(pwa.THEME_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
        assert all(rgb.getpixel(corner) == accent for corner in corners)


def test_the_icons_can_be_drawn_again(tmp_path: Path) -> None:
    call_command("draw_app_icons", output=tmp_path, stdout=io.StringIO())
    for icon in pwa.ICONS:
        with Image.open(tmp_path / icon.path) as image:
            assert image.size == (icon.size, icon.size)


def test_the_manifest_refuses_a_post(client: Client) -> None:
    assert client.post("/manifest.webmanifest").status_code == 405


# --- The service worker


def test_the_service_worker_is_javascript_allowed_at_the_root_and_revalidated(
    client: Client,
) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"


def test_an_unchanged_service_worker_answers_not_modified(client: Client) -> None:
    etag = client.get("/sw.js")["ETag"]
    assert client.get("/sw.js", headers={"if-none-match": etag}).status_code == 304


def test_the_service_worker_refuses_a_post(client: Client) -> None:
    assert client.post("/sw.js").status_code == 405


def test_every_file_of_the_shell_can_be_fetched(client: Client) -> None:
    config = _worker_config(client)
    assert "/offline/" in config["shell"]
    for url in config["shell"]:
        response = client.get(url)
        assert response.status_code == 200, url
        if hasattr(response, "close"):
            response.close()


def test_the_cache_names_carry_versions(client: Client) -> None:
    config = _worker_config(client)
    assert config["shellCache"] == f"contrechamp-shell-{config['version']}"
    assert re.fullmatch(r"contrechamp-pages-v\d+", config["pagesCache"])


def test_a_new_worker_source_is_a_new_version(tmp_path: Path, monkeypatch) -> None:
    before = pwa._build_service_worker().version
    changed = tmp_path / "sw.js"
    changed.write_text(pwa.SERVICE_WORKER_SOURCE.read_text() + "\n// changed\n")
    monkeypatch.setattr(pwa, "SERVICE_WORKER_SOURCE", changed)
    assert pwa._build_service_worker().version != before


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        (reverse("events:my_events"), True),
        (reverse("events:detail", args=[42]), True),
        (reverse("events:event_ics", args=[42]), False),
        (reverse("events:agenda"), False),
        ("/accounts/login/", False),
        ("/admin/", False),
        ("/api/events", False),
        ("/me/", False),
    ],
)
def test_only_the_member_s_events_are_kept_for_offline_reading(path: str, kept: bool) -> None:
    assert any(re.search(pattern, path) for pattern in pwa.KEPT_PATHS) is kept


def test_the_pages_that_may_change_who_is_signed_in_are_known(client: Client) -> None:
    prefixes = _worker_config(client)["forgetAfterPostingTo"]
    for url in (reverse("account_login"), reverse("account_logout"), reverse("accounts:delete")):
        assert any(url.startswith(prefix) for prefix in prefixes), url


def test_the_list_of_kept_pages_is_itself_kept(client: Client) -> None:
    config = _worker_config(client)
    assert any(re.search(pattern, config["listOfKept"]) for pattern in config["kept"])


# --- The offline page and the head of every page


def test_the_offline_page_says_the_visited_pages_stay_available(client: Client) -> None:
    response = client.get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "You are offline" in html
    assert reverse("events:my_events") in html
    assert 'data-pages-cache="contrechamp-pages-v1"' in html


def test_the_offline_page_carries_no_member_s_name(client: Client, member: User) -> None:
    client.force_login(member)
    html = client.get("/offline/").content.decode()
    assert member.username not in html
    assert "Sign out" not in html


def test_the_offline_page_is_in_the_visitor_s_language(client: Client) -> None:
    html = client.get("/offline/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en">' in html


def test_the_head_links_the_manifest_and_registers_the_worker() -> None:
    html = render_to_string("includes/pwa_head.html", request=RequestFactory().get("/"))
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert f'<meta name="theme-color" content="{pwa.THEME_COLOUR}">' in html
    assert re.search(r'<script type="module" src="/static/pwa/register.js" nonce="[^"]*">', html)
    assert "You are offline." in html


def test_every_page_links_the_manifest(client: Client) -> None:
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert "/static/pwa/register.js" in html
