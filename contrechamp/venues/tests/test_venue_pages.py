import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.events.models import Event
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.venues.models import Venue
from contrechamp.venues.tests.conftest import city

pytestmark = pytest.mark.django_db


def venue_form(**overrides):
    data = {
        "name": "Le Cinématographe",
        "kind": Venue.Kind.INDEPENDENT_CINEMA,
        "address": "12 bis rue des Carmélites",
        "postcode": "44000",
        "city": "Nantes",
        "capacity": "",
        "website": "",
        "description": "",
        "equipment_notes": "",
        "accessibility_notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def club(member):
    return network_services.create_network(
        actor=member,
        name="Ciné-club de Villeurbanne",
        kind=Network.Kind.CINE_CLUB,
        join_policy=Network.JoinPolicy.OPEN,
        place=city("Villeurbanne"),
    )


def add_event(club, venue, title, *, days=7, visibility=Event.Visibility.PUBLIC, **fields):
    starts_at = timezone.now() + timedelta(days=days)
    return Event.objects.create(
        network=club,
        kind=Event.Kind.SCREENING,
        title=title,
        venue=venue,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        visibility=visibility,
        status=fields.pop("status", Event.Status.PUBLISHED),
        **fields,
    )


# The list


def test_the_list_shows_venues_with_a_map_to_anonymous_visitors(client, venue):
    response = client.get(reverse("venues:list"))

    assert response.status_code == 200
    assert "Le Zola" in response.text
    data = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', response.text)
    assert data is not None
    assert [point["name"] for point in json.loads(data.group(1))] == ["Le Zola"]
    assert reverse("venues:create") not in response.text.split('id="venue-results"')[0]


def test_members_are_offered_to_add_a_venue(client, member, venue):
    client.force_login(member)

    response = client.get(reverse("venues:list"))

    assert f'href="{reverse("venues:create")}"' in response.text


def test_an_htmx_request_gets_the_results_only(client, venue):
    response = client.get(reverse("venues:list"), {"q": "zola"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="venue-results"' in response.text


def test_the_distance_is_shown_near_a_city(client, venue):
    response = client.get(reverse("venues:list"), {"near": "Lyon", "km": "20"})

    assert "within 20 km of Lyon" in response.text
    assert "Villeurbanne · 3 km" in " ".join(response.text.split())


@pytest.mark.parametrize(
    "query",
    [
        {"km": "abc", "kind": "<script>", "dcp": "[]"},
        {"near": "Nulle-Part-sur-Mer", "q": "x" * 5000},
        {"page": "999999999999999999999"},
        {"km": "99999999999999999999999", "near": "Lyon"},
        {"km": "nan", "near": "Lyon"},
    ],
)
def test_the_list_answers_any_query_string(client, venue, query):
    response = client.get(reverse("venues:list"), query)

    assert response.status_code == 200


# A venue's page


def test_a_venue_page_shows_its_address_seats_equipment_and_a_map(client, venue):
    response = client.get(venue.get_absolute_url())

    assert response.status_code == 200
    assert "117 cours Émile-Zola" in response.text
    assert "69100" in response.text
    assert "240" in response.text
    assert response.context["map_points"][0]["lat"] == venue.latitude
    assert reverse("venues:edit", args=[venue.pk]) not in response.text


@pytest.mark.parametrize("pk", [999999, 99999999999999999999999])
def test_an_unknown_venue_is_a_404(client, member, pk):
    client.force_login(member)

    assert client.get(reverse("venues:detail", args=[pk])).status_code == 404
    assert client.get(reverse("venues:edit", args=[pk])).status_code == 404


def test_a_venue_page_lists_the_coming_events_the_visitor_may_see(client, venue, club):
    add_event(club, venue, "Nuit du muet")
    add_event(club, venue, "Projection entre nous", visibility=Event.Visibility.MEMBERS)
    add_event(club, venue, "Brouillon", status=Event.Status.DRAFT)
    add_event(club, venue, "Séance passée", days=-7)

    response = client.get(venue.get_absolute_url())

    titles = [event.title for event in response.context["events"]]
    assert titles == ["Nuit du muet"]


def test_members_see_their_network_s_members_only_events_at_the_venue(
    client, venue, club, other_member
):
    network_services.join_network(actor=other_member, network=club, accept_charter=True)
    add_event(club, venue, "Projection entre nous", visibility=Event.Visibility.MEMBERS)
    client.force_login(other_member)

    response = client.get(venue.get_absolute_url())

    assert [event.title for event in response.context["events"]] == ["Projection entre nous"]


def test_the_venue_page_query_count_does_not_grow_with_its_events(
    client, venue, club, django_assert_max_num_queries
):
    add_event(club, venue, "Séance 1")
    with django_assert_max_num_queries(8) as few:
        client.get(venue.get_absolute_url())
    for number in range(2, 12):
        add_event(club, venue, f"Séance {number}", days=7 + number)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(venue.get_absolute_url())

    assert len(response.context["events"]) == 11


def test_its_creator_and_the_staff_see_the_edit_link(client, venue, member, staff):
    for person in (member, staff):
        client.force_login(person)

        response = client.get(venue.get_absolute_url())

        assert reverse("venues:edit", args=[venue.pk]) in response.text


# Adding a venue


def test_adding_a_venue_asks_to_sign_in_first(client, db):
    response = client.get(reverse("venues:create"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_member_adds_a_venue(client, member):
    client.force_login(member)
    assert client.get(reverse("venues:create")).status_code == 200

    response = client.post(
        reverse("venues:create"), venue_form(capacity="98", has_35mm_projector="on")
    )

    venue = Venue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == venue.get_absolute_url()
    assert (venue.city_name, venue.capacity, venue.has_35mm_projector) == ("Nantes", 98, True)


def test_an_unknown_city_is_refused_with_suggestions_keeping_the_input(client, member):
    client.force_login(member)

    response = client.post(reverse("venues:create"), venue_form(city="Nantse"))

    assert response.status_code == 200
    assert "We do not know the city “Nantse”" in response.text
    assert "Nantes" in response.text
    assert 'value="12 bis rue des Carmélites"' in response.text
    assert not Venue.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"capacity": "0"},
        {"capacity": "-3"},
        {"capacity": "beaucoup"},
        {"capacity": "99999999999999999999"},
        {"description": "x" * 200_000},
        {"name": ""},
        {"name": "x" * 151},
        {"kind": "palace"},
        {"website": "javascript:alert(1)"},
        {"postcode": "<script>"},
        {"city": ""},
    ],
)
def test_bad_input_is_refused_beside_the_form_keeping_the_input(client, member, overrides):
    client.force_login(member)

    response = client.post(reverse("venues:create"), venue_form(**overrides))

    assert response.status_code == 200
    assert "field--invalid" in response.text or "form-errors" in response.text
    assert 'value="12 bis rue des Carmélites"' in response.text
    assert not Venue.objects.exists()


def test_a_duplicate_is_refused_with_a_link_to_the_venue_already_listed(
    client, make_venue, other_member
):
    existing = make_venue(name="Le Cinématographe", city="Nantes")
    client.force_login(other_member)

    response = client.post(reverse("venues:create"), venue_form(name="le cinematographe"))

    assert response.status_code == 200
    assert "“Le Cinématographe” in Nantes is already in the directory" in response.text
    assert existing.get_absolute_url() in response.text
    assert Venue.objects.count() == 1


def test_a_member_who_has_not_accepted_the_code_of_conduct_is_told_why(client, db):
    newcomer = UserFactory.create(username="newcomer", code_of_conduct_version=0)
    client.force_login(newcomer)

    response = client.post(reverse("venues:create"), venue_form())

    assert response.status_code == 200
    assert "code of conduct" in response.text
    assert not Venue.objects.exists()


# Editing a venue


def test_its_creator_edits_a_venue_from_a_prefilled_form(client, venue, member):
    client.force_login(member)
    page = client.get(reverse("venues:edit", args=[venue.pk]))
    assert 'value="117 cours Émile-Zola"' in page.text

    response = client.post(
        reverse("venues:edit", args=[venue.pk]),
        venue_form(name="Le Zola", city="Villeurbanne", capacity="250", hearing_loop="on"),
    )

    venue.refresh_from_db()
    assert response.status_code == 302
    assert (venue.capacity, venue.hearing_loop) == (250, True)


def test_the_staff_edit_any_venue(client, venue, staff):
    client.force_login(staff)

    response = client.post(
        reverse("venues:edit", args=[venue.pk]), venue_form(name="Le Zola", city="Villeurbanne")
    )

    assert response.status_code == 302


def test_another_member_gets_the_403_page(client, venue, other_member):
    client.force_login(other_member)

    assert client.get(reverse("venues:edit", args=[venue.pk])).status_code == 403
    response = client.post(reverse("venues:edit", args=[venue.pk]), venue_form())

    assert response.status_code == 403
    assert "Only the member who added this venue" in response.text
    venue.refresh_from_db()
    assert venue.name == "Le Zola"


def test_editing_asks_anonymous_visitors_to_sign_in(client, venue):
    response = client.post(reverse("venues:edit", args=[venue.pk]), venue_form())

    assert response.status_code == 302
    venue.refresh_from_db()
    assert venue.name == "Le Zola"
