"""The installable app, in a real browser.

A visitor's page links the web app manifest and the service worker takes control. Mathieu,
who is going to the club's ciné-club night and runs its projection, opens "My events"; his
phone then loses the network. "My events" still opens from the device, and so does the
event page it links to, fetched ahead though he never opened it; a page he never visited
shows the offline page, which lists what is kept. Signing out forgets his pages.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.test_newcomer_journey import sign_in

pytestmark = pytest.mark.e2e

PAGES_CACHE = "contrechamp-pages-v1"


def wait_for_control(page: Page, origin: str) -> None:
    """Until the service worker is active and controls the page."""
    scope = page.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            if (!navigator.serviceWorker.controller) {
                await new Promise((resolve) => {
                    const options = { once: true };
                    navigator.serviceWorker.addEventListener("controllerchange", resolve, options);
                });
            }
            return registration.scope;
        }"""
    )
    assert scope == f"{origin}/"


def kept_paths(page: Page) -> list[str]:
    return page.evaluate(
        """async (name) => {
            if (!(await caches.has(name))) return [];
            const cache = await caches.open(name);
            return (await cache.keys()).map((request) => new URL(request.url).pathname);
        }""",
        PAGES_CACHE,
    )


def test_the_app_installs_its_worker_and_keeps_my_events_for_offline_reading(
    visitor_factory, server
):
    mathieu = visitor_factory("en", width=360)
    page = mathieu.page
    mathieu.goto("/")
    manifest_url = page.locator("link[rel=manifest]").get_attribute("href")
    assert manifest_url == "/manifest.webmanifest"
    manifest = page.request.get(server.url + manifest_url)
    assert manifest.headers["content-type"] == "application/manifest+json"
    assert manifest.json()["display"] == "standalone"
    wait_for_control(page, server.url)

    sign_in(mathieu, "mathieu", "contrechamp-demo")
    mathieu.goto("/me/events/")
    event_paths = sorted(
        {
            path
            for path in page.locator("main a[href^='/events/']").evaluate_all(
                "(links) => links.map((link) => link.getAttribute('href'))"
            )
            if re.fullmatch(r"/events/\d+/", path)
        }
    )
    assert event_paths, "Mathieu has events coming up in the demo"
    # The page asked the worker to keep the event pages it links to.
    page.wait_for_function(
        """async ([name, wanted]) => {
            const cache = await caches.open(name);
            const kept = (await cache.keys()).map((request) => new URL(request.url).pathname);
            return wanted.every((path) => kept.includes(path));
        }""",
        arg=[PAGES_CACHE, ["/me/events/", *event_paths]],
        polling=100,
    )

    page.context.set_offline(True)
    try:
        response = page.reload()
        assert response is not None and response.from_service_worker
        mathieu.check()
        expect(page.locator("h1")).to_have_text("My events")
        expect(page.locator("[data-pwa-notice] [data-when=offline]")).to_be_visible()
        expect(page.locator("[data-pwa-notice] [data-when=saved-copy]")).to_be_visible()

        # An event page he never opened was fetched ahead.
        mathieu.goto(event_paths[0])
        expect(page.locator("main h1")).not_to_have_text("You are offline")

        # A page he never visited: the offline page, which lists what is kept.
        mathieu.goto("/films/")
        expect(page.locator("main h1")).to_have_text("You are offline")
        kept_list = page.locator("[data-pages-cache] li a")
        expect(kept_list.first).to_be_visible()
        assert kept_list.count() == len(kept_paths(page))
    finally:
        page.context.set_offline(False)

    # Signing out forgets his pages: the next person on this phone does not see them.
    mathieu.goto("/me/events/")
    sign_out = page.locator("form[action='/accounts/logout/']")
    page.locator("nav.site-nav details", has=sign_out).locator("summary").click()
    page.locator("nav.site-nav").locator(sign_out).locator("button").click()
    page.wait_for_load_state("load")
    page.wait_for_function(
        "async (name) => !(await caches.has(name))", arg=PAGES_CACHE, polling=100
    )
