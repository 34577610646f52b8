"""The wanted app's part in a member's data export and account deletion, and the demo."""

import pytest

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.films import services as film_services
from contrechamp.lending.models import Item
from contrechamp.notifications.models import Notification
from contrechamp.wanted import demo
from contrechamp.wanted.member_data import export_member_wanted, withdraw_member_wanted
from contrechamp.wanted.models import Match, WantedRequest
from contrechamp.wanted.tests.conftest import MakeItem, MakeRequest

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_requests_and_their_matches(
    make_item: MakeItem, make_request: MakeRequest, seeker: User
) -> None:
    make_item()
    make_request(subtitle_languages=["en"], note="Pour une séance")
    [exported] = export_member_wanted(seeker)
    assert exported["film"] == {"id": exported["film"]["id"], "title": "La Jetée"}  # type: ignore[index]
    assert exported["subtitle_languages"] == ["en"]
    assert exported["shown_to"] == "everyone"
    assert [match["title"] for match in exported["matches"]] == ["La Jetée, DVD Arte"]  # type: ignore[attr-defined]


def test_a_deleted_account_looks_for_nothing_any_more(
    make_request: MakeRequest, seeker: User
) -> None:
    request = make_request(note="Mon numéro : 06…")
    withdraw_member_wanted(seeker)
    request.refresh_from_db()
    assert request.status == WantedRequest.Status.WITHDRAWN
    assert request.note == ""


def _demo_members() -> dict[str, User]:
    return {name: UserFactory.create(username=name) for name in ("sebastien", "lucie", "nora")}


def test_the_demo_tells_sebastiens_story_and_running_it_twice_changes_nothing() -> None:
    members = _demo_members()
    author = members["juliette"] = UserFactory.create(username="juliette")
    film_services.create_film(actor=author, title="La Jetée", year=1962)
    film_services.create_film(actor=author, title="Sans toit ni loi", year=1985)
    demo.seed(members)
    counts = (
        WantedRequest.objects.count(),
        Match.objects.count(),
        Item.objects.count(),
        Notification.objects.filter(kind="wanted.match").count(),
    )
    assert counts == (2, 1, 1, 1)
    request = WantedRequest.objects.get(requester=members["sebastien"])
    assert request.subtitle_language_list == ["en"]
    assert Match.objects.get().request == request
    demo.seed(members)
    assert counts == (
        WantedRequest.objects.count(),
        Match.objects.count(),
        Item.objects.count(),
        Notification.objects.filter(kind="wanted.match").count(),
    )


def test_the_demo_does_nothing_without_the_catalogue() -> None:
    demo.seed(_demo_members())
    assert not WantedRequest.objects.exists()
