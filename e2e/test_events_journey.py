"""Events, in a real browser.

Juliette (in English) creates the Grenoble student club's "Jeudi patrimoine", repeating on
the first Thursday of each month at Cinéma Le Club and showing *Le Voyage dans la Lune*,
with one seat to make the waitlist visible. Publishing warns her that the rights are not
recorded; she records that the film is in the public domain, attaches the notice and
publishes. Nora (in French) takes the seat, Paul joins the waitlist; Nora cancels and Paul
is promoted. Mathieu signs up for the projection shift. The club's calendar feed carries
the series as one repeating event, and the public page describes it for search engines.
"""

import json
import re
import urllib.request
from datetime import date, timedelta
from typing import Any

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.test_newcomer_journey import sign_in

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def first_thursday_in_two_months() -> date:
    today = timezone.localdate()
    first = (today.replace(day=1) + timedelta(days=62)).replace(day=1)
    return first + timedelta(days=(3 - first.weekday()) % 7)


def test_a_monthly_screening_with_rights_a_waitlist_and_a_calendar(visitor_factory, server):
    juliette = visitor_factory("en")
    sign_in(juliette, "juliette", "contrechamp-demo")
    juliette.goto("/networks/cine-club-etudiant-de-grenoble/events/")
    juliette.check()
    juliette.page.get_by_role("link", name="New event").click()
    juliette.page.wait_for_load_state("load")
    juliette.check()
    night = first_thursday_in_two_months()
    form = juliette.page.locator("main form.form")
    form.locator("select[name=kind]").select_option("screening")
    form.locator("input[name=title]").fill("Jeudi patrimoine")
    form.locator("input[name=starts_at]").fill(f"{night.isoformat()}T20:30")
    form.locator("input[name=ends_at]").fill(f"{night.isoformat()}T22:30")
    form.locator("select[name=repeat]").select_option("monthly_weekday")
    form.locator("input[name=occurrences]").fill("4")
    form.locator("select[name=venue]").select_option(label="Cinéma Le Club (Grenoble)")
    form.locator("textarea[name=films]").fill("Le Voyage dans la Lune (1902)")
    form.locator("input[name=capacity]").fill("1")
    form.locator("button[type=submit]").first.click()
    juliette.page.wait_for_load_state("load")
    juliette.check()
    event_path = re.sub(r"^https?://[^/]+", "", juliette.page.url)
    assert re.fullmatch(r"/events/\d+/", event_path), event_path

    # Publishing a public screening without rights recorded: a warning, not a publication.
    juliette.page.get_by_role("button", name="Publish").first.click()
    juliette.page.wait_for_load_state("load")
    juliette.check()
    expect(juliette.page.locator("main")).to_contain_text("Le Voyage dans la Lune")
    juliette.page.get_by_role("link", name="Record the rights").first.click()
    juliette.page.wait_for_load_state("load")
    juliette.check()
    juliette.page.locator("select[name=status]").select_option("public_domain")
    juliette.page.get_by_role("button", name="Record the rights").click()
    juliette.page.wait_for_load_state("load")
    juliette.check()
    juliette.page.set_input_files(
        "input[type=file]",
        files=[{"name": "domaine-public.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    juliette.page.get_by_role("button", name="Attach the document").click()
    juliette.page.wait_for_load_state("load")
    juliette.check()
    expect(juliette.page.locator("main")).to_contain_text("domaine-public.pdf")

    juliette.goto(event_path)
    juliette.page.get_by_role("button", name="Publish").first.click()
    juliette.page.wait_for_load_state("load")
    juliette.check()
    expect(juliette.page.locator("main")).to_contain_text("Published")

    # Volunteers are asked for the projection.
    juliette.goto(f"{event_path}shifts/")
    juliette.check()
    juliette.page.locator("main form select[name=role]").select_option("projection")
    juliette.page.locator("main form input[name=starts_at]").fill(f"{night.isoformat()}T20:00")
    juliette.page.locator("main form input[name=ends_at]").fill(f"{night.isoformat()}T22:45")
    juliette.page.locator("main form input[name=slots]").fill("1")
    juliette.page.locator("main form button[type=submit]").first.click()
    juliette.page.wait_for_load_state("load")
    juliette.check()

    # Nora takes the only seat, Paul waits; when Nora cancels, Paul gets it.
    nora = visitor_factory("fr")
    sign_in(nora, "nora", "contrechamp-demo")
    nora.goto(event_path)
    nora.check()
    nora.page.locator("button[name=status][value=going]").click()
    nora.page.wait_for_load_state("load")
    nora.check()
    paul = visitor_factory("fr", width=360)
    sign_in(paul, "paul", "contrechamp-demo")
    paul.goto(event_path)
    paul.page.locator("button[name=status][value=going]").click()
    paul.page.wait_for_load_state("load")
    paul.check()
    expect(paul.page.locator("main")).to_contain_text("attente")
    nora.goto(event_path)
    nora.page.locator("button[name=status][value=cancelled]").click()
    nora.page.wait_for_load_state("load")
    nora.check()
    paul.goto(event_path)
    paul.check()
    expect(paul.page.locator("main")).not_to_contain_text("liste d'attente (n°")

    # Mathieu, a member of the club, takes the projection shift.
    mathieu = visitor_factory("fr")
    sign_in(mathieu, "mathieu", "contrechamp-demo")
    mathieu.goto(event_path)
    mathieu.page.locator("form[action*='/sign-up/'] button").first.click()
    mathieu.page.wait_for_load_state("load")
    mathieu.check()

    # The public page describes the screening for search engines.
    anonymous = visitor_factory("fr")
    anonymous.goto(event_path)
    anonymous.check()
    data = json.loads(
        anonymous.page.locator("script[type='application/ld+json']").first.inner_text()
    )
    assert data["@type"] == "ScreeningEvent"
    assert data["workPresented"][0]["name"] == "Le Voyage dans la Lune"

    # The club's calendar carries the series as one repeating event.
    url = f"{server.url}/networks/cine-club-etudiant-de-grenoble/events.ics"
    with urllib.request.urlopen(url) as response:  # noqa: S310 - the local test server
        calendar = icalendar.Calendar.from_ical(response.read())
    events: list[Any] = calendar.walk("VEVENT")
    masters = [
        component
        for component in events
        if str(component["SUMMARY"]) == "Jeudi patrimoine" and "RRULE" in component
    ]
    assert len(masters) == 1
    assert masters[0]["RRULE"]["COUNT"] == [4]
    assert masters[0]["DTSTART"].dt.tzinfo is not None
