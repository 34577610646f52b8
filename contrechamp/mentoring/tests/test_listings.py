from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from zeal import zeal_ignore

from contrechamp.core.errors import DomainError
from contrechamp.events.models import Event
from contrechamp.mentoring import services
from contrechamp.mentoring.models import Format, Mentorship, SkillListing
from contrechamp.mentoring.tests.conftest import city, post_listing, skill
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network

pytestmark = pytest.mark.django_db


def listing_form(**overrides):
    form = {
        "skill": skill("projection").pk,
        "title": "Initiation à la projection 35 mm",
        "description": "Deux séances en cabine.",
        "level": "beginner",
        "format": "in_person",
        "city": "Lyon",
    }
    return form | overrides


def workshop(organiser, *, visibility=Event.Visibility.PUBLIC, where="Lyon", days=10):
    with zeal_ignore():
        club = Network.objects.filter(
            slug="atelier-club"
        ).first() or network_services.create_network(
            actor=organiser,
            name="Atelier club",
            kind=Network.Kind.CINE_CLUB,
            join_policy=Network.JoinPolicy.OPEN,
            place=city(where),
        )
    place = city(where)
    starts = timezone.now() + timedelta(days=days)
    return Event.objects.create(
        network=club,
        kind=Event.Kind.WORKSHOP,
        title=f"Atelier montage ({visibility})",
        latitude=round(place.latitude, 2),
        longitude=round(place.longitude, 2),
        online_url="https://example.org/atelier",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        status=Event.Status.PUBLISHED,
        visibility=visibility,
        published_at=timezone.now(),
        created_by=organiser,
    )


# Services


def test_an_offer_is_posted_open_with_an_approximate_place(member):
    offer = post_listing(member)

    assert offer.kind == SkillListing.Kind.OFFER
    assert offer.is_open
    assert (offer.latitude, offer.longitude) == (45.75, 4.85)
    assert offer.city_name == "Lyon"


def test_in_person_without_a_city_is_refused(member):
    with pytest.raises(DomainError, match="Give a city"):
        post_listing(member, place=None)
    assert not SkillListing.objects.exists()


def test_online_needs_no_city(member):
    offer = post_listing(member, format=Format.ONLINE, place=None)

    assert offer.city_name == ""
    assert offer.latitude is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "cannot be empty"),
        ("title", "x" * 151, "too long"),
        ("description", "x" * 3001, "too long"),
        ("description", "nul\x00", "not allowed"),
        ("level", "expert", "level"),
    ],
)
def test_bad_text_is_refused(member, field, value, message):
    with pytest.raises(DomainError, match=message):
        post_listing(member, **{field: value})
    assert not SkillListing.objects.exists()


def test_only_the_author_edits_or_closes(member, outsider):
    offer = post_listing(member)
    details = services.ListingDetails(skill=offer.skill, title="Autre", place=city("Lyon"))

    with pytest.raises(PermissionDenied):
        services.update_listing(actor=outsider, listing=offer, details=details)
    with pytest.raises(PermissionDenied):
        services.set_listing_open(actor=outsider, listing=offer, is_open=False)
    with zeal_ignore():
        services.set_listing_open(actor=member, listing=offer, is_open=False)
    offer.refresh_from_db()
    assert offer.status == SkillListing.Status.CLOSED
    assert offer.closed_at is not None


def test_an_offer_points_to_a_workshop_the_author_can_see(member, outsider):
    public = workshop(outsider)
    hidden = workshop(outsider, visibility=Event.Visibility.MEMBERS)

    offer = post_listing(member, workshop=public)
    assert offer.workshop == public
    with pytest.raises(DomainError, match="workshop"):
        post_listing(member, workshop=hidden)


def test_a_request_cannot_point_to_a_workshop(member, outsider):
    with pytest.raises(DomainError, match="Only an offer"):
        post_listing(member, SkillListing.Kind.REQUEST, workshop=workshop(outsider))


# Pages


def test_a_member_posts_an_offer_and_the_page_says_it_is_free(client, member):
    client.force_login(member)

    response = client.post(reverse("mentoring:offer_create"), listing_form())

    offer = SkillListing.objects.get()
    assert response.status_code == 302
    assert response.url == offer.get_absolute_url()
    page = client.get(offer.get_absolute_url())
    assert "Free of charge" in page.text
    assert "Initiation à la projection 35 mm" in page.text


def test_the_form_keeps_what_was_typed_when_refused(client, member):
    client.force_login(member)

    response = client.post(
        reverse("mentoring:request_create"),
        listing_form(title="Apprendre à programmer", city="", description="Mon ciné-club"),
    )

    assert response.status_code == 200
    assert "Give a city" in response.text
    assert "Apprendre à programmer" in response.text
    assert "Mon ciné-club" in response.text
    assert not SkillListing.objects.exists()


def test_an_unknown_city_is_refused_with_suggestions(client, member):
    client.force_login(member)

    response = client.post(reverse("mentoring:offer_create"), listing_form(city="Grenobel"))

    assert response.status_code == 200
    assert "Grenoble" in response.text


def test_someone_else_cannot_open_the_edit_page(client, member, outsider):
    offer = post_listing(member)
    client.force_login(outsider)

    assert client.get(reverse("mentoring:offer_edit", args=[offer.pk])).status_code == 403


def test_the_author_edits_and_closes_from_the_pages(client, member):
    offer = post_listing(member)
    client.force_login(member)

    edited = client.post(
        reverse("mentoring:offer_edit", args=[offer.pk]), listing_form(title="Cabine 35 mm")
    )
    closed = client.post(reverse("mentoring:offer_status", args=[offer.pk]))

    offer.refresh_from_db()
    assert edited.status_code == closed.status_code == 302
    assert offer.title == "Cabine 35 mm"
    assert not offer.is_open


def test_an_offer_of_the_wrong_kind_is_not_found(client, member):
    offer = post_listing(member)

    assert client.get(reverse("mentoring:request_detail", args=[offer.pk])).status_code == 404


def test_search_by_domain_place_online_and_words(client, member, outsider):
    post_listing(member, title="Cabine à Lyon")
    post_listing(member, title="Cabine à Lille", place=city("Lille"))
    post_listing(
        member, title="Montage en ligne", skill=skill("editing"), format=Format.ONLINE, place=None
    )
    closed = post_listing(outsider, title="Cabine fermée")
    with zeal_ignore():
        services.set_listing_open(actor=outsider, listing=closed, is_open=False)
    url = reverse("mentoring:offers")

    def titles(query):
        response = client.get(url, query)
        assert response.status_code == 200
        return [
            t
            for t in ("Cabine à Lyon", "Cabine à Lille", "Montage en ligne", "Cabine fermée")
            if t in response.text
        ]

    assert titles({}) == ["Cabine à Lyon", "Cabine à Lille", "Montage en ligne"]
    assert titles({"near": "Villeurbanne", "km": "20"}) == ["Cabine à Lyon"]
    assert titles({"skill": "editing"}) == ["Montage en ligne"]
    assert titles({"online": "1"}) == ["Montage en ligne"]
    assert titles({"q": "lille"}) == ["Cabine à Lille"]


@pytest.mark.parametrize(
    "query",
    [
        {"near": "Nullepart", "km": "abc"},
        {"km": "-5", "page": "999"},
        {"q": "x" * 500, "skill": "nope"},
        {"near": "\x00", "online": "yes"},
    ],
)
def test_the_lists_answer_any_query_string(client, query):
    assert client.get(reverse("mentoring:offers"), query).status_code == 200
    assert client.get(reverse("mentoring:requests"), query).status_code == 200


def test_the_list_query_count_does_not_grow(client, member, people, django_assert_max_num_queries):
    authors = people(30, "auteur")
    for author in authors[:3]:
        post_listing(author)
    client.force_login(member)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("mentoring:offers"), {"near": "Lyon"})
    for author in authors[3:]:
        post_listing(author)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("mentoring:offers"), {"near": "Lyon"})
    assert "30 open offers" in response.text


def test_an_offer_shows_its_workshop_only_to_those_who_may_see_it(client, member, outsider):
    hidden = workshop(outsider, visibility=Event.Visibility.MEMBERS)
    offer = post_listing(outsider, workshop=hidden)

    client.force_login(member)
    assert "Atelier montage" not in client.get(offer.get_absolute_url()).text
    client.force_login(outsider)
    assert "Atelier montage" in client.get(offer.get_absolute_url()).text


def test_asking_through_an_offer_page(client, member, outsider):
    offer = post_listing(outsider)
    client.force_login(member)

    response = client.post(offer.get_absolute_url(), {"message": "Je débute", "goals": "Projeter"})

    mentorship = Mentorship.objects.get()
    assert response.status_code == 302
    assert (mentorship.mentor, mentorship.mentee, mentorship.listing) == (outsider, member, offer)
    page = client.get(offer.get_absolute_url())
    assert "A request is waiting for an answer" in page.text


def test_offering_help_on_a_request_page(client, member, outsider):
    wish = post_listing(member, SkillListing.Kind.REQUEST, title="Apprendre la cabine")
    client.force_login(outsider)

    response = client.post(wish.get_absolute_url(), {"message": "Je peux vous aider"})

    assert response.status_code == 302
    assert Mentorship.objects.get().proposed_by == Mentorship.Side.MENTOR


def test_an_anonymous_visitor_reads_an_offer_and_is_sent_to_sign_in_to_answer(client, member):
    offer = post_listing(member)

    assert client.get(offer.get_absolute_url()).status_code == 200
    response = client.post(offer.get_absolute_url(), {"message": "Bonjour"})
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert not Mentorship.objects.exists()
