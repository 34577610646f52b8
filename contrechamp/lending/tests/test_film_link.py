"""An item names the film it carries; the library lists the copies of a film."""

import pytest
from django.urls import reverse

from contrechamp.films import services as films
from contrechamp.lending.models import Item
from contrechamp.lending.tests.test_pages import item_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def cleo(member):
    return films.create_film(actor=member, title="Cléo de 5 à 7", year=1962)


def test_an_item_names_its_film_by_title(client, member, cleo):
    client.force_login(member)
    response = client.post(reverse("lending:item_create"), item_form(film="cleo 5 a 7"))
    assert response.status_code == 302
    assert Item.objects.get().film == cleo


def test_an_unknown_film_keeps_the_form_and_says_so(client, member, cleo):
    client.force_login(member)
    response = client.post(
        reverse("lending:item_create"), item_form(film="Un film qui n'existe pas du tout")
    )
    assert response.status_code == 200
    assert "No film of the catalogue matches" in response.content.decode()
    assert 'value="Affiche de Cléo de 5 à 7"' in response.content.decode()
    assert not Item.objects.exists()


def test_the_library_lists_the_copies_of_a_film(client, member, make_item, cleo):
    make_item(title="Cléo, DVD")
    Item.objects.filter(title="Cléo, DVD").update(film=cleo)
    make_item(title="Le Mépris, Blu-ray")
    response = client.get(reverse("lending:library"), {"film": cleo.pk})
    html = response.content.decode()
    assert "Cléo, DVD" in html
    assert "Le Mépris" not in html


def test_the_film_page_links_to_its_copies_in_the_library(client, cleo):
    response = client.get(reverse("films:detail", args=[cleo.pk]))
    assert f"/library/?film={cleo.pk}" in response.content.decode()
