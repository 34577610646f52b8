from typing import Any

from contrechamp.accounts.models import User
from contrechamp.api.tests.conftest import ApiClient
from contrechamp.films import services
from contrechamp.films.models import Availability, Film, Rating, Recommendation, WatchlistEntry
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.notifications.models import Notification


def test_the_catalogue_finds_films_by_title_and_director(api: ApiClient, film: Film) -> None:
    for q in ("voyage lune", "melies", "VOYAGES"):
        items = api.get("/api/films", {"q": q}).json()["items"]
        assert [f["id"] for f in items] == [film.pk], q

    item = api.get("/api/films").json()["items"][0]
    assert item == {
        "id": film.pk,
        "title": "Le Voyage dans la Lune",
        "original_title": "",
        "year": 1902,
        "runtime_minutes": None,
        "genres": ["scifi"],
        "countries": ["FR"],
        "languages": [],
        "directors": ["Georges Méliès"],
        "poster_url": None,
        "url": f"http://127.0.0.1:8000/films/{film.pk}/",
    }


def test_the_catalogue_filters_by_genre_decade_and_country(
    api: ApiClient, film: Film, other_member: User
) -> None:
    services.create_film(actor=other_member, title="Cléo de 5 à 7", year=1962, countries=["FR"])

    assert api.get("/api/films", {"genre": "scifi"}).json()["total"] == 1
    assert api.get("/api/films", {"decade": 1960}).json()["items"][0]["title"] == "Cléo de 5 à 7"
    assert api.get("/api/films", {"country": "it"}).json()["total"] == 0
    assert api.get("/api/films", {"country": "fra"}).status_code == 422


def test_the_catalogue_costs_the_same_queries_for_more_films(
    api: ApiClient, other_member: User, django_assert_max_num_queries: Any
) -> None:
    for number in range(3):
        services.create_film(actor=other_member, title=f"Film {number}", year=1950, directors=["A"])
    with django_assert_max_num_queries(20) as few:
        api.get("/api/films", {"limit": 2})
    for number in range(3, 25):
        services.create_film(
            actor=other_member, title=f"Film {number}", year=1950, directors=[f"D{number}", "E"]
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/api/films", {"limit": 20})
    assert len(response.json()["items"]) == 20


def test_a_film_page_says_where_to_see_it_legally(
    api: ApiClient, film: Film, other_member: User
) -> None:
    services.add_availability(
        actor=other_member,
        film=film,
        kind=Availability.Kind.MEDIATHEQUE,
        place="Médiathèque du Bachut",
        subtitle_languages=["en"],
    )

    body = api.get(f"/api/films/{film.pk}").json()

    assert body["directors"] == ["Georges Méliès"]
    assert body["cast"] == []
    assert body["mine"] is None
    assert body["availabilities"][0]["kind"] == "mediatheque"
    assert body["availabilities"][0]["subtitle_languages"] == ["en"]
    assert body["availabilities"][0]["is_stale"] is False


def test_a_member_rates_a_film_and_sees_it_on_its_page(
    api: ApiClient, film: Film, member: User, write_token: str
) -> None:
    response = api.put(f"/api/films/{film.pk}/rating", {"stars": 4.5}, token=write_token)
    again = api.put(f"/api/films/{film.pk}/rating", {"stars": 3}, token=write_token)

    assert response.status_code == 200
    assert response.json()["stars"] == 4.5
    assert again.json()["stars"] == 3
    assert Rating.objects.get(user=member, film=film).half_stars == 6
    mine = api.get(f"/api/films/{film.pk}", token=write_token).json()["mine"]
    assert mine == {"stars": 3.0, "on_watchlist": False}


def test_a_rating_is_taken_back(api: ApiClient, film: Film, member: User, write_token: str) -> None:
    api.put(f"/api/films/{film.pk}/rating", {"stars": 2}, token=write_token)

    response = api.delete(f"/api/films/{film.pk}/rating", token=write_token)

    assert response.status_code == 204
    assert response.content == b""
    assert not Rating.objects.filter(user=member).exists()


def test_rating_an_unknown_film_is_a_404(api: ApiClient, write_token: str) -> None:
    assert api.put("/api/films/999/rating", {"stars": 2}, token=write_token).status_code == 404


def test_the_watchlist_takes_and_gives_back_films(
    api: ApiClient, film: Film, member: User, write_token: str
) -> None:
    added = api.put(f"/api/films/{film.pk}/watchlist", token=write_token)
    added_again = api.put(f"/api/films/{film.pk}/watchlist", token=write_token)
    listed = api.get("/api/me/watchlist", token=write_token).json()

    assert added.status_code == 200
    assert added.json()["film"]["directors"] == ["Georges Méliès"]
    assert added_again.json()["added_at"] == added.json()["added_at"]
    assert [entry["film"]["id"] for entry in listed["items"]] == [film.pk]

    removed = api.delete(f"/api/films/{film.pk}/watchlist", token=write_token)
    assert removed.status_code == 204
    assert not WatchlistEntry.objects.filter(user=member).exists()


def test_the_watchlist_costs_the_same_queries_for_more_films(
    api: ApiClient,
    member: User,
    other_member: User,
    read_token: str,
    django_assert_max_num_queries: Any,
) -> None:
    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            film = services.create_film(
                actor=other_member, title=f"Film {number}", year=1950, directors=[f"D{number}"]
            )
            services.add_to_watchlist(actor=member, film=film)

    add(3, 0)
    with django_assert_max_num_queries(20) as few:
        api.get("/api/me/watchlist", {"limit": 2}, token=read_token)
    add(15, 3)

    with django_assert_max_num_queries(len(few.captured_queries)):
        api.get("/api/me/watchlist", {"limit": 15}, token=read_token)


def test_a_member_recommends_a_film_to_another_who_is_told(
    api: ApiClient, film: Film, other_member: User, write_token: str
) -> None:
    response = api.post(
        f"/api/films/{film.pk}/recommendations",
        {
            "why": "The moon in the eye!",
            "tags": ["classic", "classic", "family"],
            "audience": "member",
            "recipient": "NORA",
        },
        token=write_token,
    )

    assert response.status_code == 201
    body = response.json()
    assert body["recipient"] == {"username": "nora", "name": "Nora"}
    assert body["author"]["username"] == "juliette"
    assert body["tags"] == ["classic", "family"]
    assert Notification.objects.filter(recipient=other_member).exists()


def test_a_recommendation_to_a_network_needs_its_membership(
    api: ApiClient, film: Film, club: Network, member: User, write_token: str
) -> None:
    body = {"why": "For the club.", "audience": "network", "network": club.slug}

    refused = api.post(f"/api/films/{film.pk}/recommendations", body, token=write_token)
    network_services.join_network(actor=member, network=club, accept_charter=True)
    accepted = api.post(f"/api/films/{film.pk}/recommendations", body, token=write_token)

    assert refused.status_code == 403
    assert accepted.status_code == 201
    assert accepted.json()["network"] == club.slug
    assert Recommendation.objects.get().network == club


def test_a_recommendation_names_an_unknown_recipient_or_network(
    api: ApiClient, film: Film, write_token: str
) -> None:
    to_nobody = api.post(
        f"/api/films/{film.pk}/recommendations",
        {"why": "See it.", "audience": "member", "recipient": "ghost"},
        token=write_token,
    )
    to_no_network = api.post(
        f"/api/films/{film.pk}/recommendations",
        {"why": "See it.", "audience": "network", "network": "no-such-club"},
        token=write_token,
    )

    assert to_nobody.json()["error"]["fields"] == {"recipient": ["No member has this username."]}
    assert list(to_no_network.json()["error"]["fields"]) == ["network"]
    assert not Recommendation.objects.exists()


def test_a_recommendation_with_an_unknown_tag_is_refused(
    api: ApiClient, film: Film, write_token: str
) -> None:
    response = api.post(
        f"/api/films/{film.pk}/recommendations",
        {"why": "See it.", "audience": "public", "tags": ["blockbuster"]},
        token=write_token,
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["tags.0"]
