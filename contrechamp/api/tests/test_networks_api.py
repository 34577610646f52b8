from typing import Any

import pytest

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.api.tests.conftest import ApiClient, city
from contrechamp.core import pagination as core_pagination
from contrechamp.networks import services
from contrechamp.networks.models import Membership, Network


def _network(actor: User, name: str, *, town: str = "Lyon", **kwargs: Any) -> Network:
    defaults: dict[str, Any] = {
        "kind": Network.Kind.CINE_CLUB,
        "join_policy": Network.JoinPolicy.OPEN,
        "place": city(town),
    }
    return services.create_network(actor=actor, name=name, **(defaults | kwargs))


def test_the_directory_lists_networks_by_name(api: ApiClient, club: Network) -> None:
    response = api.get("/api/networks")

    assert response.status_code == 200
    assert response.json() == {
        "total": 1,
        "total_is_capped": False,
        "limit": 20,
        "offset": 0,
        "items": [
            {
                "slug": "cine-club-du-jeudi",
                "name": "Ciné-club du jeudi",
                "kind": "cine_club",
                "city": "Lyon",
                "latitude": club.latitude,
                "longitude": club.longitude,
                "is_online": False,
                "join_policy": "open",
                "member_count": 1,
                "distance_km": None,
                "url": "http://127.0.0.1:8000/networks/cine-club-du-jeudi/",
            }
        ],
    }


def test_the_directory_searches_words_and_types(
    api: ApiClient, club: Network, other_member: User
) -> None:
    _network(other_member, "Festival des Jeunes Cinéastes", kind=Network.Kind.FESTIVAL)

    by_words = api.get("/api/networks", {"q": "CINE jeudi"}).json()["items"]
    by_type = api.get("/api/networks", {"type": "festival"}).json()["items"]

    assert [n["slug"] for n in by_words] == ["cine-club-du-jeudi"]
    assert [n["slug"] for n in by_type] == ["festival-des-jeunes-cineastes"]


def test_near_a_city_the_nearest_come_first_and_online_ones_stay_out(
    api: ApiClient, club: Network, other_member: User
) -> None:
    _network(other_member, "Ciné-club de Villeurbanne", town="Villeurbanne")
    _network(other_member, "Ciné-club de Marseille", town="Marseille")
    _network(other_member, "Forum du cinéma rare", place=None, is_online=True)

    items = api.get("/api/networks", {"near": "Villeurbanne", "km": 50}).json()["items"]

    assert [n["slug"] for n in items] == ["cine-club-de-villeurbanne", "cine-club-du-jeudi"]
    assert items[0]["distance_km"] < 1
    assert 0 < items[1]["distance_km"] < 10


def test_an_unknown_city_is_named_with_close_ones(api: ApiClient, db: None) -> None:
    response = api.get("/api/networks", {"near": "Lyyon"})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "Lyon" in error["fields"]["near"][0]


def test_pages_go_by_limit_and_offset(api: ApiClient, other_member: User) -> None:
    for number in range(5):
        _network(other_member, f"Club {number}")

    page = api.get("/api/networks", {"limit": 2, "offset": 2}).json()

    assert page["total"] == 5
    assert [n["name"] for n in page["items"]] == ["Club 2", "Club 3"]


def test_the_total_stops_counting_at_the_cap(
    api: ApiClient, other_member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core_pagination, "LIST_CAP", 3)
    for number in range(5):
        _network(other_member, f"Club {number}")

    page = api.get("/api/networks", {"limit": 2}).json()

    assert page["total"] == 3
    assert page["total_is_capped"] is True


def test_the_directory_costs_the_same_queries_for_more_networks(
    api: ApiClient, read_token: str, other_member: User, django_assert_max_num_queries: Any
) -> None:
    for number in range(3):
        _network(other_member, f"Club {number}")
    with django_assert_max_num_queries(20) as few:
        api.get("/api/networks", {"limit": 2}, token=read_token)
    for number in range(3, 30):
        _network(other_member, f"Club {number}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/api/networks", {"limit": 25}, token=read_token)
    assert len(response.json()["items"]) == 25


def test_a_network_page_shows_its_charter_and_role_holders(
    api: ApiClient, other_member: User
) -> None:
    network = _network(other_member, "Club à charte", charter="Be kind.")

    body = api.get(f"/api/networks/{network.slug}").json()

    assert body["charter"]["version"] == 1
    assert body["charter"]["text"] == "Be kind."
    assert {(h["role"], h["member"]["username"]) for h in body["role_holders"]} == {
        ("admin", "nora"),
        ("organiser", "nora"),
    }
    assert body["me"] is None


def test_a_network_page_tells_a_member_their_standing(
    api: ApiClient, club: Network, other_token: str, read_token: str
) -> None:
    mine = api.get(f"/api/networks/{club.slug}", token=other_token).json()["me"]
    theirs = api.get(f"/api/networks/{club.slug}", token=read_token).json()["me"]

    assert mine == {
        "membership": "active",
        "roles": ["admin", "organiser"],
        "must_accept_charter": False,
    }
    assert theirs == {"membership": None, "roles": [], "must_accept_charter": False}


def test_an_unknown_network_is_a_404(api: ApiClient, db: None) -> None:
    assert api.get("/api/networks/nowhere").status_code == 404


def test_a_member_joins_an_open_network(
    api: ApiClient, club: Network, member: User, write_token: str
) -> None:
    response = api.post(f"/api/networks/{club.slug}/join", token=write_token)

    assert response.status_code == 200
    assert response.json()["status"] == "active"
    assert response.json()["network"] == club.slug
    assert Membership.objects.get(network=club, user=member).is_active


def test_joining_twice_changes_nothing(api: ApiClient, club: Network, write_token: str) -> None:
    first = api.post(f"/api/networks/{club.slug}/join", token=write_token).json()
    second = api.post(f"/api/networks/{club.slug}/join", token=write_token).json()

    assert first == second
    assert Membership.objects.filter(network=club).count() == 2


def test_a_network_that_answers_requests_puts_the_member_on_hold(
    api: ApiClient, other_member: User, member: User, write_token: str
) -> None:
    network = _network(other_member, "Club sur demande", join_policy=Network.JoinPolicy.ON_REQUEST)

    response = api.post(
        f"/api/networks/{network.slug}/join", {"message": "I love Méliès."}, token=write_token
    )

    membership = Membership.objects.get(network=network, user=member)
    assert response.json()["status"] == "pending"
    assert membership.request_message == "I love Méliès."


def test_a_network_by_invitation_refuses_others(
    api: ApiClient, other_member: User, write_token: str
) -> None:
    network = _network(other_member, "Club fermé", join_policy=Network.JoinPolicy.INVITATION)

    response = api.post(f"/api/networks/{network.slug}/join", token=write_token)

    assert response.status_code == 403
    assert response.json()["error"]["message"] == (
        "This network welcomes new members by invitation only."
    )


def test_joining_a_network_with_a_charter_needs_it_accepted(
    api: ApiClient, other_member: User, member: User, write_token: str
) -> None:
    network = _network(other_member, "Club à charte", charter="Be kind.")

    refused = api.post(f"/api/networks/{network.slug}/join", token=write_token)
    accepted = api.post(
        f"/api/networks/{network.slug}/join", {"accept_charter": True}, token=write_token
    )

    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "refused"
    assert accepted.json()["status"] == "active"


def test_joining_needs_the_code_of_conduct_accepted(
    api: ApiClient, club: Network, db: None
) -> None:
    from contrechamp.api.tests.conftest import make_token

    newcomer = UserFactory.create(username="newcomer")
    token = make_token(newcomer)
    newcomer.code_of_conduct_version = 0
    newcomer.save()

    response = api.post(f"/api/networks/{club.slug}/join", token=token)

    assert response.status_code == 422
    assert "code of conduct" in response.json()["error"]["message"]
