"""Wanted films, in a real browser.

Sébastien (in French), whose demo request for *La Jetée* is matched already, looks for a
copy of Resnais' short *Toute la mémoire du monde* with English subtitles for the same
screening, on DVD or as a 16 mm print: nobody has one yet. Lucie (in English, on a
phone-sized screen) lists her DVD of it in the library; Sébastien is notified, finds her
copy on his request's page, and marks the request as found through it. Lucie then sees on
the film's list of requests that nobody is looking any more.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.test_newcomer_journey import sign_in

pytestmark = pytest.mark.e2e

ITEM = "Toute la mémoire du monde, courts métrages d'Alain Resnais (DVD)"


def submit(visitor, form_selector: str) -> None:
    visitor.page.locator(f"{form_selector} button[type=submit]").first.click()
    visitor.page.wait_for_load_state("load")
    visitor.check()


def test_a_wanted_film_is_matched_when_a_copy_is_listed(visitor_factory):
    sebastien = visitor_factory("fr")
    sign_in(sebastien, "sebastien", "contrechamp-demo")

    # His request, posted through the form.
    sebastien.goto("/wanted/")
    sebastien.page.locator("main a[href='/wanted/new/']").first.click()
    sebastien.page.wait_for_load_state("load")
    sebastien.check()
    form = sebastien.page.locator("main form.form")
    form.locator("input[name=film]").fill("Toute la mémoire du monde 1956")
    form.locator("input[name=formats][value=dvd]").check()
    form.locator("input[name=formats][value=film_16]").check()
    form.locator("input[name=subtitle_languages][value=en]").check()
    form.locator("textarea[name=note]").fill("Pour une séance avec des étudiants Erasmus.")
    submit(sebastien, "main form.form")
    expect(sebastien.page.locator("main .errorlist")).to_have_count(0)
    expect(sebastien.page.locator("h1")).to_contain_text("Toute la mémoire du monde")
    expect(sebastien.page.locator("html")).to_have_attribute("lang", "fr")
    expect(sebastien.page.locator("main .empty-state")).to_have_count(1)
    request_path = re.sub(r"^https?://[^/]+", "", sebastien.page.url)
    assert re.fullmatch(r"/wanted/\d+/", request_path), request_path

    # The list finds it by a word of the title, without its accent.
    sebastien.goto("/wanted/?q=memoire&format=dvd")
    expect(sebastien.page.locator(f"main a[href='{request_path}']")).to_have_count(1)

    # Lucie lists her DVD of the film in the library.
    lucie = visitor_factory("en", width=360)
    sign_in(lucie, "lucie", "contrechamp-demo")
    lucie.goto("/library/new/")
    item = lucie.page.locator("main form.form")
    item.locator("select[name=kind]").select_option("dvd")
    item.locator("input[name=title]").fill(ITEM)
    item.locator("input[name=film]").fill("Toute la mémoire du monde")
    item.locator("input[name=city]").fill("Lyon")
    submit(lucie, "main form.form")
    expect(lucie.page.locator("h1")).to_contain_text(ITEM)

    # Sébastien is told, and finds her copy on his request's page.
    sebastien.goto("/notifications/")
    expect(sebastien.page.locator("main")).to_contain_text("Toute la mémoire du monde")
    sebastien.goto(request_path)
    matches = sebastien.page.locator("#matches")
    expect(matches).to_contain_text(ITEM)
    expect(matches).to_contain_text("Lucie, Lyon")
    sebastien.screenshot("wanted-request-with-match")
    resolve = sebastien.page.locator(f"form[action='{request_path}found/']")
    resolve.locator("select[name=match]").select_option(index=1)
    submit(sebastien, f"form[action='{request_path}found/']")
    expect(sebastien.page.locator(".messages")).to_have_count(1)
    expect(sebastien.page.locator("main .page-header .tag")).to_have_count(1)
    expect(sebastien.page.locator(f"form[action='{request_path}found/']")).to_have_count(0)

    # Nobody is looking for it any more: the open list no longer shows it.
    lucie.goto("/wanted/?q=memoire")
    expect(lucie.page.locator(f"main a[href='{request_path}']")).to_have_count(0)
    lucie.goto(request_path)
    expect(lucie.page.locator("main")).to_contain_text("Found")
    expect(lucie.page.locator("#matches")).to_have_count(0)
