from typing import Any

from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.api.tests.conftest import ApiClient, make_event, make_token
from contrechamp.events.models import Event, Rsvp
from contrechamp.films.models import Film
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.venues.models import Venue


def test_the_agenda_lists_coming_events_soonest_first(
    api: ApiClient, club: Network, venue: Venue, film: Film
) -> None:
    later = make_event(club, title="Later", days=14)
    sooner = make_event(club, title="Sooner", days=2, venue=venue, film=film, capacity=40)
    make_event(club, title="Gone", days=-3)

    items = api.get("/api/events").json()["items"]

    assert [e["id"] for e in items] == [sooner.pk, later.pk]
    first = items[0]
    assert first["network"] == {"slug": club.slug, "name": "Ciné-club du jeudi"}
    assert first["venue"] == {"id": venue.pk, "name": "Médiathèque du Bachut", "city": "Lyon"}
    assert first["films"] == [{"id": film.pk, "title": "Le Voyage dans la Lune", "year": 1902}]
    assert first["capacity"] == 40
    assert first["going_count"] == 0


def test_the_agenda_takes_the_calendars_filters(
    api: ApiClient, club: Network, venue: Venue
) -> None:
    near = make_event(club, title="Ciné-débat", days=3, venue=venue)
    far = make_event(club, title="Marathon", days=20)
    past = make_event(club, title="Souvenir", days=-5)
    day = (timezone.localtime(far.starts_at)).date().isoformat()

    assert [e["id"] for e in api.get("/api/events", {"q": "débat"}).json()["items"]] == [near.pk]
    assert [e["id"] for e in api.get("/api/events", {"near": "Lyon"}).json()["items"]] == [near.pk]
    assert [e["id"] for e in api.get("/api/events", {"from": day}).json()["items"]] == [far.pk]
    assert [e["id"] for e in api.get("/api/events", {"past": "true"}).json()["items"]] == [past.pk]
    assert api.get("/api/events", {"network": "elsewhere"}).json()["total"] == 0
    assert api.get("/api/events", {"from": "25/12/2026"}).status_code == 422
    assert api.get("/api/events", {"near": "Nowhereville"}).status_code == 422


def test_members_only_events_are_for_members(
    api: ApiClient, club: Network, member: User, read_token: str, other_token: str
) -> None:
    private = make_event(club, title="Members' night", visibility=Event.Visibility.MEMBERS)
    draft = make_event(club, title="Draft", status=Event.Status.DRAFT)

    assert api.get("/api/events").json()["total"] == 0
    assert api.get("/api/events", token=read_token).json()["total"] == 0
    assert api.get("/api/events", token=other_token).json()["total"] == 2
    assert api.get(f"/api/events/{private.pk}", token=read_token).status_code == 403
    assert api.get(f"/api/events/{draft.pk}", token=read_token).status_code == 404

    network_services.join_network(actor=member, network=club, accept_charter=True)
    assert api.get(f"/api/events/{private.pk}", token=read_token).status_code == 200
    assert api.get(f"/api/events/{draft.pk}", token=read_token).status_code == 404


def test_the_agenda_costs_the_same_queries_for_more_events(
    api: ApiClient,
    club: Network,
    venue: Venue,
    film: Film,
    read_token: str,
    django_assert_max_num_queries: Any,
) -> None:
    for days in range(1, 4):
        make_event(club, days=days, venue=venue, film=film)
    with django_assert_max_num_queries(20) as few:
        api.get("/api/events", {"limit": 2}, token=read_token)
    for days in range(4, 30):
        make_event(club, days=days, venue=venue, film=film)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/api/events", {"limit": 25}, token=read_token)
    assert len(response.json()["items"]) == 25


def test_an_event_page_says_who_comes_and_whether_the_caller_can_answer(
    api: ApiClient, club: Network, read_token: str
) -> None:
    event = make_event(club, capacity=10)

    anonymous = api.get(f"/api/events/{event.pk}").json()["attendance"]
    member = api.get(f"/api/events/{event.pk}", token=read_token).json()["attendance"]

    assert anonymous["can_rsvp"] is False
    assert anonymous["why_not"] == "Sign in to say whether you are coming."
    assert member == {
        "going": 0,
        "maybe": 0,
        "waitlisted": 0,
        "seats_left": 10,
        "my_status": None,
        "my_waitlist_position": None,
        "can_rsvp": True,
        "why_not": None,
    }


def test_a_member_says_they_are_going_and_then_not(
    api: ApiClient, club: Network, member: User, write_token: str
) -> None:
    event = make_event(club, capacity=10)

    going = api.post(f"/api/events/{event.pk}/rsvp", {"status": "going"}, token=write_token)
    cancelled = api.post(f"/api/events/{event.pk}/rsvp", {"status": "cancelled"}, token=write_token)

    assert going.json() == {"event_id": event.pk, "status": "going", "waitlist_position": None}
    assert cancelled.json()["status"] == "cancelled"
    assert Rsvp.objects.get(event=event, member=member).status == Rsvp.Status.CANCELLED


def test_a_full_event_puts_the_caller_on_its_waitlist(
    api: ApiClient, club: Network, write_token: str, other_token: str
) -> None:
    event = make_event(club, capacity=1)
    api.post(f"/api/events/{event.pk}/rsvp", {"status": "going"}, token=other_token)

    response = api.post(f"/api/events/{event.pk}/rsvp", {"status": "going"}, token=write_token)

    assert response.json()["status"] == "waitlisted"
    assert response.json()["waitlist_position"] == 1


def test_answers_keep_to_the_events_rules(api: ApiClient, club: Network, write_token: str) -> None:
    private = make_event(club, visibility=Event.Visibility.MEMBERS)
    over = make_event(club, days=-2)

    maybe = {"status": "maybe"}
    assert api.post(f"/api/events/{private.pk}/rsvp", maybe, token=write_token).status_code == 403
    assert api.post(f"/api/events/{over.pk}/rsvp", maybe, token=write_token).status_code == 409
    assert api.post("/api/events/999999/rsvp", maybe, token=write_token).status_code == 404
    waitlisted = {"status": "waitlisted"}
    assert api.post(f"/api/events/{over.pk}/rsvp", waitlisted, token=write_token).status_code == 422


def test_my_events_lists_what_the_caller_answered(
    api: ApiClient, club: Network, venue: Venue, write_token: str
) -> None:
    event = make_event(club, venue=venue)
    make_event(club, title="Not answered")
    api.post(f"/api/events/{event.pk}/rsvp", {"status": "maybe"}, token=write_token)

    body = api.get("/api/me/events", token=write_token).json()

    assert [(r["event"]["id"], r["status"]) for r in body["rsvps"]] == [(event.pk, "maybe")]
    assert body["rsvps"][0]["event"]["venue"]["name"] == "Médiathèque du Bachut"
    assert body["shifts"] == []


def test_my_events_costs_the_same_queries_for_more_answers(
    api: ApiClient,
    club: Network,
    venue: Venue,
    member: User,
    db: None,
    django_assert_max_num_queries: Any,
) -> None:
    from contrechamp.events.services import attendance

    def answer(days: range) -> None:
        for day in days:
            event = make_event(club, days=day, venue=venue, capacity=1)
            blocker = UserFactory.create(username=f"blocker{day}")
            attendance.rsvp(actor=blocker, event=event, status=Rsvp.Status.GOING)
            attendance.rsvp(actor=member, event=event, status=Rsvp.Status.GOING)

    token = make_token(member)
    answer(range(1, 3))
    with django_assert_max_num_queries(20) as few:
        api.get("/api/me/events", token=token)
    answer(range(3, 12))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/api/me/events", token=token)
    assert {r["status"] for r in response.json()["rsvps"]} == {"waitlisted"}
    assert {r["waitlist_position"] for r in response.json()["rsvps"]} == {1}
