"""The wanted requests API: listing what the caller may see, posting, closing, and the
matches shown to the author only."""

from typing import Any

import pytest

from contrechamp.accounts.models import User
from contrechamp.api.tests.conftest import ApiClient, city
from contrechamp.films.models import Film
from contrechamp.lending import services as lending_services
from contrechamp.lending.models import Item
from contrechamp.networks.models import Network
from contrechamp.wanted import services
from contrechamp.wanted.models import Format, Match, WantedRequest


def _dvd(owner: User, film: Film) -> Item:
    return lending_services.create_item(
        actor=owner,
        details=lending_services.ItemDetails(
            kind=Item.Kind.DVD, title="Copie DVD", place=city("Lyon"), film=film
        ),
    )


def _request(member: User, film: Film, **fields: Any) -> WantedRequest:
    return services.post_request(actor=member, details=services.RequestDetails(film=film, **fields))


def test_posting_a_request_returns_it_with_the_matches_found_at_once(
    api: ApiClient, write_token: str, other_member: User, film: Film
) -> None:
    item = _dvd(other_member, film)
    response = api.post(
        "/api/wanted",
        {"film": film.pk, "formats": ["dvd"], "subtitle_languages": ["en"], "note": "Merci"},
        token=write_token,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["film"]["id"] == film.pk
    assert body["formats"] == ["dvd"]
    assert body["status"] == "open"
    [match] = body["matches"]
    assert (match["source"], match["title"], match["languages_unstated"]) == (
        "library",
        item.title,
        True,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"film": 99999}, "film"),
        ({"formats": ["betamax"]}, "formats"),
        ({"audio_languages": ["English"]}, "audio_languages"),
        ({"note": "x" * 2001}, "note"),
        ({"network": "nulle-part"}, "network"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    api: ApiClient, write_token: str, film: Film, body: dict[str, Any], field: str
) -> None:
    response = api.post("/api/wanted", {"film": film.pk, **body}, token=write_token)
    assert response.status_code == 422
    assert any(name.split(".")[0] == field for name in response.json()["error"]["fields"])
    assert not WantedRequest.objects.exists()


def test_posting_needs_a_write_token(api: ApiClient, read_token: str, film: Film) -> None:
    assert api.post("/api/wanted", {"film": film.pk}).status_code == 401
    assert api.post("/api/wanted", {"film": film.pk}, token=read_token).status_code in {401, 403}


def test_a_second_request_for_the_same_film_is_refused(
    api: ApiClient, write_token: str, film: Film
) -> None:
    assert api.post("/api/wanted", {"film": film.pk}, token=write_token).status_code == 201
    second = api.post("/api/wanted", {"film": film.pk}, token=write_token)
    assert second.status_code == 409
    assert "already look for this film" in second.json()["error"]["message"]


def test_showing_it_to_a_network_one_is_not_in_is_a_403(
    api: ApiClient, write_token: str, film: Film, club: Network
) -> None:
    response = api.post("/api/wanted", {"film": film.pk, "network": club.slug}, token=write_token)
    assert response.status_code == 403


def test_the_list_hides_network_requests_from_others_and_filters(
    api: ApiClient, write_token: str, member: User, other_member: User, film: Film, club: Network
) -> None:
    public = _request(member, film, formats=[Format.DVD])
    hidden = _request(other_member, film, network=club)
    ids = [row["id"] for row in api.get("/api/wanted").json()["items"]]
    assert ids == [public.pk]
    assert api.get(f"/api/wanted/{hidden.pk}").status_code == 404
    assert api.get("/api/wanted", {"format": "film_35"}).json()["items"] == []
    mine = api.get("/api/wanted", {"mine": True}, token=write_token).json()["items"]
    assert [row["id"] for row in mine] == [public.pk]


def test_matches_are_shown_to_the_author_only(
    api: ApiClient, write_token: str, other_token: str, member: User, other_member: User, film: Film
) -> None:
    _dvd(other_member, film)
    request = _request(member, film)
    assert len(api.get(f"/api/wanted/{request.pk}", token=write_token).json()["matches"]) == 1
    assert api.get(f"/api/wanted/{request.pk}", token=other_token).json()["matches"] == []
    assert api.get(f"/api/wanted/{request.pk}").json()["matches"] == []


def test_the_author_resolves_through_a_match(
    api: ApiClient, write_token: str, member: User, other_member: User, film: Film
) -> None:
    _dvd(other_member, film)
    request = _request(member, film)
    match = Match.objects.get(request=request)
    response = api.post(
        f"/api/wanted/{request.pk}/found", {"match_id": match.pk}, token=write_token
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["found_match_id"]) == ("found", match.pk)


def test_an_unknown_match_is_a_422(
    api: ApiClient, write_token: str, member: User, film: Film
) -> None:
    request = _request(member, film)
    response = api.post(f"/api/wanted/{request.pk}/found", {"match_id": 12345}, token=write_token)
    assert response.status_code == 422


def test_others_may_not_close_a_request_and_closing_twice_is_a_409(
    api: ApiClient, write_token: str, other_token: str, member: User, film: Film
) -> None:
    request = _request(member, film)
    assert api.post(f"/api/wanted/{request.pk}/withdraw", token=other_token).status_code == 403
    assert api.post(f"/api/wanted/{request.pk}/found", {}, token=other_token).status_code == 403
    assert api.post(f"/api/wanted/{request.pk}/withdraw", token=write_token).status_code == 200
    assert api.post(f"/api/wanted/{request.pk}/withdraw", token=write_token).status_code == 409
