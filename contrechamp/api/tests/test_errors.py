"""Bad input never gives a server error, and every error has the one documented shape."""

from typing import Any

import pytest
from django.test import Client

from contrechamp.accounts.models import User
from contrechamp.api.tests.conftest import ApiClient
from contrechamp.films.models import Film
from contrechamp.networks.models import Network


def _error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


@pytest.mark.parametrize("body", ["{bad", "{'single': 'quotes'}", '{"stars": NaN}'])
def test_a_body_that_is_not_json_is_a_400(
    api: ApiClient, write_token: str, film: Film, body: str
) -> None:
    response = api.send("PUT", f"/api/films/{film.pk}/rating", raw=body, token=write_token)

    assert response.status_code == 400
    assert _error(response) == {
        "code": "bad_request",
        "message": "The request body is not valid JSON.",
        "fields": {},
    }


def test_a_missing_body_is_named_as_such(api: ApiClient, write_token: str, film: Film) -> None:
    response = api.send("PUT", f"/api/films/{film.pk}/rating", raw="", token=write_token)

    assert response.status_code == 422
    assert list(_error(response)["fields"]) == ["body"]


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "12", "null", "true"])
def test_a_body_must_be_a_json_object(
    api: ApiClient, write_token: str, club: Network, body: str
) -> None:
    response = api.send("POST", f"/api/networks/{club.slug}/join", raw=body, token=write_token)

    assert response.status_code == 400
    assert _error(response)["message"] == "The request body must be a JSON object."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"stars": "4"}, "stars"),
        ({"stars": True}, "stars"),
        ({"stars": 7}, "stars"),
        ({"stars": 3.3}, "stars"),
        ({}, "stars"),
    ],
)
def test_wrong_types_and_values_name_their_field(
    api: ApiClient, write_token: str, film: Film, body: dict[str, object], field: str
) -> None:
    response = api.put(f"/api/films/{film.pk}/rating", body, token=write_token)

    assert response.status_code == 422
    error = _error(response)
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert not film.ratings.exists()


def test_a_nul_character_in_text_is_refused(
    api: ApiClient, write_token: str, club: Network
) -> None:
    response = api.post(
        f"/api/networks/{club.slug}/join", {"message": "hello\x00"}, token=write_token
    )

    assert response.status_code == 422
    assert "message" in _error(response)["fields"]


@pytest.mark.parametrize(
    "query",
    [
        {"limit": 1000},
        {"limit": 0},
        {"offset": -1},
        {"offset": 10**6},
        {"km": "far"},
        {"type": "cinema"},
        {"q": "x" * 101},
    ],
)
def test_out_of_bounds_query_parameters_are_a_422(
    api: ApiClient, db: None, query: dict[str, object]
) -> None:
    response = api.get("/api/networks", query)

    assert response.status_code == 422
    assert _error(response)["fields"]


@pytest.mark.parametrize(
    "path", ["/api/films/0", "/api/films/99999999999999999999", "/api/films/x"]
)
def test_impossible_numbers_in_the_path_are_a_422(api: ApiClient, db: None, path: str) -> None:
    response = api.get(path)

    assert response.status_code in (404, 422)
    _error(response)


def test_query_strings_full_of_operators_and_quotes_are_just_words(
    api: ApiClient, film: Film
) -> None:
    for q in ['"voyage', "voyage* OR lune", "NEAR(a b)", "') --", "%00", "voyage\x00lune"]:
        response = api.get("/api/films", {"q": q})
        assert response.status_code == 200, q


def test_a_body_larger_than_the_site_accepts_is_a_413(
    api: ApiClient, write_token: str, club: Network
) -> None:
    huge = '{"message": "' + "x" * (6 * 1024 * 1024) + '"}'

    response = api.send("POST", f"/api/networks/{club.slug}/join", raw=huge, token=write_token)

    assert response.status_code == 413
    assert _error(response)["code"] == "too_large"


def test_an_unknown_address_is_a_json_404(api: ApiClient, db: None) -> None:
    response = api.get("/api/nothing/here")

    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_an_unknown_thing_is_a_json_404(api: ApiClient, db: None) -> None:
    response = api.get("/api/networks/no-such-club")

    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_a_method_the_address_does_not_take_is_a_json_405(
    api: ApiClient, write_token: str, film: Film
) -> None:
    response = api.post(f"/api/films/{film.pk}/rating", {"stars": 3}, token=write_token)

    assert response.status_code == 405
    assert _error(response)["code"] == "method_not_allowed"
    assert set(response["Allow"].replace(" ", "").split(",")) == {"PUT", "DELETE"}


def test_a_rule_refusing_the_action_is_a_422(api: ApiClient, write_token: str, film: Film) -> None:
    response = api.post(
        f"/api/films/{film.pk}/recommendations",
        {"why": "A marvel.", "audience": "network"},
        token=write_token,
    )

    assert response.status_code == 422
    assert _error(response) == {
        "code": "refused",
        "message": "Choose the network to recommend it to.",
        "fields": {},
    }


def test_a_clash_with_the_current_state_is_a_409(
    api: ApiClient, write_token: str, member: User, club: Network
) -> None:
    from contrechamp.api.tests.conftest import make_event

    event = make_event(club)

    response = api.post(f"/api/events/{event.pk}/rsvp", {"status": "cancelled"}, token=write_token)

    assert response.status_code == 409
    assert _error(response)["code"] == "conflict"


def test_messages_follow_the_callers_language(api: ApiClient, db: None) -> None:
    response = api.get("/api/networks", {"near": "Atlantide"}, headers={"Accept-Language": "fr"})

    assert response.status_code == 422
    assert response["Content-Language"] == "fr"


def test_the_csrf_check_does_not_stand_in_the_way_of_tokens(write_token: str, film: Film) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.put(
        f"/api/films/{film.pk}/rating",
        {"stars": 4},
        content_type="application/json",
        headers={"Authorization": f"Bearer {write_token}"},
    )

    assert response.status_code == 200
