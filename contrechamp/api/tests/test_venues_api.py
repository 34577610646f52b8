from typing import Any

from contrechamp.api.tests.conftest import ApiClient, city, make_event
from contrechamp.core import places
from contrechamp.events.models import Event
from contrechamp.networks.models import Network
from contrechamp.venues.models import Venue


def _venue(name: str, town: str, **flags: bool) -> Venue:
    place = city(town)
    return Venue.objects.create(
        name=name,
        dedupe_key=places.normalise(f"{name} {town}"),
        name_normalised=places.normalise(name),
        kind=Venue.Kind.INDEPENDENT_CINEMA,
        city_name=place.name,
        latitude=place.latitude,
        longitude=place.longitude,
        **flags,
    )


def test_venues_are_found_by_name_town_and_equipment(api: ApiClient, venue: Venue) -> None:
    cinema = _venue("Le Zola", "Villeurbanne", has_35mm_projector=True, step_free_access=True)
    _venue("Le Prado", "Marseille")

    by_name = api.get("/api/venues", {"q": "zola"}).json()["items"]
    by_town = api.get("/api/venues", {"q": "marseille"}).json()["items"]
    by_projector = api.get("/api/venues", {"35mm": "true", "step_free": "1"}).json()["items"]
    by_dcp = api.get("/api/venues", {"dcp": True}).json()["items"]

    assert [v["id"] for v in by_name] == [cinema.pk]
    assert [v["name"] for v in by_town] == ["Le Prado"]
    assert [v["id"] for v in by_projector] == [cinema.pk]
    assert [v["id"] for v in by_dcp] == [venue.pk]
    assert by_name[0]["has_35mm_projector"] is True
    assert by_name[0]["city"] == "Villeurbanne"


def test_venues_near_a_city_come_nearest_first(api: ApiClient, venue: Venue) -> None:
    zola = _venue("Le Zola", "Villeurbanne")
    _venue("Le Prado", "Marseille")

    items = api.get("/api/venues", {"near": "Villeurbanne", "km": 20}).json()["items"]

    assert [v["id"] for v in items] == [zola.pk, venue.pk]
    assert items[0]["distance_km"] <= items[1]["distance_km"]


def test_the_venue_list_costs_the_same_queries_for_more_venues(
    api: ApiClient, db: None, django_assert_max_num_queries: Any
) -> None:
    for number in range(3):
        _venue(f"Salle {number}", "Lyon")
    with django_assert_max_num_queries(20) as few:
        api.get("/api/venues", {"limit": 2})
    for number in range(3, 30):
        _venue(f"Salle {number}", "Lyon")

    with django_assert_max_num_queries(len(few.captured_queries)):
        api.get("/api/venues", {"limit": 25})


def test_a_venue_page_shows_the_coming_events_the_caller_may_see(
    api: ApiClient, venue: Venue, club: Network, other_token: str
) -> None:
    public = make_event(club, title="Open night", venue=venue)
    make_event(club, title="Members' night", venue=venue, visibility=Event.Visibility.MEMBERS)

    anonymous = api.get(f"/api/venues/{venue.pk}").json()
    member = api.get(f"/api/venues/{venue.pk}", token=other_token).json()

    assert [e["id"] for e in anonymous["upcoming_events"]] == [public.pk]
    assert anonymous["upcoming_events"][0]["network"]["slug"] == club.slug
    assert len(member["upcoming_events"]) == 2
    assert anonymous["has_dcp_projector"] is True


def test_an_unknown_venue_is_a_404(api: ApiClient, db: None) -> None:
    assert api.get("/api/venues/4242").status_code == 404
