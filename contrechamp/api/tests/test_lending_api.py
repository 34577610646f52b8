from typing import Any

import pytest

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.api.tests.conftest import ApiClient, city, make_token
from contrechamp.films.models import Film
from contrechamp.lending import services
from contrechamp.lending.models import Item, Loan
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network


def _item(owner: User, title: str = "Le Voyage dans la Lune", **kwargs: Any) -> Item:
    details = services.ItemDetails(
        kind=kwargs.pop("kind", Item.Kind.DVD),
        title=title,
        place=city(kwargs.pop("town", "Lyon")),
        **kwargs,
    )
    return services.create_item(actor=owner, details=details)


@pytest.fixture
def dvd(other_member: User, film: Film) -> Item:
    return _item(other_member, film=film)


def test_the_library_lists_items_with_their_owner_and_terms(api: ApiClient, dvd: Item) -> None:
    item = api.get("/api/library").json()["items"][0]

    assert item["id"] == dvd.pk
    assert item["owner"] == {"kind": "member", "name": "Nora", "username": "nora", "network": None}
    assert item["film"]["title"] == "Le Voyage dans la Lune"
    assert item["pickup_area"] == "Lyon"
    assert item["deposit"] == "0.00"
    assert item["offers_loan"] is True


def test_the_library_takes_the_pages_filters(
    api: ApiClient, dvd: Item, film: Film, other_member: User
) -> None:
    camera = _item(other_member, "Super 8 camera", kind=Item.Kind.CAMERA, town="Marseille")

    assert [i["id"] for i in api.get("/api/library", {"q": "super 8"}).json()["items"]] == [
        camera.pk
    ]
    assert [i["id"] for i in api.get("/api/library", {"kind": "dvd"}).json()["items"]] == [dvd.pk]
    assert [i["id"] for i in api.get("/api/library", {"film": film.pk}).json()["items"]] == [dvd.pk]
    near = api.get("/api/library", {"near": "Marseille", "km": 20}).json()["items"]
    assert [i["id"] for i in near] == [camera.pk]
    assert api.get("/api/library", {"until": "tomorrow"}).status_code == 422


def test_items_shown_to_networks_stay_within_them(
    api: ApiClient, club: Network, other_member: User, member: User, read_token: str
) -> None:
    private = _item(other_member, "Club poster", visibility=Item.Visibility.NETWORKS)

    assert api.get("/api/library", token=read_token).json()["total"] == 0
    assert api.get(f"/api/library/{private.pk}", token=read_token).status_code == 404

    network_services.join_network(actor=member, network=club, accept_charter=True)
    assert api.get("/api/library", token=read_token).json()["total"] == 1
    assert api.get(f"/api/library/{private.pk}", token=read_token).status_code == 200


def test_the_library_costs_the_same_queries_for_more_items(
    api: ApiClient,
    other_member: User,
    film: Film,
    read_token: str,
    django_assert_max_num_queries: Any,
) -> None:
    for number in range(3):
        _item(other_member, f"DVD {number}", film=film)
    with django_assert_max_num_queries(20) as few:
        api.get("/api/library", {"limit": 2}, token=read_token)
    owners = [UserFactory.create(username=f"owner{n}") for n in range(5)]
    for number in range(3, 30):
        _item(owners[number % 5], f"DVD {number}", film=film)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/api/library", {"limit": 25}, token=read_token)
    assert len(response.json()["items"]) == 25


def test_a_member_asks_to_borrow_an_item(
    api: ApiClient, dvd: Item, member: User, write_token: str
) -> None:
    response = api.post(
        f"/api/library/{dvd.pk}/loans", {"message": "For Friday's club night"}, token=write_token
    )

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "requested"
    assert body["borrower"]["username"] == "juliette"
    assert body["item"]["owner"]["username"] == "nora"
    assert Loan.objects.get(item=dvd, borrower=member).message == "For Friday's club night"
    page = api.get(f"/api/library/{dvd.pk}", token=write_token).json()
    assert page["my_loan"]["id"] == body["id"]
    assert page["is_out"] is False


def test_asking_twice_is_a_conflict(api: ApiClient, dvd: Item, write_token: str) -> None:
    api.post(f"/api/library/{dvd.pk}/loans", token=write_token)

    response = api.post(f"/api/library/{dvd.pk}/loans", token=write_token)

    assert response.status_code == 409


def test_an_item_out_puts_the_next_borrower_on_its_waitlist(
    api: ApiClient, dvd: Item, other_member: User, write_token: str, db: None
) -> None:
    first = UserFactory.create(username="first")
    loan = services.request_loan(actor=first, item=dvd)
    services.accept_loan(actor=other_member, loan=loan)

    response = api.post(f"/api/library/{dvd.pk}/loans", token=write_token)

    assert response.json()["status"] == "waitlisted"
    assert api.get(f"/api/library/{dvd.pk}").json()["is_out"] is True
    assert api.get(f"/api/library/{dvd.pk}").json()["waiting"] == 1


def test_a_member_cannot_borrow_their_own_item(api: ApiClient, dvd: Item, other_token: str) -> None:
    response = api.post(f"/api/library/{dvd.pk}/loans", token=other_token)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "refused"


def test_a_valuable_item_keeps_its_owners_threshold(
    api: ApiClient, other_member: User, write_token: str
) -> None:
    precious = _item(
        other_member, "Bolex H16", kind=Item.Kind.CAMERA, is_valuable=True, min_on_time_returns=2
    )

    response = api.post(f"/api/library/{precious.pk}/loans", token=write_token)

    assert response.status_code == 403
    assert "returned at least" in response.json()["error"]["message"]
    assert not Loan.objects.exists()


def test_my_loans_show_both_sides(
    api: ApiClient, dvd: Item, member: User, other_member: User, write_token: str
) -> None:
    api.post(f"/api/library/{dvd.pk}/loans", token=write_token)
    nora = make_token(other_member, name="Nora's reader")

    borrowing = api.get("/api/me/loans", token=write_token).json()
    lending = api.get("/api/me/loans", {"side": "lending"}, token=nora).json()
    nothing = api.get("/api/me/loans", {"side": "lending"}, token=write_token).json()

    assert [loan["item"]["id"] for loan in borrowing["items"]] == [dvd.pk]
    assert [loan["borrower"]["username"] for loan in lending["items"]] == ["juliette"]
    assert nothing["total"] == 0
    assert api.get("/api/me/loans", {"side": "both"}, token=write_token).status_code == 422


def test_my_loans_cost_the_same_queries_for_more_loans(
    api: ApiClient, member: User, other_member: User, django_assert_max_num_queries: Any
) -> None:
    token = make_token(member)

    def borrow(count: int, start: int) -> None:
        for number in range(start, start + count):
            owner = UserFactory.create(username=f"lender{number}")
            services.request_loan(actor=member, item=_item(owner, f"DVD {number}"))

    borrow(3, 0)
    with django_assert_max_num_queries(20) as few:
        api.get("/api/me/loans", {"limit": 2}, token=token)
    borrow(12, 3)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/api/me/loans", {"limit": 12}, token=token)
    assert len(response.json()["items"]) == 12
