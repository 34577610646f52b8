"""Community stories, in a real browser.

Amandine (in French), after the demo's summer story of the shared projector, tells how the
Méliès lent its 16 mm shorts to the two other clubs all winter: she names the three
networks of the Grenoble area and Camille, adds a cover image and publishes. Camille (in
English, on a phone-sized screen) finds that she is asked, accepts to be shown, and
comments. Amandine, who is not a member of the Méliès but wrote a story naming it, then
recommends it from the story; its page shows the recommendation and the directory counts
it. Mathieu, its admin, may not recommend his own cinema.
"""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from e2e.test_newcomer_journey import sign_in

pytestmark = pytest.mark.e2e

TITLE = "Des bobines qui voyagent : le Méliès prête ses courts"


def submit(visitor, form_selector: str) -> None:
    visitor.page.locator(f"{form_selector} button[type=submit]").first.click()
    visitor.page.wait_for_load_state("load")
    visitor.check()


def cover_image() -> dict[str, object]:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (120, 20, 40)).save(buffer, format="JPEG")
    return {"name": "bobines.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def test_a_story_a_consented_tag_a_comment_and_a_recommendation(visitor_factory):
    amandine = visitor_factory("fr")
    sign_in(amandine, "amandine", "contrechamp-demo")

    amandine.goto("/stories/")
    amandine.goto("/stories/new/")
    form = amandine.page.locator("main form.form")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("input[name=lead]").fill(
        "Tout l'hiver, ses copies 16 mm ont tourné entre Grenoble et Voiron."
    )
    form.locator("textarea[name=body]").fill(
        "Les courts métrages du Méliès ont fait neuf séances.\n\n[[image 1]]\n\n**Merci !**"
    )
    form.locator("textarea[name=networks]").fill(
        "Ciné-club étudiant de Grenoble\nCinéma Le Méliès\nCiné-débats de la médiathèque de Voiron"
    )
    form.locator("textarea[name=people]").fill("camille\nun-inconnu")
    form.locator("input[name=cover]").set_input_files(cover_image())
    form.locator("input[name=cover_alt]").fill("Les bobines dans leurs boîtes")
    form.locator("input[name=publish]").check()
    submit(amandine, "main form.form")
    # An unknown username is refused; what was typed is kept.
    expect(amandine.page.locator(".field__errors")).to_contain_text("un-inconnu")
    expect(form.locator("input[name=title]")).to_have_value(TITLE)
    form.locator("textarea[name=people]").fill("camille")
    form.locator("input[name=cover]").set_input_files(cover_image())
    submit(amandine, "main form.form")
    assert re.search(r"/stories/\d+/edit/$", amandine.page.url), amandine.page.url

    # An inline image, placed in the text with [[image 1]].
    images = amandine.page.locator("form[action$='/images/']")
    images.locator("input[name=image]").set_input_files(cover_image())
    images.locator("input[name=alt_text]").fill("Une séance à la médiathèque")
    submit(amandine, "form[action$='/images/']")
    expect(amandine.page.locator("#images code")).to_have_text("[[image 1]]")
    story_path = re.sub(r"edit/.*$", "", re.sub(r"^https?://[^/]+", "", amandine.page.url))
    amandine.goto(story_path)
    expect(amandine.page.locator("h1")).to_have_text(TITLE)
    expect(amandine.page.locator(".prose img[alt='Une séance à la médiathèque']")).to_have_count(1)
    expect(amandine.page.locator("main")).not_to_contain_text("Camille")

    # Camille is asked, accepts, and comments.
    camille = visitor_factory("en", width=360)
    sign_in(camille, "camille", "contrechamp-demo")
    camille.goto("/stories/mine/")
    expect(camille.page.locator("#tags")).to_contain_text(TITLE)
    submit(camille, "#tags form[action$='/accept/']")
    expect(camille.page.locator(".messages")).to_contain_text("You are now shown in this story")
    camille.goto(story_path)
    expect(camille.page.locator("main")).to_contain_text("Camille")
    camille.page.locator("form[action$='/comments/'] textarea[name=body]").fill(
        "Quel hiver ! Merci pour les copies."
    )
    submit(camille, "form[action$='/comments/']")
    expect(camille.page.locator(".comments")).to_contain_text("Merci pour les copies")
    camille.screenshot("stories-story")

    # Amandine recommends the cinema that lent its reels.
    amandine.goto(story_path)
    amandine.page.locator("main li", has_text="Cinéma Le Méliès").locator(
        "a[href$='/recommend/']"
    ).click()
    amandine.page.wait_for_load_state("load")
    amandine.check()
    endorse = amandine.page.locator("main form.form")
    endorse.locator("textarea[name=text]").fill("Un cinéma généreux, qui prête ses copies.")
    endorse.locator("select[name=story]").select_option(label=TITLE)
    submit(amandine, "main form.form")
    amandine.goto("/networks/cinema-le-melies/")
    expect(amandine.page.locator("main")).to_contain_text("Un cinéma généreux")
    amandine.screenshot("stories-network-page")
    amandine.goto("/networks/?q=melies")
    expect(amandine.page.locator(".network-card", has_text="Le Méliès")).to_contain_text("1")

    # Mathieu, its admin, may not recommend his own cinema.
    mathieu = visitor_factory("en")
    sign_in(mathieu, "mathieu", "contrechamp-demo")
    mathieu.goto("/stories/endorsements/cinema-le-melies/recommend/")
    expect(mathieu.page.locator("main .notice")).to_contain_text("cannot recommend it")
