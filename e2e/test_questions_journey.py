"""Questions and answers, in a real browser.

Juliette (in French) asks whether a 16 mm reel that smells of vinegar can still be shown
this weekend (the demo holds her earlier question on restoring it), in *formats et
restauration*, with tags. Sébastien (in English) finds it in the list by a
tag, answers it and finds it useful. Juliette accepts his answer, which comes first, and
comments on it. In the rare-films forum Lucie (in French, on a phone-sized screen) asks
the same thing for the forum's members only; Sébastien, its moderator, closes her
question as a duplicate of Juliette's: her question's address now leads to the original,
with a notice, and the answer she had there is on the original page. The history of an
edited question shows what changed.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.test_newcomer_journey import sign_in

pytestmark = pytest.mark.e2e

TITLE = "Bobine 16 mm au vinaigre : peut-on encore la projeter ce week-end ?"


def submit(visitor, form_selector: str) -> None:
    visitor.page.locator(f"{form_selector} button[type=submit]").first.click()
    visitor.page.wait_for_load_state("load")
    visitor.check()


def path_of(visitor) -> str:
    return re.sub(r"^https?://[^/]+", "", visitor.page.url).split("#")[0]


def test_ask_answer_vote_accept_and_close_a_duplicate(visitor_factory):
    juliette = visitor_factory("fr")
    sign_in(juliette, "juliette", "contrechamp-demo")
    juliette.goto("/questions/ask/")
    form = juliette.page.locator("main form.form")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=body]").fill(
        "Une boîte de **16 mm** sent fort le vinaigre.\n\n<script>alert(1)</script>"
    )
    form.locator("select[name=category]").select_option(label="Formats et restauration")
    form.locator("input[name=tags]").fill("16mm, Syndrome du vinaigre")
    submit(juliette, "main form.form")
    expect(juliette.page.locator("h1")).to_have_text(TITLE)
    expect(juliette.page.locator("main .prose strong")).to_have_text("16 mm")
    expect(juliette.page.locator("main script")).to_have_count(0)
    question_path = path_of(juliette)
    assert re.fullmatch(r"/questions/\d+/", question_path), question_path

    # Sébastien finds it by its tag, answers it and finds the question useful.
    sebastien = visitor_factory("en")
    sign_in(sebastien, "sebastien", "contrechamp-demo")
    sebastien.goto("/questions/?tag=syndrome-du-vinaigre")
    sebastien.page.get_by_role("link", name=TITLE, exact=True).click()
    sebastien.page.wait_for_load_state("load")
    sebastien.check()
    sebastien.page.locator("textarea[name=body]#id_body").fill(
        "Isolate the reel at once, keep it **cool and dry**, and have it scanned."
    )
    submit(sebastien, "form[action$='/answer/']")
    expect(sebastien.page.locator(".messages")).to_contain_text("Your answer is posted")
    submit(sebastien, f"form[action='{question_path}vote/']:has(input[value='1'])")
    expect(sebastien.page.locator("main article").first).to_contain_text("Score 1")

    # Juliette accepts it and comments; it is shown first, marked accepted.
    juliette.goto(question_path)
    answer = juliette.page.locator("article[id^=answer-]").first
    expect(answer).to_contain_text("cool and dry")
    submit(juliette, "form[action$='/accept/']")
    answer = juliette.page.locator("article[id^=answer-]").first
    expect(answer.locator(".tag--accent")).to_have_count(1)
    answer.locator("textarea[name=body]").fill("Merci, on isole la bobine dès ce soir.")
    answer.locator("button[type=submit]", has_text=re.compile("Comment|Commenter")).click()
    juliette.page.wait_for_load_state("load")
    juliette.check()
    expect(juliette.page.locator("article[id^=answer-]").first).to_contain_text(
        "on isole la bobine"
    )
    juliette.screenshot("questions-accepted-answer")

    # She edits her question; the history shows the change.
    juliette.goto(question_path + "edit/")
    juliette.page.locator("textarea[name=body]").fill("Une boîte de 16 mm sent l'acide acétique.")
    submit(juliette, "main form.form")
    juliette.goto(question_path + "history/")
    expect(juliette.page.locator("main ins").first).to_contain_text("acide acétique")

    # Lucie asks the same thing in the forum; Sébastien closes it into Juliette's.
    lucie = visitor_factory("fr", width=360)
    sign_in(lucie, "lucie", "contrechamp-demo")
    lucie.goto("/questions/ask/")
    form = lucie.page.locator("main form.form")
    form.locator("input[name=title]").fill("Ma copie 16 mm sent l'acide : est-elle perdue ?")
    form.locator("textarea[name=body]").fill("Achetée en brocante, elle sent le vinaigre.")
    form.locator("select[name=category]").select_option(label="Formats et restauration")
    form.locator("select[name=network]").select_option(label="Forum des films rares")
    submit(lucie, "main form.form")
    duplicate_path = path_of(lucie)

    sebastien.goto(duplicate_path)
    sebastien.page.locator("textarea[name=body]#id_body").fill("Not lost yet: see the other one.")
    submit(sebastien, "form[action$='/answer/']")
    sebastien.goto(duplicate_path + "close/")
    sebastien.page.locator("input[name=original]").fill(question_path)
    submit(sebastien, "main form.form")
    assert path_of(sebastien) == question_path

    lucie.goto(duplicate_path)
    assert path_of(lucie) == question_path
    expect(lucie.page.locator(".messages")).to_contain_text("est-elle perdue")
    expect(lucie.page.locator("main")).to_contain_text("Not lost yet")
    lucie.screenshot("questions-duplicate-redirect")

    # Signed out, the public question is readable; the forum's is not listed.
    visitor = visitor_factory("en")
    visitor.goto("/questions/")
    expect(visitor.page.locator("main")).to_contain_text(TITLE)
    expect(visitor.page.locator("main")).not_to_contain_text("est-elle perdue")
