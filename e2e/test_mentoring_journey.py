"""Skills and mentoring, in a real browser.

Bernard (in English), forty years in a 35 mm projection booth in Lille, says on his
mentoring profile that he mentors projection, in person or online, and offers a free
initiation. Amandine (in French, on a phone-sized screen), in Grenoble, says she wants to
learn projection: the mentoring home suggests Bernard, with the reasons (online, since
Lille is far). She asks him for a mentorship with her goals; he accepts and logs their
first session, which she then reads in the log that only the two of them see.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.test_newcomer_journey import sign_in

pytestmark = pytest.mark.e2e


def submit(visitor, form_selector: str) -> None:
    visitor.page.locator(f"{form_selector} button[type=submit]").first.click()
    visitor.page.wait_for_load_state("load")
    visitor.check()


def test_an_offer_a_suggested_mentor_a_mentorship_and_a_session(visitor_factory):
    bernard = visitor_factory("en")
    sign_in(bernard, "bernard", "contrechamp-demo")

    # Bernard's mentoring profile: he already said on his profile that he mentors.
    bernard.goto("/mentoring/")
    bernard.page.get_by_role("link", name="My mentoring profile").first.click()
    bernard.page.wait_for_load_state("load")
    bernard.check()
    profile = bernard.page.locator("main form.form")
    expect(profile.locator("input[name=offers_mentoring]")).to_be_checked()
    expect(profile.locator("input[name=city]")).to_have_value("Lille")
    profile.locator("label:has(input[name=mentor_skills])", has_text="Projection").locator(
        "input"
    ).check()
    profile.locator("input[name=capacity]").fill("2")
    profile.locator("input[name=availability]").fill("Two evenings a month")
    profile.locator("input[name=format][value=both]").check()
    submit(bernard, "main form.form")
    expect(bernard.page.locator(".messages")).to_contain_text("mentoring profile is saved")

    # His offer, free of charge as every offer.
    bernard.goto("/mentoring/offers/new/")
    offer = bernard.page.locator("main form.form")
    offer.locator("select[name=skill]").select_option(label="Projection (16/35 mm and digital)")
    offer.locator("input[name=title]").fill("Initiation à la projection 35 mm")
    offer.locator("textarea[name=description]").fill("Threading, changeovers, the booth.")
    offer.locator("select[name=level]").select_option("beginner")
    offer.locator("input[name=format][value=both]").check()
    submit(bernard, "main form.form")
    expect(bernard.page.locator("h1")).to_have_text("Initiation à la projection 35 mm")
    expect(bernard.page.locator("main")).to_contain_text("Free of charge")

    # Amandine says what she wants to learn; Bernard is suggested, with reasons.
    amandine = visitor_factory("fr", width=360)
    sign_in(amandine, "amandine", "contrechamp-demo")
    amandine.goto("/mentoring/profile/")
    wish = amandine.page.locator("main form.form")
    expect(wish.locator("input[name=seeks_mentoring]")).to_be_checked()
    wish.locator("label:has(input[name=learning_skills])", has_text="Projection").locator(
        "input"
    ).check()
    wish.locator("textarea[name=learning_goals]").fill("Tenir la cabine du ciné-club seule.")
    wish.locator("input[name=format][value=both]").check()
    submit(amandine, "main form.form")
    amandine.goto("/mentoring/")
    suggestion = amandine.page.locator(".suggestion-card", has_text="Bernard")
    expect(suggestion).to_have_count(1)
    expect(suggestion.locator(".suggestion-card__reasons")).to_contain_text("·")
    amandine.screenshot("mentoring-home-suggestions")
    expect(amandine.page.locator("main")).to_contain_text("Initiation à la projection 35 mm")
    suggestion.get_by_role("link", name="Bernard").click()
    amandine.page.wait_for_load_state("load")
    amandine.check()

    # She asks; he accepts and logs the first session.
    ask = amandine.page.locator("main form.form")
    ask.locator("select[name=skill]").select_option(index=1)
    ask.locator("textarea[name=message]").fill("Bonjour Bernard, je débute en cabine.")
    ask.locator("textarea[name=goals]").fill("Projeter seule une séance en 35 mm.")
    submit(amandine, "main form.form")
    mentorship_path = re.sub(r"^https?://[^/]+", "", amandine.page.url)
    assert re.fullmatch(r"/mentoring/mentorships/\d+/", mentorship_path), mentorship_path

    bernard.goto("/mentoring/mentorships/")
    bernard.page.locator(f"main a[href='{mentorship_path}']").click()
    bernard.page.wait_for_load_state("load")
    bernard.check()
    expect(bernard.page.locator("main")).to_contain_text("Projeter seule une séance en 35 mm.")
    submit(bernard, "form[action$='/accept/']")
    expect(bernard.page.locator("main .tag--accent").first).to_have_text("Under way")
    bernard.page.locator("form[action$='/session/'] textarea[name=note]").fill(
        "First session: threading the projector."
    )
    submit(bernard, "form[action$='/session/']")
    expect(bernard.page.locator(".session-log")).to_contain_text("threading the projector")
    bernard.screenshot("mentoring-mentorship")

    amandine.goto(mentorship_path)
    expect(amandine.page.locator(".session-log")).to_contain_text("threading the projector")
    expect(amandine.page.locator("form[action$='/end/']")).to_have_count(1)
