"""Community stories, in a real browser.

Amandine (in French) tells how three clubs lent each other a projector all summer: she
names the three networks of the Grenoble area and Camille, adds a cover image and
publishes. Camille (in English, on a phone-sized screen) finds that she is asked, accepts
to be shown, and comments. Amandine then recommends the student ciné-club from the story;
its page shows the recommendation and the directory counts it.
"""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from e2e.test_newcomer_journey import sign_in

pytestmark = pytest.mark.e2e

TITLE = "Un projecteur, trois clubs, un été"


def submit(visitor, form_selector: str) -> None:
    visitor.page.locator(f"{form_selector} button[type=submit]").first.click()
    visitor.page.wait_for_load_state("load")
    visitor.check()


def cover_image() -> dict[str, object]:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (120, 20, 40)).save(buffer, format="JPEG")
    return {"name": "projecteur.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def test_a_story_a_consented_tag_a_comment_and_a_recommendation(visitor_factory):
    amandine = visitor_factory("fr")
    sign_in(amandine, "amandine", "contrechamp-demo")

    amandine.goto("/stories/")
    amandine.goto("/stories/new/")
    form = amandine.page.locator("main form.form")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("input[name=lead]").fill("Douze séances en plein air, aucune panne.")
    form.locator("textarea[name=body]").fill(
        "Le projecteur 16 mm du ciné-club a voyagé tout l'été.\n\n[[image 1]]\n\n**Merci !**"
    )
    form.locator("textarea[name=networks]").fill(
        "Ciné-club étudiant de Grenoble\nCinéma Le Méliès\nCiné-débats de la médiathèque de Voiron"
    )
    form.locator("textarea[name=people]").fill("camille\nun-inconnu")
    form.locator("input[name=cover]").set_input_files(cover_image())
    form.locator("input[name=cover_alt]").fill("Le projecteur dans sa valise")
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
    images.locator("input[name=alt_text]").fill("Une séance sous les étoiles")
    submit(amandine, "form[action$='/images/']")
    expect(amandine.page.locator("#images code")).to_have_text("[[image 1]]")
    story_path = re.sub(r"edit/.*$", "", re.sub(r"^https?://[^/]+", "", amandine.page.url))
    amandine.goto(story_path)
    expect(amandine.page.locator("h1")).to_have_text(TITLE)
    expect(amandine.page.locator(".prose img[alt='Une séance sous les étoiles']")).to_have_count(1)
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
        "Quel été ! Merci pour la formation."
    )
    submit(camille, "form[action$='/comments/']")
    expect(camille.page.locator(".comments")).to_contain_text("Merci pour la formation")
    camille.screenshot("stories-story")

    # Amandine recommends the club that made it happen.
    amandine.goto(story_path)
    amandine.page.locator("main li", has_text="Ciné-club étudiant de Grenoble").locator(
        "a[href$='/recommend/']"
    ).click()
    amandine.page.wait_for_load_state("load")
    amandine.check()
    endorse = amandine.page.locator("main form.form")
    endorse.locator("textarea[name=text]").fill("Un club généreux, qui prête son matériel.")
    endorse.locator("select[name=story]").select_option(label=TITLE)
    submit(amandine, "main form.form")
    amandine.goto("/networks/cine-club-etudiant-de-grenoble/")
    expect(amandine.page.locator("main")).to_contain_text("Un club généreux")
    amandine.screenshot("stories-network-page")
    amandine.goto("/networks/?q=etudiant")
    expect(amandine.page.locator(".network-card", has_text="Ciné-club étudiant")).to_contain_text(
        "1"
    )

    # Juliette, its admin, may not recommend her own club.
    juliette = visitor_factory("en")
    sign_in(juliette, "juliette", "contrechamp-demo")
    juliette.goto("/stories/endorsements/cine-club-etudiant-de-grenoble/recommend/")
    expect(juliette.page.locator("main .notice")).to_contain_text("cannot recommend it")
