"""The search page and the header's suggestions: wiring, grouping, pages of one kind,
bad input (never an error page) and a number of queries that does not grow with the data."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contrechamp.events.models import Event
from contrechamp.films import services as film_services
from contrechamp.search import queries

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")
SUGGEST = reverse("search:suggest")
HTMX = {"HX-Request": "true"}


def test_the_empty_page_invites_a_search(client):
    response = client.get(SEARCH)

    assert response.status_code == 200
    assert "Search the whole site" in response.text
    assert "Type a film, a director" in response.text


def test_results_are_grouped_by_kind_with_their_counts_and_links(client, scene):
    response = client.get(SEARCH, {"q": "voyage lune"})

    page = response.text
    assert response.status_code == 200
    assert "Results for “voyage lune”" in page
    for document_url in (
        scene.film.get_absolute_url(),
        scene.screening.get_absolute_url(),
        scene.dvd.get_absolute_url(),
    ):
        assert f'href="{document_url}"' in page
    assert page.index('id="search-group-films"') < page.index('id="search-group-events"')
    assert page.index('id="search-group-events"') < page.index('id="search-group-items"')
    assert "?q=voyage+lune&amp;kind=items" in page
    assert "Screening" in page  # the event's type, in the reader's language


def test_a_kind_shows_its_results_a_page_at_a_time(client, scene, make_item, member):
    for number in range(queries.PER_PAGE + 3):
        make_item(member, f"Vertigo {number}")

    first = client.get(SEARCH, {"q": "vertigo", "kind": "items"})
    second = client.get(SEARCH, {"q": "vertigo", "kind": "items", "page": "2"})

    assert first.context["results"].page.paginator.count == queries.PER_PAGE + 3
    assert len(first.context["results"].page_results) == queries.PER_PAGE
    assert len(second.context["results"].page_results) == 3
    assert "Page 2 of 2" in second.text


def test_an_unknown_kind_or_page_shows_everything_instead(client, scene):
    response = client.get(SEARCH, {"q": "voyage lune", "kind": "nonsense", "page": "x" * 50})

    assert response.status_code == 200
    assert response.context["params"].kind == ""
    assert 'id="search-group-films"' in response.text


def test_a_members_only_event_shows_for_a_member_and_not_for_a_visitor(
    client, scene, make_event, other_member
):
    make_event("Soirée privée", visibility=Event.Visibility.MEMBERS)

    assert "Soirée privée" not in client.get(SEARCH, {"q": "soiree"}).text
    client.force_login(other_member)
    page = client.get(SEARCH, {"q": "soiree"}).text
    assert "Soirée privée" in page
    assert "Members only" in page


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        '"voyage" AND lune*',
        "NEAR(voyage lune) OR NOT -lune ^ : { } ( ) *",
        "kind : films",
        "voyage:* & !lune | (a",
        "' OR 1=1 --",
        "é" * 10_000,
        "voyage " * 2_000,
        "voyage\x00lune",
        "🎬 🌙",
    ],
)
def test_operators_quotes_and_huge_queries_never_fail(client, scene, query):
    for params in ({"q": query}, {"q": query, "kind": "films"}):
        assert client.get(SEARCH, params).status_code == 200
    assert client.get(SUGGEST, {"q": query}, headers=HTMX).status_code == 200


def test_a_query_with_nothing_to_look_for_says_so(client, scene):
    response = client.get(SEARCH, {"q": "?! * « »"})

    assert "There is nothing to look for in this search" in response.text


def test_a_query_that_matches_nothing_says_so(client, scene):
    assert "Nothing matches" in client.get(SEARCH, {"q": "zzzqqq"}).text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=300))
def test_any_text_is_a_valid_query(scene, query):
    queries.search(AnonymousUser(), queries.SearchParams(q=query[: queries.QUERY_MAX]))
    queries.suggestions(AnonymousUser(), query)


def test_suggestions_are_a_short_list_of_links(client, scene):
    response = client.get(SUGGEST, {"q": "voyage lu"}, headers=HTMX)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert f'href="{scene.film.get_absolute_url()}"' in response.text
    assert f'href="{scene.dvd.get_absolute_url()}"' in response.text
    assert "All results for “voyage lu”" in response.text
    assert len(response.context["suggestions"]) <= queries.SUGGESTIONS_MAX


def test_suggestions_for_nothing_are_empty(client, scene):
    response = client.get(SUGGEST, {"q": ""}, headers=HTMX)

    assert response.text.strip() == ""


def test_without_javascript_the_suggestions_address_is_the_results_page(client, scene):
    response = client.get(SUGGEST, {"q": "voyage lune"})

    assert response.status_code == 302
    assert response["Location"] == f"{SEARCH}?q=voyage+lune"


def test_the_search_box_is_a_labelled_form_that_works_without_javascript():
    html = render_to_string("search/includes/search_box.html")

    assert f'action="{SEARCH}"' in html
    assert 'method="get"' in html
    assert '<label class="visually-hidden" for="site-search-q">' in html
    assert f'hx-get="{SUGGEST}"' in html


def _queries_for(client: Client, django_assert_max_num_queries, **params: str) -> int:
    with django_assert_max_num_queries(20) as captured:
        response = client.get(SEARCH, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_results(
    client, scene, make_item, make_event, member, film, django_assert_max_num_queries
):
    client.force_login(member)
    few = _queries_for(client, django_assert_max_num_queries, q="voyage lune")
    few_kind = _queries_for(client, django_assert_max_num_queries, q="voyage lune", kind="items")
    for number in range(10):
        make_item(member, f"Le Voyage dans la Lune, copie {number}", film=film)
        make_event(f"Voyage dans la Lune {number}", films=(film,), days=number + 2)

    assert _queries_for(client, django_assert_max_num_queries, q="voyage lune") == few
    assert (
        _queries_for(client, django_assert_max_num_queries, q="voyage lune", kind="items")
        == few_kind
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="typos need pg_trgm")
def test_on_postgresql_close_spellings_are_announced(client, member, indexing):
    with indexing():
        film_services.create_film(
            actor=member, title="Vivre", year=1952, directors=["Akira Kurosawa"]
        )

    response = client.get(SEARCH, {"q": "kurosava"})

    assert "here are the closest spellings" in response.text
    assert "Akira Kurosawa" in response.text


def test_a_kind_past_the_cap_says_so(client, scene, make_item, member, monkeypatch):
    monkeypatch.setattr(queries, "CAP", 3)
    for number in range(4):
        make_item(member, f"Vertigo {number}")

    page = client.get(SEARCH, {"q": "vertigo", "kind": "items"}).text

    assert '<span class="search-facets__count">3+</span>' in page
    assert "Only the first 3 matches are shown" in page
