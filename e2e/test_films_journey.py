"""The films story, in a real browser.

Sébastien finds *Les Enfants du paradis* by typing "enfants paradis", sees where it can be
seen legally with the date each place was checked, confirms the médiathèque and adds a
VOD platform. He finds *Cléo de 5 à 7* by typing "cleo" and recommends it to his forum
with a *why* and the tag "pépite méconnue". Juliette sees it in her feed, adds it to her
watchlist, says "vu grâce à toi" and rates it. Nora imports her Letterboxd ratings and
gets suggestions, each with its reason.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.test_newcomer_journey import sign_in

pytestmark = pytest.mark.e2e

LETTERBOXD_RATINGS = (
    "Date,Name,Year,Letterboxd URI,Rating\n"
    "2026-01-12,La Jetée,1962,https://boxd.it/aa,5\n"
    "2026-02-03,Le Voyage dans la Lune,1902,https://boxd.it/ab,4.5\n"
    "2026-02-04,Un film que personne ne connaît,2031,https://boxd.it/ac,3\n"
)


def search_and_open(visitor, query: str, title: str) -> str:
    visitor.goto("/films/")
    visitor.page.fill("form.filters input[name=q]", query)
    visitor.page.locator("form.filters button[type=submit]").click()
    visitor.page.wait_for_load_state("load")
    visitor.check()
    visitor.page.get_by_role("link", name=re.compile(title)).first.click()
    visitor.page.wait_for_load_state("load")
    visitor.check()
    return re.sub(r"^https?://[^/]+", "", visitor.page.url)


def test_find_a_film_say_where_to_see_it_recommend_it_and_discover(visitor_factory, tmp_path):
    sebastien = visitor_factory("fr")
    sign_in(sebastien, "sebastien", "contrechamp-demo")
    page = sebastien.page

    search_and_open(sebastien, "enfants paradis", "Les Enfants du paradis")
    where = page.locator("#where")
    expect(where).to_contain_text("Bibliothèque municipale de Grenoble")
    where.locator("form[action$='/confirm/'] button").first.click()
    page.wait_for_load_state("load")
    sebastien.check()
    page.locator("#where details summary").click()
    page.select_option("#where select[name=kind]", "vod")
    page.fill("#where input[name=url]", "https://www.example.org/les-enfants-du-paradis")
    page.locator("#where form.form button[type=submit]").click()
    page.wait_for_load_state("load")
    sebastien.check()
    expect(page.locator("#where")).to_contain_text("example.org")

    cleo_path = search_and_open(sebastien, "cleo", "Cléo de 5 à 7")
    page.locator("details", has=page.locator("textarea[name=why]")).locator("summary").click()
    page.fill("textarea[name=why]", "Deux heures de Paris en temps réel : Varda au sommet.")
    page.check("input[name=tags][value=hidden_gem]")
    page.check("input[name=audience][value=network]")
    page.select_option("select[name=network]", label="Forum des films rares")
    page.locator("form[action$='/recommend/'] button[type=submit]").click()
    page.wait_for_load_state("load")
    sebastien.check()

    # Juliette, a member of the forum, sees it in her feed and closes the loop.
    juliette = visitor_factory("fr")
    sign_in(juliette, "juliette", "contrechamp-demo")
    juliette.goto("/recommendations/")
    card = juliette.page.locator("article, li", has_text="Varda au sommet").first
    expect(card).to_be_visible()
    card.locator("form:has(input[name=kind][value=watched]) button").click()
    juliette.page.wait_for_load_state("load")
    juliette.check()
    watched = juliette.page.locator("article, li", has_text="Varda au sommet").first.locator(
        "form:has(input[name=kind][value=watched]) button"
    )
    expect(watched).to_have_attribute("aria-pressed", "true")
    juliette.goto(cleo_path)
    juliette.page.locator("form:has(input[name=action][value=add]) button").click()
    juliette.page.wait_for_load_state("load")
    juliette.check()
    juliette.page.select_option("select[name=stars]", "4.5")
    juliette.page.locator("form[action$='/rate/'] button[type=submit]").first.click()
    juliette.page.wait_for_load_state("load")
    juliette.check()
    expect(juliette.page.locator("select[name=stars]")).to_have_value("4.5")

    # Nora imports her Letterboxd ratings and discovers films.
    nora = visitor_factory("fr")
    sign_in(nora, "nora", "contrechamp-demo")
    nora.goto("/films/import/letterboxd/")
    ratings = tmp_path / "ratings.csv"
    ratings.write_text(LETTERBOXD_RATINGS, encoding="utf-8")
    nora.page.set_input_files("input[name=file]", str(ratings))
    nora.page.locator("main form button[type=submit]").click()
    nora.page.wait_for_load_state("load")
    nora.check()
    expect(nora.page.locator("main")).to_contain_text("Un film que personne ne connaît")
    nora.goto("/discover/")
    expect(nora.page.locator("main")).to_contain_text("aimé")
