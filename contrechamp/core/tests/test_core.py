import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import EmailMessage
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from contrechamp import urls as site_urls
from contrechamp.core import places
from contrechamp.core.errors import Conflict
from contrechamp.core.mail import ReadableConsoleBackend
from contrechamp.core.markdown import render_markdown

ROOT = Path(__file__).resolve().parents[3]


def test_healthz_answers_200_when_the_database_answers(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_markdown_drops_script_and_raw_html() -> None:
    html = render_markdown("Hello <script>alert(1)</script> **bold** [x](javascript:alert(1))")
    assert "<script" not in html
    assert "<strong>bold</strong>" in html
    assert 'href="javascript' not in html


def test_markdown_links_are_marked_nofollow() -> None:
    html = render_markdown("[club](https://example.org)")
    assert 'rel="nofollow noopener ugc"' in html


def test_markdown_headings_stay_below_the_page_title() -> None:
    assert "<h3>Title</h3>" in render_markdown("# Title")


@pytest.mark.parametrize(
    ("query", "expected"),
    [("grenoble", "Grenoble"), ("SAINT ETIENNE", "Saint-Étienne"), ("Orléans", "Orléans")],
)
def test_find_city_ignores_case_accents_and_hyphens(query: str, expected: str) -> None:
    place = places.find_city(query)
    assert place is not None
    assert place.name == expected


def test_unknown_city_gets_suggestions_not_nothing() -> None:
    assert places.find_city("Grenobel") is None
    assert "Grenoble" in [p.name for p in places.suggest_cities("Grenobel")]


def test_distance_between_grenoble_and_lyon_is_about_95_km() -> None:
    grenoble, lyon = places.find_city("Grenoble"), places.find_city("Lyon")
    assert grenoble and lyon
    assert (
        90
        < places.distance_km(grenoble.latitude, grenoble.longitude, lyon.latitude, lyon.longitude)
        < 100
    )


def test_approximate_coordinates_are_rounded_to_about_a_kilometre() -> None:
    assert places.approximate(45.178694, 5.714791) == (45.18, 5.71)


def test_pages_carry_a_content_security_policy_without_unsafe_inline(
    client: Client, db: None
) -> None:
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy


def test_unknown_page_gets_the_designed_404(client: Client, db: None) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"site-header" in response.content


def _refuse(request: HttpRequest) -> HttpResponse:
    raise Conflict("Already done")


urlpatterns = [path("refuse/", _refuse), *site_urls.urlpatterns]


@override_settings(ROOT_URLCONF=__name__)
def test_a_domain_error_becomes_a_readable_409_page(client: Client, db: None) -> None:
    response = client.get("/refuse/")
    assert response.status_code == 409
    assert "Already done" in response.content.decode()
    assert b"site-header" in response.content


def _deploy_check(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CONTRECHAMP_", "PYTEST", "DJANGO_"))
    }
    env |= {
        "CONTRECHAMP_SECRET_KEY": "x" * 20 + "-production-grade-secret-key-0123456789-abcdefgh",
        "CONTRECHAMP_ALLOWED_HOSTS": "contrechamp.example.org",
        "CONTRECHAMP_DEBUG": "0",
        "EMAIL_URL": "smtp://mail.example.org:587?tls=1",
        "DJANGO_SETTINGS_MODULE": "contrechamp.settings",
    } | overrides
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_check() -> None:
    result = _deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_fails_when_emails_would_only_be_printed() -> None:
    result = _deploy_check(EMAIL_URL="console://")
    assert result.returncode != 0
    assert "contrechamp.E001" in result.stdout + result.stderr


def test_the_console_backend_prints_links_whole_and_accents_readable() -> None:
    stream = io.StringIO()
    link = "http://127.0.0.1:8000/accounts/confirm-email/" + "k" * 80 + "/"
    message = EmailMessage("Confirmez", f"Cliquez ici : {link}\nÀ bientôt", to=["lea@example.org"])
    ReadableConsoleBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert link in printed
    assert "À bientôt" in printed
    assert "Subject: Confirmez" in printed


def test_no_template_has_a_multi_line_short_comment() -> None:
    """Django's {# #} comments end at the line's end: a multi-line one shows on the page."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "contrechamp").rglob("templates/**/*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert not offenders, "use {% comment %} for these: " + ", ".join(offenders)


def test_nul_characters_are_dropped_from_query_strings(client: Client, db: None) -> None:
    response = client.get("/networks/?q=cin%00e&near=Gren%00oble")
    assert response.status_code == 200
    assert response.wsgi_request.GET["q"] == "cine"
    assert response.wsgi_request.GET["near"] == "Grenoble"
