import pytest
from django.http import QueryDict
from django.urls import reverse
from zeal import zeal_ignore

from contrechamp.venues.models import Venue
from contrechamp.venues.queries import VenueFilters, map_points, search_venues

pytestmark = pytest.mark.django_db


def filters(query: str) -> VenueFilters:
    return VenueFilters.from_query(QueryDict(query))


def names(found) -> list[str]:
    return [venue.name for venue in found.venues]


@pytest.fixture
def around_lyon(make_venue):
    with zeal_ignore():
        make_venue(name="Le Zola", city="Villeurbanne", has_35mm_projector=True)
        make_venue(name="Le Comoedia", city="Lyon", has_dcp_projector=True, step_free_access=True)
        make_venue(name="Les Alizés", city="Bron", has_dcp_projector=True)
        make_venue(name="Bibliothèque de la Part-Dieu", kind=Venue.Kind.MEDIATHEQUE, city="Lyon")
        make_venue(name="Le Méliès", city="Grenoble", has_16mm_projector=True)
        make_venue(name="Le Méliès", city="Saint-Étienne")


def test_within_20_km_of_lyon_the_nearest_venues_come_first(around_lyon):
    found = search_venues(filters("near=Lyon&km=20"))

    venues = list(found.venues)
    assert [v.city_name for v in venues] == ["Lyon", "Lyon", "Villeurbanne", "Bron"]
    distances = [v.distance_km for v in venues]  # type: ignore[attr-defined]
    assert [round(d) for d in distances[:2]] == [0, 0]
    assert distances[2] < distances[3] < 20
    assert found.place is not None and found.place.name == "Lyon"


def test_a_wider_radius_reaches_grenoble_and_saint_etienne(around_lyon):
    found = search_venues(filters("near=lyon&km=100"))

    assert names(found)[-2:] == ["Le Méliès", "Le Méliès"]
    assert len(names(found)) == 6


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=melies", ["Le Méliès", "Le Méliès"]),
        ("q=MÉLIÈS+grenoble", ["Le Méliès"]),
        ("q=saint-etienne", ["Le Méliès"]),
        ("q=villeurbanne", ["Le Zola"]),
        ("q=part+dieu", ["Bibliothèque de la Part-Dieu"]),
        ("q=%25", []),
    ],
)
def test_the_text_search_looks_in_names_and_towns_ignoring_accents(around_lyon, query, expected):
    assert names(search_venues(filters(query))) == expected


def test_the_type_filter_keeps_that_type(around_lyon):
    assert names(search_venues(filters("kind=mediatheque"))) == ["Bibliothèque de la Part-Dieu"]


def test_an_unknown_type_is_ignored(around_lyon):
    assert len(names(search_venues(filters("kind=palace")))) == 6


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dcp=1", ["Le Comoedia", "Les Alizés"]),
        ("35mm=1", ["Le Zola"]),
        ("16mm=1", ["Le Méliès"]),
        ("step_free=1", ["Le Comoedia"]),
        ("dcp=1&step_free=1", ["Le Comoedia"]),
        ("dcp=1&35mm=1", []),
        ("dcp=maybe", None),
    ],
)
def test_equipment_and_access_filters_combine(around_lyon, query, expected):
    found = names(search_venues(filters(query)))

    assert found == (expected if expected is not None else names(search_venues(filters(""))))


def test_an_unknown_city_gives_suggestions_not_an_error(around_lyon):
    found = search_venues(filters("near=Villeurbane"))

    assert found.unknown_city
    assert "Villeurbanne" in [place.name for place in found.suggestions]
    assert len(names(found)) == 6


def test_map_points_need_no_query(around_lyon, django_assert_num_queries):
    venues = list(search_venues(filters("near=Lyon")).venues)

    with django_assert_num_queries(0):
        points = map_points(venues)

    assert {point["city"] for point in points} == {"Lyon", "Villeurbanne", "Bron"}
    assert all(str(point["url"]).startswith("/venues/") for point in points)


def many_venues(make_venue, count, start=0):
    with zeal_ignore():
        for number in range(start, start + count):
            make_venue(name=f"Salle {number}", city="Lyon", has_dcp_projector=True)


@pytest.mark.parametrize(
    "query", ["", "?near=Lyon&km=20&dcp=1", "?q=salle&kind=independent_cinema"]
)
def test_the_list_query_count_does_not_grow_with_the_venues(
    client, make_venue, django_assert_max_num_queries, query
):
    many_venues(make_venue, 3)
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("venues:list") + query)
    many_venues(make_venue, 27, start=3)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("venues:list") + query)

    assert len(response.context["page_obj"]) == 20
