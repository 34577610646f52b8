"""Screenplay and cut feedback, in a real browser.

Nora (in French) pastes the first version of "La Calanque" in Fountain: it reads as a
screenplay. She asks Juliette for feedback. Juliette (in English, on a phone-sized
screen) reads the request and its reminder to be frank but kind, comments on a line and
on a line Nora will cut. Nora pastes version 2: the first comment is still on its line,
the second is shown apart as outdated. She shares her first cut by link, comments at a
timecode (a wrong one first: the error is explained and her text kept), marks the thread
resolved and downloads the comments as an EDL.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.test_newcomer_journey import sign_in

pytestmark = pytest.mark.e2e

SCREENPLAYS = Path(__file__).parent.parent / "contrechamp" / "feedback" / "screenplays"

CREATE_PROJECT = """
from contrechamp.accounts.models import User
from contrechamp.projects import services
from contrechamp.projects.models import Project
nora = User.objects.get(username="nora")
if not Project.objects.filter(slug="la-calanque-retours").exists():
    project = services.create_project(actor=nora, details=services.ProjectDetails(
        title="La Calanque retours", kind="short_film", city="Marseille"))
    print(project.slug)
"""


def submit(visitor, form_selector: str = "main form.form") -> None:
    visitor.page.locator(f"{form_selector} button[type=submit]").last.click()
    visitor.page.wait_for_load_state("load")
    visitor.check()


def paste(visitor, version: str) -> None:
    text = (SCREENPLAYS / f"la_calanque_{version}.fountain").read_text(encoding="utf-8")
    visitor.page.locator("textarea[name=source]").fill(text)


def test_a_screenplay_read_commented_and_revised_then_a_cut_exported(visitor_factory, server):
    server.manage("shell", "-c", CREATE_PROJECT)
    base = "/projects/la-calanque-retours/feedback/"

    nora = visitor_factory("fr")
    sign_in(nora, "nora", "contrechamp-demo")
    nora.goto(base)
    nora.goto(f"{base}screenplay/new/")
    paste(nora, "v1")
    nora.page.locator("input[name=change_note]").fill("Premier jet")
    submit(nora)
    expect(nora.page.locator(".screenplay .sp-character").first).to_have_text("LINA")
    expect(nora.page.locator(".screenplay .sp-transition").first).to_have_text("CUT TO:")
    expect(nora.page.locator("#line-17 .sp-dialogue")).to_have_text("Rien n'a bougé.")
    nora.screenshot("feedback-screenplay")

    nora.goto(f"{base}requests/new/")
    nora.page.locator("input[name=usernames]").fill("juliette")
    nora.page.locator("textarea[name=message]").fill("Le rythme des dialogues avec Marc ?")
    submit(nora)
    request_url = nora.page.url

    juliette = visitor_factory("en", width=360)
    sign_in(juliette, "juliette", "contrechamp-demo")
    juliette.page.goto(request_url)
    juliette.check()
    expect(juliette.page.locator(".charter-reminder")).to_contain_text("frank but kind")
    juliette.page.get_by_role("link", name="Read the screenplay and comment").click()
    juliette.page.wait_for_load_state("load")
    juliette.check()
    juliette.page.locator("#line-17 .sp-comment-link").click()
    juliette.page.wait_for_load_state("load")
    juliette.check()
    expect(juliette.page.locator("#comment-form")).to_contain_text("Rien n'a bougé.")
    juliette.page.locator("#comment-form textarea[name=body]").fill("Très court, et c'est bien.")
    submit(juliette, "#comment-form form")
    juliette.page.locator("#line-30 .sp-comment-link").click()
    juliette.page.wait_for_load_state("load")
    juliette.page.locator("#comment-form textarea[name=body]").fill("Une maxime de trop.")
    submit(juliette, "#comment-form form")
    expect(juliette.page.locator("#line-17 .sp-comment-link")).to_have_text("1 comment")

    nora.goto(f"{base}screenplay/new/")
    paste(nora, "v2")
    submit(nora)
    expect(nora.page.locator("h1")).to_contain_text("2")
    expect(nora.page.locator("#line-17 .sp-comment-link.has-comments")).to_have_count(1)
    outdated = nora.page.locator("section[aria-labelledby=outdated-title]")
    expect(outdated).to_contain_text("Une maxime de trop.")
    expect(outdated).to_contain_text("On a toujours le choix. Ton père disait ça.")

    nora.goto(f"{base}cuts/new/")
    form = nora.page.locator("main form.form")
    form.locator("input[name=title]").fill("Premier montage")
    form.locator("input[name=video_url]").fill("https://peertube.example.org/w/la-calanque")
    form.locator("select[name=frame_rate]").select_option("25")
    form.locator("input[name=duration]").fill("00:14:32:10")
    submit(nora)
    expect(nora.page.locator("h1")).to_have_text("Premier montage")
    comment = nora.page.locator("#comment-form")
    comment.locator("input[name=at]").fill("00:20:00:00")
    comment.locator("textarea[name=body]").fill("Le faux raccord du sac.")
    submit(nora, "#comment-form form")
    expect(comment.locator(".field__errors")).to_be_visible()
    expect(comment.locator("textarea[name=body]")).to_have_value("Le faux raccord du sac.")
    comment.locator("input[name=at]").fill("00:04:48:17")
    submit(nora, "#comment-form form")
    thread = nora.page.locator("article.thread").first
    expect(thread).to_contain_text("00:04:48:17")
    thread.locator("form.inline-form button[type=submit]").click()
    nora.page.wait_for_load_state("load")
    nora.check()
    expect(nora.page.locator("article.thread--resolved")).to_have_count(1)
    with nora.page.expect_download() as download:
        nora.page.locator("a[href$='comments.edl']").click()
    assert download.value.suggested_filename.endswith("-markers.edl")
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[1] == "FCM: NON-DROP FRAME"
    assert lines[3].startswith("001  AX       V     C        00:04:48:17")
