import json
import re

import pytest
from django.urls import reverse
from zeal import zeal_ignore

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_films_with_title_in_italics_and_year(client, classics):
    response = client.get(reverse("films:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<cite class="film-title">Les Enfants du paradis</cite>' in html
    assert "(1945)" in html
    assert "Marcel Carné" in html


def test_the_catalogue_searches_and_filters_by_genre_decade_and_country(client, classics):
    def titles(query: str) -> set[str]:
        response = client.get(reverse("films:list") + query)
        return {film.title for film in response.context["page_obj"].object_list}

    assert titles("?q=enfants+paradis") == {"Les Enfants du paradis"}
    assert titles("?genre=romance") == {"Les Enfants du paradis"}
    assert titles("?decade=1960") == {"Cléo de 5 à 7", "On achève bien les chevaux"}
    assert titles("?country=it") == {"Cléo de 5 à 7"}
    assert titles("?country=FR&decade=1940") == {"Les Enfants du paradis"}


def test_a_search_also_lists_matching_people(client, classics):
    response = client.get(reverse("films:list") + "?q=kurosawa")

    assert [p.name for p in response.context["people"]] == ["Akira Kurosawa"]


@pytest.mark.parametrize(
    "query",
    [
        "?decade=abc",
        "?decade=99999",
        "?genre=<script>",
        "?country=%00%00",
        "?page=-4",
        "?q=" + "x" * 5000,
    ],
)
def test_odd_query_strings_are_answered_without_error(client, classics, query):
    assert client.get(reverse("films:list") + query).status_code == 200


def test_the_catalogue_query_count_does_not_grow_with_films(
    client, make_film, django_assert_max_num_queries
):
    with zeal_ignore():
        for year in range(1950, 1953):
            make_film(f"Film {year}", year, directors=[f"Director {year}"], genres=["drama"])
    with django_assert_max_num_queries(4) as browsing:
        client.get(reverse("films:list"))
    with django_assert_max_num_queries(6) as searching:
        client.get(reverse("films:list") + "?q=film")
    with zeal_ignore():
        for year in range(1960, 1970):
            make_film(f"Film {year}", year, directors=[f"Director {year}", "Co-director"])
    with django_assert_max_num_queries(len(browsing.captured_queries)):
        client.get(reverse("films:list"))
    with django_assert_max_num_queries(len(searching.captured_queries)):
        response = client.get(reverse("films:list") + "?q=film")
    assert response.context["page_obj"].paginator.count == 13


def test_the_film_page_has_schema_org_movie_json_ld(client, classics):
    film = classics["vivre"]

    response = client.get(film.get_absolute_url())

    html = response.content.decode()
    found = re.search(
        r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>', html, re.S
    )
    assert found is not None
    data = json.loads(found.group(1))
    assert data["@type"] == "Movie"
    assert data["name"] == "Vivre"
    assert data["alternateName"] == "Ikiru"
    assert data["director"] == [{"@type": "Person", "name": "Akira Kurosawa"}]


def test_a_title_cannot_break_out_of_the_json_ld_script(client, make_film):
    film = make_film("</script><script>alert(1)</script>", 2001)

    html = client.get(film.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


def test_the_film_page_query_count_does_not_grow_with_credits_and_places(
    client, member, make_film, django_assert_max_num_queries
):
    from contrechamp.films import services

    film = make_film("Playtime", 1967, directors=["Jacques Tati"])
    client.force_login(member)
    with django_assert_max_num_queries(13) as first:
        client.get(film.get_absolute_url())
    with zeal_ignore():
        for n in range(5):
            services.add_availability(actor=member, film=film, kind="vod", place=f"Service {n}")
    other = make_film("Trafic", 1971, directors=["Jacques Tati"], cast=["A", "B", "C", "D"])
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(other.get_absolute_url())
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(film.get_absolute_url())


def test_an_unknown_film_is_a_404(client):
    assert client.get("/films/999999/").status_code == 404


def test_a_member_adds_a_film_and_sees_its_page(client, member):
    client.force_login(member)

    response = client.post(
        reverse("films:create"),
        {
            "title": "Jeanne Dielman",
            "year": "1975",
            "directors": "Chantal Akerman",
            "countries": "BE, FR",
            "genres": ["drama"],
        },
    )

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Chantal Akerman" in page.content.decode()


def test_adding_a_film_twice_is_refused_beside_the_form(client, member, classics):
    client.force_login(member)

    response = client.post(
        reverse("films:create"), {"title": "les enfants du PARADIS", "year": "1945"}
    )

    assert response.status_code == 200
    assert "already in the catalogue" in response.content.decode()
    assert response.context["form"]["title"].value() == "les enfants du PARADIS"


def test_a_year_3000_is_refused_beside_the_field(client, member):
    client.force_login(member)

    response = client.post(reverse("films:create"), {"title": "Futur", "year": "3000"})

    assert response.status_code == 200
    assert "The year must be between" in response.content.decode()


def test_a_visitor_is_asked_to_sign_in_to_add_a_film(client):
    response = client.get(reverse("films:create"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_synopsis_is_rendered_as_sanitised_markdown(client, member, classics):
    film = classics["cleo"]
    client.force_login(member)

    client.post(
        reverse("films:edit_synopsis", args=[film.pk]),
        {"synopsis": "Une chanteuse **attend** des résultats.<script>alert(1)</script>"},
    )

    html = client.get(film.get_absolute_url()).content.decode()
    assert "<strong>attend</strong>" in html
    assert "<script>alert(1)" not in html


def test_the_person_page_lists_their_films(client, classics):
    person = classics["cleo"].credits.get().person

    response = client.get(reverse("films:person", args=[person.pk]))

    assert "Cléo de 5 à 7" in response.content.decode()
