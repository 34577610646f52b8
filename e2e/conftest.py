"""Browser journeys against the real server, started the way `make run` starts it.

A session-wide fixture prepares a fresh SQLite database in a temporary folder (migrate,
demo data), then serves the ASGI application with granian on a free port, with DEBUG off.
Emails go to the console backend, i.e. to the server's log, where the journeys read the
confirmation links as a newcomer would read their mailbox.

Every page a journey visits is checked with axe-core (no serious or critical violation)
and for Content Security Policy violations in the browser console.
"""

import itertools
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CONTRECHAMP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "e2e" / "artifacts"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def last_link(self, pattern: str, after: int = 0) -> str:
        """The last URL in the server log matching `pattern` (e.g. an emailed confirmation link)."""
        links = re.findall(rf"{re.escape(self.url)}{pattern}", self.log()[after:])
        assert links, f"no link matching {pattern!r} in the server log"
        return str(links[-1])

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    var_dir = tmp_path_factory.mktemp("var")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CONTRECHAMP_", "DATABASE_URL", "REDIS_URL", "PYTEST"))
    }
    env |= {
        "CONTRECHAMP_VAR_DIR": str(var_dir),
        "CONTRECHAMP_DEBUG": "0",
        "CONTRECHAMP_HTTPS": "0",
        "CONTRECHAMP_SECRET_KEY": "e2e-secret-key-for-the-browser-journeys-only-0123456789",
        "CONTRECHAMP_SITE_URL": url,
        # Each visitor comes from an address of its own (see visitor_factory), as people
        # do, so that the sign-in rate limit counts them one by one.
        "CONTRECHAMP_TRUSTED_PROXY_COUNT": "1",
        "EMAIL_URL": "console://",
        "DJANGO_SETTINGS_MODULE": "contrechamp.settings",
        "PYTHONUNBUFFERED": "1",
    }
    server = Server(url=url, log_path=var_dir / "server.log", env=env)
    server.manage("migrate", "--noinput", "-v0")
    server.manage("load_catalogue")
    server.manage("load_venues")
    server.manage("load_rights_holders")
    server.manage("seed_demo", "--not-a-production-site")
    server.manage("rebuild_search_index")
    granian = Path(sys.executable).with_name("granian")
    with server.log_path.open("w") as log:
        process = subprocess.Popen(
            [str(granian), "--interface", "asginl", "--host", "127.0.0.1", "--port", str(port),
             "contrechamp.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start:\n" + server.log()) from None
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """One Playwright for the whole run: its synchronous API cannot be started twice."""
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class Visitor:
    """One person's browser tab, checking every page it lands on."""

    axe = Axe()

    def __init__(self, page: Page, server: Server, locale: str) -> None:
        self.page = page
        self.server = server
        self.locale = locale
        self.csp_violations: list[str] = []
        self.checked_urls: list[str] = []
        page.on("console", self._on_console)

    def _on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: {message.text}")

    def goto(self, path: str) -> None:
        response = self.page.goto(self.server.url + path)
        assert response is not None
        assert response.status < 400, f"{path} answered {response.status}"
        self.check()

    def check(self) -> None:
        """axe-core on the current page: no serious or critical violation; no CSP violation."""
        self.page.wait_for_load_state("load")
        results = self.axe.run(self.page)
        serious = [
            violation
            for violation in results.response["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
        assert not serious, f"{self.page.url}\n" + "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in serious
        )
        assert not self.csp_violations, "\n".join(self.csp_violations)
        assert self.page.locator("html").get_attribute("lang") == self.locale
        self.checked_urls.append(self.page.url)

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


_addresses = itertools.cycle(range(1, 255))


@pytest.fixture
def visitor_factory(browser: Browser, server: Server) -> Iterator:
    contexts = []

    def make(locale: str = "fr", width: int = 1280) -> Visitor:
        address = f"198.51.100.{next(_addresses)}"  # TEST-NET-2: documentation addresses
        context = browser.new_context(
            locale=locale,
            viewport={"width": width, "height": 900},
            extra_http_headers={"Accept-Language": locale, "X-Forwarded-For": address},
        )
        contexts.append(context)
        return Visitor(context.new_page(), server, locale)

    yield make
    for context in contexts:
        context.close()
