"""Lending and the equipment bank, in a real browser.

Paul finds Juliette's Blu-ray of *Jeanne Dielman* in the library: it is out on loan to
Nora, so his request joins the waitlist. Nora books the Grenoble clubs' camera kit from
Friday 14:00 to Sunday 18:00; Mathieu, equipment manager, approves; Camille, trying an
overlapping slot, is refused and shown the next free slots.
"""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.test_newcomer_journey import sign_in

pytestmark = pytest.mark.e2e


def friday_next_week() -> date:
    today = timezone.localdate()
    return today + timedelta(days=(4 - today.weekday()) % 7 + 7)


def at(day: date, hour: int) -> str:
    """The value of a datetime-local input."""
    return f"{day.isoformat()}T{hour:02d}:00"


def test_a_waitlist_and_a_booking_that_cannot_be_doubled(visitor_factory):
    paul = visitor_factory("fr")
    sign_in(paul, "paul", "contrechamp-demo")
    paul.goto("/library/?q=Jeanne+Dielman")
    paul.page.get_by_role("link", name=re.compile("Jeanne Dielman")).first.click()
    paul.page.wait_for_load_state("load")
    paul.check()
    paul.page.locator("main form.form button[type=submit]").click()
    paul.page.wait_for_load_state("load")
    paul.check()
    expect(paul.page.locator("main")).to_contain_text("attente")

    # Nora books the camera kit for the weekend.
    nora = visitor_factory("fr")
    sign_in(nora, "nora", "contrechamp-demo")
    nora.goto("/equipment/")
    nora.page.get_by_role("link", name=re.compile("Kit caméra GH5")).first.click()
    nora.page.wait_for_load_state("load")
    nora.check()
    kit_path = re.sub(r"^https?://[^/]+", "", nora.page.url)
    friday = friday_next_week()
    nora.page.fill("input[name=start]", at(friday, 14))
    nora.page.fill("input[name=end]", at(friday + timedelta(days=2), 18))
    nora.page.fill("input[name=purpose]", "Tournage de La Calanque")
    nora.page.locator("main form.form button[type=submit]").click()
    nora.page.wait_for_load_state("load")
    nora.check()
    booking_path = re.sub(r"^https?://[^/]+", "", nora.page.url)
    assert "/equipment/bookings/" in booking_path

    # Mathieu, equipment manager of the club, approves it.
    mathieu = visitor_factory("fr")
    sign_in(mathieu, "mathieu", "contrechamp-demo")
    mathieu.goto(booking_path)
    mathieu.page.locator("form[action$='/approve/'] button").click()
    mathieu.page.wait_for_load_state("load")
    mathieu.check()

    # Camille tries Saturday: refused, with the next free slots.
    camille = visitor_factory("fr")
    sign_in(camille, "camille", "contrechamp-demo")
    camille.goto(kit_path)
    saturday = friday + timedelta(days=1)
    camille.page.fill("input[name=start]", at(saturday, 10))
    camille.page.fill("input[name=end]", at(saturday, 20))
    camille.page.locator("main form.form button[type=submit]").click()
    camille.page.wait_for_load_state("load")
    camille.check()
    assert camille.page.url.endswith(kit_path)
    expect(camille.page.locator("main .form-errors")).to_contain_text("créneaux libres")
