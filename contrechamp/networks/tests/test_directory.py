import pytest
from django.http import QueryDict
from zeal import zeal_ignore

from contrechamp.networks import queries, services
from contrechamp.networks.models import Network
from contrechamp.networks.queries import DirectoryFilters, parse_km, search_directory
from contrechamp.networks.tests.conftest import city

pytestmark = pytest.mark.django_db


def filters(query: str) -> DirectoryFilters:
    return DirectoryFilters.from_query(QueryDict(query))


@pytest.fixture
def alpine_clubs(make_network):
    return {
        "grenoble": make_network(name="Ciné-Club de Grenoble", place=city("Grenoble")),
        "voiron": make_network(
            name="Les Écrans de Voiron",
            place=city("Voiron"),
            kind=Network.Kind.INDEPENDENT_CINEMA,
        ),
        "lyon": make_network(name="Ciné-club de Lyon", place=city("Lyon")),
        "online": make_network(
            name="Forum des films rares", is_online=True, kind=Network.Kind.ONLINE_COMMUNITY
        ),
    }


def names(queryset) -> list[str]:
    return [network.name for network in queryset]


def test_within_30_km_of_grenoble_gives_grenoble_and_voiron_not_lyon(alpine_clubs):
    found = search_directory(filters("near=Grenoble&km=30"))

    assert names(found.networks) == ["Ciné-Club de Grenoble", "Les Écrans de Voiron"]
    assert 20 < found.networks[1].distance_km < 30  # type: ignore[attr-defined]


def test_a_wider_radius_reaches_lyon(alpine_clubs):
    found = search_directory(filters("near=grenoble&km=120"))

    assert names(found.networks)[-1] == "Ciné-club de Lyon"


def test_the_default_radius_is_30_km(alpine_clubs):
    found = search_directory(filters("near=Grenoble"))

    assert "Ciné-club de Lyon" not in names(found.networks)
    assert len(names(found.networks)) == 2


def test_online_networks_are_listed_apart_when_a_city_is_given(alpine_clubs):
    found = search_directory(filters("near=Grenoble"))

    assert names(found.online) == ["Forum des films rares"]
    assert "Forum des films rares" not in names(found.networks)


def test_without_a_city_every_network_is_listed_by_name(alpine_clubs):
    found = search_directory(filters(""))

    assert found.online is None
    assert len(names(found.networks)) == 4


@pytest.mark.parametrize("query", ["cine club", "CINÉ-CLUB", "Ciné club", "ciné"])
def test_name_search_ignores_accents_case_and_hyphens(alpine_clubs, query):
    found = search_directory(filters(f"q={query}"))

    assert set(names(found.networks)) == {"Ciné-Club de Grenoble", "Ciné-club de Lyon"}


def test_name_search_matches_every_word(alpine_clubs):
    assert names(search_directory(filters("q=club lyon")).networks) == ["Ciné-club de Lyon"]


def test_name_search_with_sql_wildcards_finds_nothing_odd(alpine_clubs):
    assert names(search_directory(filters("q=%25_")).networks) == []


def test_type_filter(alpine_clubs):
    found = search_directory(filters("type=independent_cinema"))

    assert names(found.networks) == ["Les Écrans de Voiron"]


def test_an_unknown_type_is_ignored(alpine_clubs):
    assert filters("type=<script>").kind == ""


def test_an_unknown_city_gives_suggestions_not_an_error(alpine_clubs):
    found = search_directory(filters("near=Grenobel"))

    assert found.unknown_city
    assert "Grenoble" in [place.name for place in found.suggestions]
    assert found.place is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, 30),
        ("", 30),
        ("abc", 30),
        ("nan", 30),
        ("inf", 30),
        ("-5", 1),
        ("0", 1),
        ("12.6", 13),
        ("9999", 500),
        ("1e308", 500),
    ],
)
def test_km_is_clamped_and_never_an_error(raw, expected):
    assert parse_km(raw) == expected


def test_over_long_queries_are_cut(alpine_clubs):
    assert len(filters("q=" + "a" * 5000).q) == 100


def test_member_counts_come_with_the_list(
    alpine_clubs, member, outsider, django_assert_num_queries
):
    grenoble = alpine_clubs["grenoble"]
    with zeal_ignore():
        services.join_network(actor=member, network=grenoble, accept_charter=False)
        services.join_network(actor=outsider, network=grenoble, accept_charter=False)

    with django_assert_num_queries(1):
        counts = {
            n.name: n.member_count  # type: ignore[attr-defined]
            for n in search_directory(filters("near=Grenoble")).networks
        }

    assert counts == {"Ciné-Club de Grenoble": 3, "Les Écrans de Voiron": 1}


def test_pending_requests_do_not_count_as_members(make_network, outsider):
    club = make_network(name="Sur demande", join_policy=Network.JoinPolicy.ON_REQUEST)
    services.join_network(actor=outsider, network=club, accept_charter=False)

    annotated = queries.with_member_count(Network.objects.filter(pk=club.pk)).get()
    assert annotated.member_count == 1  # type: ignore[attr-defined]


def test_map_points_need_no_query(alpine_clubs, django_assert_num_queries):
    networks = list(search_directory(filters("")).networks)

    with django_assert_num_queries(0):
        points = queries.map_points(networks)

    assert {point["name"] for point in points} == {
        "Ciné-Club de Grenoble",
        "Les Écrans de Voiron",
        "Ciné-club de Lyon",
    }
