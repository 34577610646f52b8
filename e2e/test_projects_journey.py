"""Creative projects, in a real browser.

Camille (in English), a sound recordist in Grenoble, says she is open to role calls and
available around the shoot. Nora (in French), whose short "La Calanque" is in the demo,
starts her next one, "Les Goudes", in Marseille and posts a call for a sound recordist:
Camille is suggested, with the reasons, and invited. Camille (on a phone-sized screen)
applies with a message and a link; Nora accepts her, so she appears on the team. Nora
prepares a shooting day, calls Camille at 6:45 and sends the call sheet, which Camille
then opens.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from e2e.test_newcomer_journey import sign_in

pytestmark = pytest.mark.e2e

PASSWORD = "contrechamp-demo"
TITLE = "Les Goudes"


def submit(visitor, form_selector: str) -> None:
    visitor.page.locator(f"{form_selector} button[type=submit]").first.click()
    visitor.page.wait_for_load_state("load")
    visitor.check()


def test_a_project_a_role_call_a_suggested_applicant_and_a_call_sheet(visitor_factory):
    shoot = dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=45)

    # Camille is open to role calls around the shoot.
    camille = visitor_factory("en")
    sign_in(camille, "camille", PASSWORD)
    camille.goto("/projects/availability/")
    profile = camille.page.locator("main form", has=camille.page.locator("input[value=profile]"))
    profile.locator("input[name=open_to_calls]").check()
    profile.locator("input[name=travel_km]").fill("400")
    profile.locator("button[type=submit]").click()
    camille.page.wait_for_load_state("load")
    camille.check()
    period = camille.page.locator("main form", has=camille.page.locator("input[value=period]"))
    period.locator("input[name=starts_on]").fill((shoot - dt.timedelta(days=5)).isoformat())
    period.locator("input[name=ends_on]").fill((shoot + dt.timedelta(days=5)).isoformat())
    period.locator("button[type=submit]").click()
    camille.page.wait_for_load_state("load")
    camille.check()
    expect(camille.page.locator(".messages")).to_contain_text("availability is saved")

    # Nora starts her project and posts a role call.
    nora = visitor_factory("fr")
    sign_in(nora, "nora", PASSWORD)
    nora.goto("/projects/new/")
    form = nora.page.locator("main form.form")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("select[name=kind]").select_option("short_film")
    form.locator("textarea[name=description]").fill(
        "Un pêcheur, son petit-fils, un dernier hiver au port."
    )
    form.locator("input[name=city]").fill("Marseille")
    form.locator("input[name=starts_on]").fill(shoot.isoformat())
    form.locator("input[name=ends_on]").fill((shoot + dt.timedelta(days=2)).isoformat())
    submit(nora, "main form.form")
    expect(nora.page.locator("h1")).to_have_text(TITLE)
    slug_url = nora.page.url
    nora.page.locator("main a[href$='/calls/new/']").click()
    nora.page.wait_for_load_state("load")
    nora.check()
    call = nora.page.locator("main form.form")
    call.locator("select[name=kind]").select_option("crew")
    call.locator("select[name=skill]").select_option(label="Prise de son")
    call.locator("input[name=title]").fill("Ingénieur·e du son")
    call.locator("input[name=starts_on]").fill(shoot.isoformat())
    call.locator("input[name=ends_on]").fill((shoot + dt.timedelta(days=2)).isoformat())
    call.locator("input[name=deadline]").fill((shoot - dt.timedelta(days=10)).isoformat())
    submit(nora, "main form.form")
    expect(nora.page.locator("h1")).to_have_text("Ingénieur·e du son")
    call_url = nora.page.url

    # Camille is suggested, with the reasons; Nora invites her.
    suggestion = nora.page.locator("main li", has_text="Camille")
    expect(suggestion).to_contain_text("disponible les 3 jours")
    expect(suggestion).to_contain_text("km")
    suggestion.locator("input[type=checkbox]").check()
    nora.page.get_by_role("button", name="Inviter à candidater").click()
    nora.page.wait_for_load_state("load")
    nora.check()

    # Camille applies from her phone; a bad link keeps what she typed.
    camille_phone = visitor_factory("en", width=360)
    sign_in(camille_phone, "camille", PASSWORD)
    camille_phone.page.goto(call_url)
    camille_phone.check()
    apply = camille_phone.page.locator("main form.form")
    apply.locator("textarea[name=message]").fill("Zoom F6 and a boom pole, I can come by train.")
    apply.locator("textarea[name=links]").fill("not a link")
    submit(camille_phone, "main form.form")
    expect(camille_phone.page.locator("main")).to_contain_text("is not a web address")
    expect(apply.locator("textarea[name=message]")).to_have_value(
        "Zoom F6 and a boom pole, I can come by train."
    )
    apply.locator("textarea[name=links]").fill("https://vimeo.com/camille")
    submit(camille_phone, "main form.form")
    expect(camille_phone.page.locator(".messages")).to_contain_text("application is sent")
    expect(camille_phone.page.locator("main")).to_contain_text("Received")

    # Nora accepts her: Camille is on the team.
    nora.page.goto(call_url)
    nora.check()
    nora.page.locator("main button[value=accepted]").click()
    nora.page.wait_for_load_state("load")
    nora.check()
    nora.page.goto(slug_url)
    nora.check()
    expect(nora.page.locator("main section", has_text="Camille").first).to_be_visible()

    # A shooting day: Camille is called at 6:45, the call sheet is sent.
    nora.page.locator("main a[href$='/days/new/']").click()
    nora.page.wait_for_load_state("load")
    nora.check()
    day = nora.page.locator("main form.form")
    day.locator("input[name=date]").fill(shoot.isoformat())
    day.locator("input[name=address]").fill("Plage des Catalans, Marseille")
    day.locator("input[name=general_call]").fill("07:30")
    day.locator("textarea[name=scenes]").fill("Sc. 4 — EXT. PLAGE — MATIN\nSc. 5 — EXT. DIGUE")
    submit(nora, "main form.form")
    called = nora.page.locator("main form", has=nora.page.locator("input[value=call]"))
    called.locator("select[name=member]").select_option(label="Camille")
    called.locator("input[name=call_at]").fill("06:45")
    called.locator("button[type=submit]").click()
    nora.page.wait_for_load_state("load")
    nora.check()
    nora.page.locator("main form", has=nora.page.locator("input[value=publish]")).locator(
        "button"
    ).click()
    nora.page.wait_for_load_state("load")
    nora.check()
    sheet_url = nora.page.url

    # Camille opens her call sheet.
    camille_phone.page.goto(sheet_url)
    camille_phone.check()
    expect(camille_phone.page.locator("main table")).to_contain_text("06:45")
    expect(camille_phone.page.locator("main")).to_contain_text("Sc. 5")
    camille_phone.screenshot("projects-call-sheet-phone")
