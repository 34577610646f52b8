"""Guides and technical sheets, in a real browser.

Juliette (in French) writes a checklist for the club's volunteer projectionists (the demo
has the club's own 16 mm checklist already) on behalf of the Grenoble student club, shares
it with the Méliès and adds Mathieu as a co-editor. Mathieu (in English, on a
phone-sized screen) attaches a PDF and saves a new version. Juliette, whose edit page was
open on the older version, saves: the page refuses, keeps what she typed and shows the
latest version; she saves again. She compares versions in the history and restores the
first one. Amandine, a member of the club, says the guide helped her.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.test_newcomer_journey import sign_in

pytestmark = pytest.mark.e2e

TITLE = "Checklist du projectionniste bénévole (16 mm)"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def submit(visitor, form_selector: str) -> None:
    visitor.page.locator(f"{form_selector} button[type=submit]").first.click()
    visitor.page.wait_for_load_state("load")
    visitor.check()


def test_a_shared_checklist_edited_by_two_with_a_file_history_and_a_thanks(
    visitor_factory, tmp_path: Path
):
    juliette = visitor_factory("fr")
    sign_in(juliette, "juliette", "contrechamp-demo")

    # She writes the checklist for her club.
    juliette.goto("/guides/new/")
    form = juliette.page.locator("main form.form")
    form.locator("select[name=network]").select_option(label="Ciné-club étudiant de Grenoble")
    form.locator("select[name=kind]").select_option("checklist")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=summary]").fill("Avant chaque séance en pellicule.")
    form.locator("textarea[name=body]").fill(
        "- Nettoyer le couloir\n- Vérifier la lampe\n- Amorcer la bobine"
    )
    form.locator("input[name=tags]").fill("16 mm, projection")
    submit(juliette, "main form.form")
    guide_path = re.sub(r"^https?://[^/]+", "", juliette.page.url).replace("sharing/", "")
    assert re.fullmatch(r"/guides/\d+/", guide_path), guide_path

    # Shared with the Méliès; Mathieu becomes co-editor.
    sharing = juliette.page.locator(f"main form[action='{guide_path}sharing/']")
    sharing.locator("label", has_text="Cinéma Le Méliès").click()
    submit(juliette, f"main form[action='{guide_path}sharing/']")
    expect(juliette.page.locator("main input[name=networks]:checked")).to_have_count(1)
    juliette.page.locator("main input[name=username]").fill("mathieu")
    submit(juliette, f"main form[action='{guide_path}editors/']")
    expect(juliette.page.locator("main")).to_contain_text("Mathieu")

    # Juliette opens the edit page (version 1) and leaves it open.
    juliette.goto(f"{guide_path}edit/")

    # Mathieu, on his phone, attaches the printable PDF and saves version 2.
    mathieu = visitor_factory("en", width=360)
    sign_in(mathieu, "mathieu", "contrechamp-demo")
    mathieu.goto(guide_path)
    pdf = tmp_path / "checklist-16mm.pdf"
    pdf.write_bytes(PDF)
    mathieu.page.locator("main input[name=file]").set_input_files(str(pdf))
    submit(mathieu, f"main form[action='{guide_path}files/']")
    expect(mathieu.page.locator("main a", has_text="checklist-16mm.pdf")).to_have_count(1)
    mathieu.goto(f"{guide_path}edit/")
    body = mathieu.page.locator("main textarea[name=body]")
    body.fill("- Nettoyer le couloir\n- Vérifier la lampe et la courroie\n- Amorcer la bobine")
    mathieu.page.locator("main input[name=note]").fill("belt check")
    submit(mathieu, "main form.form")
    expect(mathieu.page.locator(".messages")).to_contain_text("new version")
    mathieu.screenshot("guides-detail")

    # Juliette's save, based on version 1, is refused; her text is kept.
    juliette.page.locator("main textarea[name=body]").fill("- Ma version à moi")
    submit(juliette, "main form.form")
    expect(juliette.page.locator("main .form-errors")).to_have_count(1)
    expect(juliette.page.locator("main textarea[name=body]")).to_have_value("- Ma version à moi")
    expect(juliette.page.locator("main .prose")).to_contain_text("courroie")
    juliette.screenshot("guides-edit-conflict")
    submit(juliette, "main form.form")
    assert re.sub(r"^https?://[^/]+", "", juliette.page.url) == guide_path

    # The history, a comparison, and restoring the first version.
    juliette.goto(f"{guide_path}history/")
    expect(juliette.page.locator("main tbody tr")).to_have_count(3)
    juliette.page.locator("main input[name=from][value='1']").check()
    juliette.page.locator("main input[name=to][value='3']").check()
    submit(juliette, "main form[action$='/diff/']")
    expect(juliette.page.locator("main del").first).to_contain_text("Nettoyer le couloir")
    expect(juliette.page.locator("main ins").first).to_contain_text("Ma version à moi")
    juliette.screenshot("guides-diff")
    juliette.goto(f"{guide_path}versions/1/")
    submit(juliette, "main form[action$='/restore/']")
    expect(juliette.page.locator("main .prose")).to_contain_text("Amorcer la bobine")

    # Amandine, a member of the club, reads it in the list and says it helped her.
    amandine = visitor_factory("fr")
    sign_in(amandine, "amandine", "contrechamp-demo")
    amandine.goto("/guides/?tag=16+mm")
    amandine.page.locator("main a", has_text=TITLE).click()
    amandine.page.wait_for_load_state("load")
    amandine.check()
    submit(amandine, f"main form[action='{guide_path}helped/']")
    expect(
        amandine.page.locator(f"main form[action='{guide_path}helped/'] input[name=withdraw]")
    ).to_have_count(1)

    # A visitor who is not signed in does not find it.
    visitor = visitor_factory("en")
    response = visitor.page.goto(visitor.server.url + guide_path)
    assert response is not None and response.status == 404
