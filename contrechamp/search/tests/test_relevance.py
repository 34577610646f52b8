"""French queries find what a person means, on both engines (the suite runs on SQLite and
on PostgreSQL): accents, case, plurals, word order and words still being typed."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import QueryDict

from contrechamp.films import services as film_services
from contrechamp.search import engine, queries
from contrechamp.search.models import Document

pytestmark = pytest.mark.django_db


def _titles(results: queries.SearchResults) -> dict[str, list[str]]:
    return {
        group.provider.kind: [result.document.title for result in group.results]
        for group in results.groups
    }


def found(query: str, viewer=None) -> dict[str, list[str]]:
    params = queries.SearchParams.from_query(QueryDict(f"q={query}"))
    return _titles(queries.search(viewer or AnonymousUser(), params))


def test_voyage_lune_finds_the_film_its_screening_and_its_copy_in_the_library(scene):
    results = found("voyage lune")

    assert results["films"] == ["Le Voyage dans la Lune"]
    assert results["events"] == ["Ciné-concert Méliès"]
    assert results["items"] == ["Le Voyage dans la Lune, version restaurée"]


@pytest.mark.parametrize(
    "query",
    [
        "voyage lune",
        "Voyage dans la Lune",
        "lune voyage",
        "LE VOYAGE DANS LA LUNE",
        "voyages lunes",
    ],
)
def test_case_word_order_and_plurals_do_not_matter(scene, query):
    assert found(query)["films"] == ["Le Voyage dans la Lune"]


@pytest.mark.parametrize("query", ["melies", "Méliès", "MELIÈS", "georges melies"])
def test_accents_do_not_matter(scene, query):
    results = found(query)

    assert results["films"] == ["Le Voyage dans la Lune"]
    assert results["people"] == ["Georges Méliès"]
    assert results["events"] == ["Ciné-concert Méliès"]


@pytest.mark.parametrize("query", ["cinema", "cinéma", "cin", "cinema le club", "club cinema"])
def test_a_venue_is_found_while_typing_its_name(scene, query):
    assert found(query)["venues"] == ["Cinéma Le Club"]


def test_a_word_being_typed_is_a_prefix(scene):
    results = found("voy lun")

    assert results["films"] == ["Le Voyage dans la Lune"]
    assert results["items"] == ["Le Voyage dans la Lune, version restaurée"]


def test_a_network_is_found_by_its_name_and_its_town(scene):
    assert found("cine club jeudi")["networks"] == ["Ciné-club du jeudi"]
    assert "Ciné-club du jeudi" in found("grenoble")["networks"]


def test_a_screening_is_found_by_its_venue_and_its_network(scene):
    assert found("cinema le club")["events"] == ["Ciné-concert Méliès"]
    assert found("jeudi")["events"] == ["Ciné-concert Méliès"]


def test_every_word_must_match(scene, make_item, member):
    make_item(member, "Voyage au bout de la nuit, le roman")

    assert found("voyage lune")["items"] == ["Le Voyage dans la Lune, version restaurée"]
    assert sorted(found("voyage")["items"]) == [
        "Le Voyage dans la Lune, version restaurée",
        "Voyage au bout de la nuit, le roman",
    ]


def test_the_sooner_of_two_equal_screenings_comes_first(scene, make_event, film):
    sooner = make_event("Ciné-concert Méliès", films=(film,), days=3)

    results = queries.search(AnonymousUser(), queries.SearchParams(q="concert melies"))

    events = next(group for group in results.groups if group.provider.kind == "events")
    assert [result.document.object_id for result in events.results] == [
        sooner.pk,
        scene.screening.pk,
    ]


def test_a_query_that_matches_nothing_finds_nothing(scene):
    assert found("zzzqqq") == {}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="typos need pg_trgm")
def test_on_postgresql_a_typo_still_finds_the_director_and_his_film(scene, member, indexing):
    with indexing():
        film_services.create_film(
            actor=member,
            title="Vivre",
            year=1952,
            original_title="Ikiru",
            directors=["Akira Kurosawa"],
        )
    params = queries.SearchParams.from_query(QueryDict("q=kurosava"))
    results = queries.search(AnonymousUser(), params)

    assert results.approximate
    assert _titles(results) == {"films": ["Vivre"], "people": ["Akira Kurosawa"]}


@pytest.mark.parametrize("cap", [2, 10])
def test_each_kind_keeps_its_matches_up_to_the_cap(scene, make_item, member, cap):
    for number in range(5):
        make_item(member, f"Voyage {number}")

    found = engine.candidates(["voyage"], ["films", "items"], cap=cap)

    items = {c.id for c in found if c.kind == "items"}
    matching = set(Document.objects.filter(kind="items").values_list("pk", flat=True))
    assert len(items) == min(cap, 6)
    assert items <= matching
    assert len([c for c in found if c.kind == "films"]) == 1


def test_a_kind_past_the_cap_counts_as_more(scene, make_item, member, monkeypatch):
    monkeypatch.setattr(queries, "CAP", 3)
    for number in range(4):
        make_item(member, f"Voyage {number}")

    results = queries.search(AnonymousUser(), queries.SearchParams(q="voyage"))

    items = next(group for group in results.groups if group.provider.kind == "items")
    films = next(group for group in results.groups if group.provider.kind == "films")
    assert (items.count, items.more) == (3, True)
    assert (films.count, films.more) == (1, False)


def test_a_query_of_stop_words_only_does_not_match_everything(scene, make_item, member):
    make_item(member, "Zorro")

    results = found("le la")

    assert "Zorro" not in [title for titles in results.values() for title in titles]
