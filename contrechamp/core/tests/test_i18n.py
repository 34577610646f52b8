"""French first, English one click away. Needs compiled catalogs (`make test` compiles them)."""

from datetime import date

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_by_default(settings):
    settings.LANGUAGE_CODE = "fr"


@pytest.mark.usefixtures("french_by_default")
def test_a_visitor_without_preference_gets_french(client: Client) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Réseaux" in html
    assert "Aller au contenu" in html


@pytest.mark.usefixtures("french_by_default")
def test_a_browser_asking_for_english_gets_english(client: Client) -> None:
    html = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en">' in html
    assert "Networks" in html


@pytest.mark.usefixtures("french_by_default")
def test_the_language_switch_is_one_click_and_keeps_the_page(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/networks/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/networks/"
    html = client.get("/networks/").content.decode()
    assert '<html lang="en">' in html
    assert "Français" in html  # the way back


def test_dates_are_written_the_french_way() -> None:
    with translation.override("fr"):
        rendered = Template('{{ day|date:"DATE_FORMAT" }}').render(
            Context({"day": date(2026, 11, 25)})
        )
    assert rendered == "25 novembre 2026"
