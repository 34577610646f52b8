"""A live room after the screening, in two real browsers.

Juliette (in French), who runs the Grenoble student ciné-club, opens the live room from
the page of the club's first night, *Le Voyage dans la Lune*. Nora (in English, on a
phone-sized screen) joins it: her message appears on Juliette's page without a reload.
Juliette then sets the film for a watch party and presses play: Nora's player follows,
and pauses when Juliette pauses. Both step into the voice room (fake microphones) and
their browsers connect to each other.

The film's address is on Wikimedia Commons; the browser is answered by a short clip it
records itself, so the journey needs no network.
"""

import base64
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, Route, expect

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server, Visitor
from e2e.test_newcomer_journey import sign_in

pytestmark = pytest.mark.e2e

FILM_URL = (
    "https://upload.wikimedia.org/wikipedia/commons/transcoded/6/6d/"
    "Le_Voyage_dans_la_Lune_%281902%29.webm/"
    "Le_Voyage_dans_la_Lune_%281902%29.webm.480p.vp9.webm"
)

RECORD_CLIP = """async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 160; canvas.height = 120;
  const context = canvas.getContext("2d");
  const stream = canvas.captureStream(25);
  const recorder = new MediaRecorder(stream, { mimeType: "video/webm" });
  const chunks = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  let frame = 0;
  const timer = setInterval(() => {
    context.fillStyle = `hsl(${frame++ * 7 % 360} 60% 50%)`;
    context.fillRect(0, 0, 160, 120);
  }, 40);
  recorder.start();
  await new Promise((done) => setTimeout(done, 6000));
  recorder.stop();
  await new Promise((done) => { recorder.onstop = done; });
  clearInterval(timer);
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}"""


@pytest.fixture(scope="module")
def media_browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """Chromium with fake microphones and autoplay allowed, for the watch party and voice."""
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            "--autoplay-policy=no-user-gesture-required",
        ],
    )
    yield browser
    browser.close()


def test_chat_watch_party_and_voice_seen_on_two_pages(media_browser: Browser, server: Server):
    contexts = []

    def visitor(locale: str, width: int = 1280) -> Visitor:
        context = media_browser.new_context(
            locale=locale,
            viewport={"width": width, "height": 900},
            extra_http_headers={"Accept-Language": locale},
            permissions=["microphone"],
        )
        contexts.append(context)
        return Visitor(context.new_page(), server, locale)

    try:
        juliette = visitor("fr")
        clip = base64.b64decode(juliette.page.evaluate(RECORD_CLIP))

        def film(route: Route) -> None:
            route.fulfill(status=200, body=clip, headers={"Content-Type": "video/webm"})

        for context in contexts:
            context.route("https://upload.wikimedia.org/**", film)

        night = server.manage(
            "shell",
            "-c",
            "from contrechamp.events.models import Event; print(Event.objects.filter("
            "title='Ciné-club du jeudi', status='published').order_by('starts_at').first().pk)",
        ).split()[-1]
        sign_in(juliette, "juliette", "contrechamp-demo")
        juliette.goto(f"/events/{night}/")
        juliette.page.get_by_role("link", name="Ouvrir le salon en direct").click()
        juliette.page.wait_for_load_state("load")
        expect(juliette.page.locator("#live-status")).to_have_attribute("data-state", "connected")
        juliette.check()
        room_path = juliette.page.url.removeprefix(server.url)

        nora = visitor("en", width=360)
        nora.page.context.route("https://upload.wikimedia.org/**", film)
        sign_in(nora, "nora", "contrechamp-demo")
        nora.goto(room_path)
        expect(nora.page.locator("#live-status")).to_have_attribute("data-state", "connected")
        expect(juliette.page.locator("#live-present")).to_contain_text("Nora")

        # Nora writes; Juliette's page shows it without a reload.
        nora.page.fill("#chat-form textarea", "La fusée dans l'œil de la lune : **magique**")
        nora.page.locator("#chat-form button[type=submit]").click()
        for page in (nora.page, juliette.page):
            expect(page.locator(".live-message").last).to_contain_text(
                "La fusée dans l'œil de la lune : magique"
            )
            expect(page.locator(".live-message strong").last).to_have_text("magique")

        # The watch party: Juliette sets the film; Nora's page brings the player.
        juliette.page.fill("input[name=video_url]", FILM_URL)
        juliette.page.locator("#watch-party form button[type=submit]").last.click()
        juliette.page.wait_for_load_state("load")
        juliette.check()
        expect(nora.page.locator("#watch-video")).to_have_count(1)
        expect(nora.page.locator("#live-status")).to_have_attribute("data-state", "connected")
        nora.check()

        # Juliette presses play on her player: Nora's follows, then pauses with her.
        expect(juliette.page.locator("#watch-status")).not_to_be_empty()
        juliette.page.locator("#watch-video").focus()
        juliette.page.keyboard.press("k")
        expect(nora.page.locator("#watch-video")).to_have_attribute("data-playing", "1")
        nora.page.wait_for_function(
            "() => !document.getElementById('watch-video').paused", timeout=5000
        )
        juliette.page.wait_for_timeout(1500)
        juliette.page.keyboard.press("k")
        expect(nora.page.locator("#watch-video")).to_have_attribute("data-playing", "")
        nora.page.wait_for_function(
            "() => document.getElementById('watch-video').paused", timeout=5000
        )
        drift = nora.page.evaluate(
            "() => Math.abs(document.getElementById('watch-video').currentTime -"
            " document.getElementById('watch-video').dataset.position)"
        )
        assert drift >= 0

        # The voice room: both join; their browsers connect to each other.
        juliette.page.get_by_role("button", name="Rejoindre le salon vocal").click()
        nora.page.get_by_role("button", name="Join the voice room").click()
        for page in (juliette.page, nora.page):
            expect(page.locator("#voice-peers li")).to_have_attribute(
                "data-state", "connected", timeout=15000
            )
        nora.page.get_by_role("button", name="Mute my microphone").click()
        expect(nora.page.locator("#voice-mute")).to_have_attribute("aria-pressed", "true")
        nora.page.get_by_role("button", name="Leave the voice room").click()
        expect(juliette.page.locator("#voice-peers li")).to_have_count(0)
        juliette.screenshot("live-room")
    finally:
        for context in contexts:
            context.close()
