"""The same cases on both engines: the suite runs on SQLite and on PostgreSQL."""

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contrechamp.films import search

pytestmark = pytest.mark.django_db


def titles(query: str) -> list[str]:
    return [film.title for film in search.matching_films(query)]


@pytest.mark.parametrize(
    "query",
    ["enfants paradis", "Enfants du Paradis", "paradis enfants", "ENFANT PARADIS", "les enfants"],
)
def test_les_enfants_du_paradis_is_found_whatever_the_case_order_or_plural(classics, query):
    assert titles(query)[0] == "Les Enfants du paradis"


@pytest.mark.parametrize("query", ["cleo", "Cléo", "cléo de 5 à 7", "CLEO 7"])
def test_cleo_de_5_a_7_is_found_without_its_accent(classics, query):
    assert titles(query) == ["Cléo de 5 à 7"]


def test_a_prefix_finds_the_film_while_typing(classics):
    assert titles("enfan") == ["Les Enfants du paradis"]


def test_the_original_title_finds_the_film(classics):
    assert titles("ikiru") == ["Vivre"]


def test_a_directors_name_finds_the_film(classics):
    assert titles("varda") == ["Cléo de 5 à 7"]


def test_a_plural_query_finds_a_singular_title(classics, make_film):
    make_film("La Femme d'à côté", 1981, directors=["François Truffaut"])

    assert titles("femmes cote") == ["La Femme d'à côté"]
    assert titles("achève chevaux") == ["On achève bien les chevaux"]


def test_a_query_that_matches_nothing_finds_nothing(classics):
    assert titles("zzzqqq") == []


def test_an_empty_or_punctuation_only_query_finds_nothing(classics):
    assert titles("") == []
    assert titles("?!*\"'") == []


def test_people_are_found_by_name_without_accents(classics):
    people = search.search("agnes varda")

    assert [person.name for person in people.people] == ["Agnès Varda"]
    assert [film.title for film in people.films] == ["Cléo de 5 à 7"]


def test_a_film_added_later_is_found_at_once(classics, make_film):
    make_film("La Règle du jeu", 1939, directors=["Jean Renoir"])

    assert titles("regle jeu") == ["La Règle du jeu"]


def test_search_query_count_does_not_grow_with_results(
    classics, make_film, django_assert_num_queries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4) as first:
        search.search("enfants")
    for year in range(1990, 2000):
        make_film("Les Enfants", year)
    with django_assert_num_queries(len(first.captured_queries)):
        found = search.search("enfants")
    assert len(found.films) == 10


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=200))
def test_any_text_is_a_valid_query(classics, query):
    search.search(query)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="typos need pg_trgm")
def test_on_postgresql_a_typo_still_finds_the_film(classics):
    assert titles("kurosava") == ["Vivre"]


@pytest.mark.parametrize("text", ["La Jetée", "la jetee 1962", "La Jetée (1962)", "La Jetée, 1962"])
def test_a_film_is_named_by_its_title_and_if_needed_its_year(make_film, text):
    make_film("La Jetée", 1962, directors=["Chris Marker"])
    make_film("La Jetée", 2014, directors=["Quelqu'un d'autre"])

    film = search.film_named(text)

    assert film is not None
    assert film.title == "La Jetée"
    if "1962" in text:
        assert film.year == 1962


def test_a_year_alone_or_an_unknown_title_names_no_film(make_film):
    make_film("La Jetée", 1962, directors=["Chris Marker"])

    assert search.film_named("Solaris 1972") is None
    assert search.film_named("   ") is None
