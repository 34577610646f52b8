"""The newcomer's journey of the foundation, in a real browser, in French then English.

Léa signs up, confirms her email from the message the server prints, fills in her profile
(a mistyped city first), finds the ciné-clubs within 30 km of Grenoble on the list and the
map, asks to join the student ciné-club and accepts its charter; Juliette, its organiser,
accepts her and hands her own organiser role to Camille with handover notes; the network's
page shows who held which role. Léa switches to English, exports her data and deletes her
account.
"""

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

CLUB = "Ciné-club étudiant de Grenoble"
PASSWORD = "Bobine-16mm-Vinaigre"


def sign_in(visitor, login: str, password: str) -> None:
    visitor.goto("/accounts/login/")
    page = visitor.page
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("load")


def test_a_newcomer_joins_a_cine_club_and_a_role_is_handed_over(visitor_factory, server):
    lea = visitor_factory("fr")
    page = lea.page

    # Home, in French by default.
    lea.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    # Sign up; the confirmation email is printed in the server's log.
    log_before = len(server.log())
    lea.goto("/accounts/signup/")
    page.fill("input[name=email]", "lea@example.org")
    page.fill("input[name=username]", "lea")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.check("input[name=accept_code_of_conduct]")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("load")
    lea.check()
    link = server.last_link(r"/accounts/confirm-email/[^/\s]+/", after=log_before)
    lea.goto(link.removeprefix(server.url))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("load")
    lea.check()

    # Profile: a mistyped city gets suggestions and keeps what was typed.
    lea.goto("/me/")
    page.fill("input[name=display_name]", "Léa")
    page.fill("input[name=city]", "Grenobel")
    page.fill("textarea[name=bio]", "Étudiante, j'aime le **cinéma muet**.")
    page.get_by_label("Montage", exact=True).check()
    page.get_by_label("Projection (16/35 mm et numérique)").check()
    page.locator("main form.form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    lea.check()
    expect(page.locator(".field__errors")).to_contain_text("Grenoble")
    expect(page.locator("textarea[name=bio]")).to_have_value(
        "Étudiante, j'aime le **cinéma muet**."
    )
    page.fill("input[name=city]", "Grenoble")
    page.locator("main form.form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    lea.check()
    lea.goto("/members/lea/")
    expect(page.locator("main")).to_contain_text("Montage")
    expect(page.locator("main strong")).to_contain_text("cinéma muet")

    # The directory: ciné-clubs within 30 km of Grenoble, on a list and a map.
    lea.goto("/networks/")
    page.fill("input[name=near]", "Grenoble")
    page.fill("input[name=km]", "30")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state("load")
    lea.check()
    results = page.locator("main")
    expect(results).to_contain_text(CLUB)
    expect(results).to_contain_text("Voiron")
    expect(results).not_to_contain_text("Chambéry")
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    assert "near=Grenoble" in page.url

    # Ask to join the student club (on request) and accept its charter.
    page.get_by_role("link", name=CLUB).first.click()
    page.wait_for_load_state("load")
    lea.check()
    club_path = re.sub(r"^https?://[^/]+", "", page.url)
    lea.goto(f"{club_path}join/")
    expect(page.locator("main")).to_contain_text("charte")
    page.check("input[name=accept_charter]")
    page.fill("textarea[name=message]", "Bonjour, je voudrais aider à la projection.")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("load")
    lea.check()

    # Juliette, organiser, accepts the request.
    juliette = visitor_factory("fr")
    sign_in(juliette, "juliette", "contrechamp-demo")
    juliette.goto(f"{club_path}requests/")
    request = juliette.page.locator("main li", has_text="Léa").first
    request.locator("button[value=approve]").click()
    juliette.page.wait_for_load_state("load")
    juliette.check()
    lea.goto(club_path)
    expect(page.locator("main")).to_contain_text("membre")

    # Juliette, admin, hands her organiser role over to Camille with notes.
    juliette.goto(f"{club_path}roles/")
    jpage = juliette.page
    assignment = jpage.locator("select[name=assignment] option", has_text="Juliette")
    jpage.select_option("select[name=assignment]", value=assignment.first.get_attribute("value"))
    jpage.fill("input[name=successor]", "camille")
    jpage.fill(
        "textarea[name=notes]",
        "Contacts : la régie du campus (poste 2027). Les bobines sont au local C.",
    )
    jpage.locator("form", has=jpage.locator("textarea[name=notes]")).locator(
        "button[type=submit]"
    ).click()
    jpage.wait_for_load_state("load")
    juliette.check()
    expect(jpage.locator(".messages")).to_contain_text("Camille")

    # Léa, now a member, sees on the network's page who held which role, with the notes.
    lea.goto(club_path)
    history = page.locator("main")
    expect(history).to_contain_text("Camille")
    page.locator("details", has_text="Camille").locator("summary").first.click()
    expect(history).to_contain_text("poste 2027")

    # English is one click away.
    page.locator(".language-switch button[value=en]").click()
    page.wait_for_load_state("load")
    lea.locale = "en"
    lea.check()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # Export her data, then delete her account.
    lea.goto("/me/")
    with page.expect_download() as download_info:
        page.locator("form[action='/me/export/'] button").first.click()
    exported = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert exported["profile"]["username"] == "lea"
    assert CLUB in json.dumps(exported, ensure_ascii=False)

    lea.goto("/me/delete/")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action='/me/delete/'] button[type=submit]").click()
    page.wait_for_load_state("load")
    lea.check()
    sign_in(lea, "lea@example.org", PASSWORD)
    expect(page.locator("main")).not_to_contain_text("Léa")
    assert "/accounts/login/" in page.url


@pytest.mark.parametrize("path", ["/", "/networks/?near=Grenoble&km=30", "/accounts/signup/"])
def test_pages_fit_a_360_pixel_phone(visitor_factory, path):
    visitor = visitor_factory("fr", width=360)
    visitor.goto(path)
    overflow = visitor.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} is {overflow}px wider than the screen"
