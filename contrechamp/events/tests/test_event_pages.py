"""The calendars and the event pages: who sees what, filters, forms, JSON-LD, query counts."""

import json
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.events.models import Event, Rsvp, Screening
from contrechamp.events.services import events as services
from contrechamp.events.tests.conftest import city, next_week_at
from contrechamp.notifications.models import Notification
from contrechamp.venues.models import Venue

pytestmark = pytest.mark.django_db


def make_event(club, organiser, venue, film=None, **fields):
    """An event written directly (scene setting), published and public unless told."""
    starts_at = fields.pop("starts_at", next_week_at(20, 30))
    values = {
        "network": club,
        "kind": Event.Kind.SCREENING,
        "title": "Séance",
        "venue": venue,
        "latitude": venue.latitude if venue else None,
        "longitude": venue.longitude if venue else None,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "status": Event.Status.PUBLISHED,
        "created_by": organiser,
    }
    values.update(fields)
    event = Event.objects.create(**values)
    if film is not None:
        Screening.objects.create(event=event, film=film)
    return event


def titles(response):
    return [event.title for day in response.context["days"] for event in day.events]


def json_ld(response):
    found = re.search(
        r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1)) if found else None


@pytest.fixture
def marseille(db):
    place = city("Marseille")
    return Venue.objects.create(
        name="Le Gyptis",
        dedupe_key="le gyptis marseille",
        name_normalised="le gyptis",
        kind=Venue.Kind.INDEPENDENT_CINEMA,
        city_name="Marseille",
        latitude=place.latitude,
        longitude=place.longitude,
    )


def event_form(organising, at, **overrides):
    """What the event form posts: `organising` network, at venue `at`."""
    data = {
        "network": organising.slug,
        "kind": Event.Kind.SCREENING,
        "title": "Ciné-club du jeudi",
        "starts_at": next_week_at(20, 30).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": next_week_at(22, 30).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "Europe/Paris",
        "repeat": "none",
        "venue": str(at.pk),
        "online_url": "",
        "films": "Le Voyage dans la Lune (1902)",
        "description": "Suivi d'un **débat**.",
        "accessibility_notes": "",
        "visibility": Event.Visibility.PUBLIC,
        "capacity": "80",
    }
    data.update(overrides)
    return data


# The calendars


def test_the_agenda_lists_public_events_by_day_for_anonymous_visitors(
    client, event, club, organiser, venue
):
    with zeal_ignore():
        make_event(club, organiser, venue, title="Réservé", visibility=Event.Visibility.MEMBERS)
        make_event(club, organiser, venue, title="Brouillon", status=Event.Status.DRAFT)
        make_event(
            club,
            organiser,
            venue,
            title="Annulée",
            status=Event.Status.CANCELLED,
            cancellation_reason="Panne",
        )

    response = client.get(reverse("events:agenda"))

    assert response.status_code == 200
    assert set(titles(response)) == {event.title, "Annulée"}
    assert "Cancelled" in response.text
    assert "Le Voyage dans la Lune" in response.text


def test_members_only_events_show_to_members_but_not_to_outsiders(
    client, club, organiser, venue, member, outsider
):
    with zeal_ignore():
        make_event(club, organiser, venue, title="Réservé", visibility=Event.Visibility.MEMBERS)

    client.force_login(outsider)
    assert titles(client.get(reverse("events:agenda"))) == []
    client.force_login(member)
    assert titles(client.get(reverse("events:agenda"))) == ["Réservé"]


def test_drafts_show_in_the_network_calendar_for_its_organisers_only(
    client, club, organiser, venue, member
):
    with zeal_ignore():
        make_event(club, organiser, venue, title="Brouillon", status=Event.Status.DRAFT)
    url = reverse("events:network_calendar", args=[club.slug])

    client.force_login(member)
    as_member = client.get(url)
    client.force_login(organiser)
    as_organiser = client.get(url)

    assert titles(as_member) == []
    assert "New event" not in as_member.text
    assert titles(as_organiser) == ["Brouillon"]
    assert f"{reverse('events:create')}?network={club.slug}" in as_organiser.text


def test_the_agenda_filters_by_title_type_and_city(client, event, club, organiser, marseille):
    with zeal_ignore():
        make_event(club, organiser, marseille, title="Atelier son", kind=Event.Kind.WORKSHOP)

    by_text = client.get(reverse("events:agenda"), {"q": "voyage"})
    by_kind = client.get(reverse("events:agenda"), {"kind": "workshop"})
    near_lyon = client.get(reverse("events:agenda"), {"near": "Villeurbanne", "km": "20"})
    near_marseille = client.get(reverse("events:agenda"), {"near": "Marseille"})

    assert titles(by_text) == [event.title]
    assert titles(by_kind) == ["Atelier son"]
    assert titles(near_lyon) == [event.title]
    assert titles(near_marseille) == ["Atelier son"]


def test_the_agenda_filters_by_dates_and_shows_past_events_on_request(
    client, event, club, organiser, venue
):
    with zeal_ignore():
        make_event(
            club, organiser, venue, title="Dans un mois", starts_at=next_week_at(20, days=30)
        )
        make_event(club, organiser, venue, title="Passée", starts_at=next_week_at(20, days=-10))
    in_a_month = (timezone.localdate() + timedelta(days=30)).isoformat()

    later = client.get(reverse("events:agenda"), {"from": in_a_month})
    soon = client.get(
        reverse("events:agenda"), {"to": (timezone.localdate() + timedelta(days=8)).isoformat()}
    )
    past = client.get(reverse("events:agenda"), {"past": "1"})
    everything = client.get(reverse("events:agenda"))

    assert titles(later) == ["Dans un mois"]
    assert titles(soon) == [event.title]
    assert titles(past) == ["Passée"]
    assert titles(everything) == [event.title, "Dans un mois"]


def test_an_unknown_city_is_said_with_suggestions(client, event):
    response = client.get(reverse("events:agenda"), {"near": "Lyonn"})

    assert response.status_code == 200
    assert "We do not know the city" in response.text
    assert "Lyon" in response.text


@pytest.mark.parametrize(
    "query",
    [
        {"km": "abc"},
        {"km": "-5"},
        {"from": "2026-13-45", "to": "yesterday"},
        {"from": "9999-01-01"},
        {"page": "9999"},
        {"page": "-1"},
        {"kind": "concert"},
        {"q": "x" * 5000},
        {"network": "no-such-network"},
        {"past": "yes"},
    ],
)
def test_nonsense_in_the_query_string_never_breaks_the_agenda(client, event, query):
    assert client.get(reverse("events:agenda"), query).status_code == 200


def test_the_calendar_of_an_unknown_network_is_a_404(client):
    assert client.get(reverse("events:network_calendar", args=["nope"])).status_code == 404


def test_the_agenda_query_count_does_not_grow_with_events(
    client, club, organiser, venue, film, member, django_assert_max_num_queries
):
    def scene(count, start):
        with zeal_ignore():
            for number in range(start, start + count):
                event = make_event(club, organiser, venue, film, title=f"Séance {number}")
                Rsvp.objects.create(event=event, member=member, status=Rsvp.Status.GOING)

    client.force_login(member)
    scene(3, 0)
    urls = [
        reverse("events:agenda"),
        reverse("events:agenda") + "?near=Lyon",
        reverse("events:network_calendar", args=[club.slug]),
    ]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(20) as captured:
            client.get(url)
        counts.append(len(captured.captured_queries))
    scene(27, 3)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            response = client.get(url)
        assert len(titles(response)) == 30


# The event page


def test_the_event_page_shows_times_in_the_event_zone_venue_films_and_calendar_link(
    client, event, venue, film
):
    response = client.get(event.get_absolute_url())

    assert response.status_code == 200
    text = response.text
    assert "20:30" in text
    assert "Europe/Paris" in text
    assert venue.get_absolute_url() in text
    assert film.get_absolute_url() in text
    assert reverse("events:event_ics", args=[event.pk]) in text
    assert response.context["attendance"] is not None


def test_the_event_page_reads_a_distant_time_zone(client, event):
    Event.objects.filter(pk=event.pk).update(time_zone="America/Montreal")

    response = client.get(event.get_absolute_url())

    montreal = event.starts_at.astimezone(ZoneInfo("America/Montreal"))
    assert montreal.strftime("%H:%M") in response.text
    assert "America/Montreal" in response.text


def test_a_members_only_event_is_a_403_for_outsiders_and_visitors(
    client, club, organiser, venue, member, outsider
):
    with zeal_ignore():
        private = make_event(club, organiser, venue, visibility=Event.Visibility.MEMBERS)

    anonymous = client.get(private.get_absolute_url())
    client.force_login(outsider)
    as_outsider = client.get(private.get_absolute_url())
    client.force_login(member)
    as_member = client.get(private.get_absolute_url())

    assert anonymous.status_code == 403
    assert as_outsider.status_code == 403
    assert "members of its network" in as_outsider.text
    assert as_member.status_code == 200


def test_a_draft_exists_for_its_organisers_only(client, club, organiser, venue, member):
    with zeal_ignore():
        draft = make_event(club, organiser, venue, status=Event.Status.DRAFT)

    client.force_login(member)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(organiser)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft." in response.text
    assert reverse("events:publish", args=[draft.pk]) in response.text


def test_an_unknown_event_is_a_404(client):
    assert client.get("/events/999999/").status_code == 404


def test_a_cancelled_event_says_so_with_its_reason(client, organiser, event):
    with zeal_ignore():
        services.cancel_event(actor=organiser, event=event, reason="Projecteur en panne")

    response = client.get(event.get_absolute_url())

    assert "This event is cancelled." in response.text
    assert "Projecteur en panne" in response.text
    assert json_ld(response)["eventStatus"] == "https://schema.org/EventCancelled"


def test_a_public_screening_carries_schema_org_json_ld(client, event, venue, film):
    data = json_ld(client.get(event.get_absolute_url()))

    assert data["@type"] == "ScreeningEvent"
    assert data["name"] == event.title
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["startDate"].endswith(("+01:00", "+02:00"))
    assert "T20:30:00" in data["startDate"]
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["postalCode"] == venue.postcode
    assert data["organizer"] == {
        "@type": "Organization",
        "name": event.network.name,
        "url": "http://testserver" + event.network.get_absolute_url(),
    }
    assert data["workPresented"][0]["@type"] == "Movie"
    assert data["workPresented"][0]["name"] == film.title


def test_an_online_workshop_is_a_plain_event_at_a_virtual_location(client, club, organiser):
    with zeal_ignore():
        online = make_event(
            club,
            organiser,
            None,
            kind=Event.Kind.WORKSHOP,
            online_url="https://visio.example/atelier",
        )

    data = json_ld(client.get(online.get_absolute_url()))

    assert data["@type"] == "Event"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://visio.example/atelier"}
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"


def test_no_json_ld_on_members_only_or_draft_events(client, club, organiser, venue, member):
    with zeal_ignore():
        private = make_event(club, organiser, venue, visibility=Event.Visibility.MEMBERS)
        draft = make_event(club, organiser, venue, status=Event.Status.DRAFT)

    client.force_login(organiser)

    assert json_ld(client.get(private.get_absolute_url())) is None
    assert json_ld(client.get(draft.get_absolute_url())) is None


def test_a_title_cannot_break_out_of_the_json_ld_script(client, club, organiser, venue):
    with zeal_ignore():
        event = make_event(club, organiser, venue, title="</script><script>alert(1)</script>")

    html = client.get(event.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


def test_a_festival_page_shows_its_programme_in_order(client, club, organiser, venue, film):
    with zeal_ignore():
        festival = make_event(
            club,
            organiser,
            venue,
            kind=Event.Kind.FESTIVAL,
            title="Festival en plein air",
            starts_at=next_week_at(10),
            ends_at=next_week_at(10, days=10),
        )
        make_event(
            club,
            organiser,
            venue,
            film,
            title="Deuxième soir",
            festival=festival,
            starts_at=next_week_at(21, days=8),
        )
        make_event(
            club,
            organiser,
            venue,
            title="Premier soir",
            festival=festival,
            starts_at=next_week_at(21),
        )
        make_event(
            club,
            organiser,
            venue,
            title="Soirée des membres",
            festival=festival,
            visibility=Event.Visibility.MEMBERS,
        )

    response = client.get(festival.get_absolute_url())

    assert [e.title for e in response.context["programme"]] == ["Premier soir", "Deuxième soir"]
    assert response.text.index("Premier soir") < response.text.index("Deuxième soir")


def test_the_event_page_query_count_does_not_grow_with_films_and_people(
    client, event, organiser, member, django_assert_max_num_queries
):
    from contrechamp.films import services as film_services

    client.force_login(member)
    with django_assert_max_num_queries(30) as first:
        client.get(event.get_absolute_url())
    with zeal_ignore():
        for number in range(8):
            film = film_services.create_film(actor=organiser, title=f"Court {number}", year=1960)
            Screening.objects.create(event=event, film=film, position=number + 1)
            Rsvp.objects.create(event=event, member=UserFactory.create(), status=Rsvp.Status.GOING)

    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(event.get_absolute_url())


# Creating and editing


def test_a_member_who_organises_nothing_cannot_open_the_form(client, member):
    client.force_login(member)

    assert client.get(reverse("events:create")).status_code == 403


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("events:create"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_organiser_creates_a_draft_through_the_form(client, organiser, club, venue, film):
    client.force_login(organiser)

    form = client.get(reverse("events:create"), {"network": club.slug})
    response = client.post(reverse("events:create"), event_form(club, venue))

    assert form.status_code == 200
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert event.status == Event.Status.DRAFT
    assert [s.film for s in event.screenings.all()] == [film]
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "20:30"


def test_the_form_creates_a_monthly_series(client, organiser, club, venue, film):
    client.force_login(organiser)
    first = next_week_at(20, 30)

    client.post(
        reverse("events:create"),
        event_form(club, venue, repeat="monthly_weekday", occurrences="6"),
    )

    events = list(Event.objects.order_by("starts_at"))
    assert len(events) == 6
    assert events[0].starts_at == first
    assert {e.series_id for e in events} == {events[0].series_id}
    assert all(timezone.localtime(e.starts_at).weekday() == first.weekday() for e in events)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": next_week_at(19).strftime("%Y-%m-%dT%H:%M")}, "end must come after"),
        ({"capacity": "0"}, "greater than or equal to 1"),
        ({"capacity": "-3"}, "greater than or equal to 1"),
        ({"capacity": "beaucoup"}, "whole number"),
        ({"time_zone": "Mars/Olympus"}, "valid choice"),
        ({"repeat": "weekly"}, "number of dates or the last date"),
        ({"repeat": "weekly", "occurrences": "500"}, "less than or equal to 100"),
        ({"films": "Un film qui n'existe pas"}, "No film of the catalogue"),
        ({"starts_at": "demain soir"}, "valid date/time"),
        ({"starts_at": "0001-01-01T00:00"}, "valid date/time"),
        ({"kind": Event.Kind.WATCH_PARTY}, "online link"),
        ({"title": " "}, "This field is required"),
        ({"venue": "999999"}, "valid choice"),
        ({"network": "not-mine"}, "valid choice"),
    ],
)
def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(
    client, organiser, club, venue, film, overrides, message
):
    client.force_login(organiser)
    data = event_form(club, venue, description="Mon texte soigné", **overrides)

    response = client.post(reverse("events:create"), data)

    assert response.status_code == 200
    assert message in response.text
    assert "Mon texte soigné" in response.text
    assert not Event.objects.exists()


def test_an_organiser_edits_the_whole_series_from_one_date(client, organiser, club, venue, film):
    with zeal_ignore():
        first = services.create_event(
            actor=organiser,
            network=club,
            details=services.EventDetails(
                kind=Event.Kind.SCREENING,
                title="Ciné-club",
                starts_at=next_week_at(20, 30),
                ends_at=next_week_at(22, 30),
                venue=venue,
            ),
            films=[film],
            recurrence="FREQ=WEEKLY;COUNT=3",
        )
    client.force_login(organiser)

    form = client.get(reverse("events:edit", args=[first.pk]))
    data = event_form(club, venue, title="Ciné-club (nouvel horaire)", scope="series")
    data["starts_at"] = next_week_at(21).strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = next_week_at(23).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("events:edit", args=[first.pk]), data)

    assert 'value="series"' in form.text
    assert response.status_code == 302
    assert set(Event.objects.values_list("title", flat=True)) == {"Ciné-club (nouvel horaire)"}
    assert {timezone.localtime(e.starts_at).strftime("%H:%M") for e in Event.objects.all()} == {
        "21:00"
    }


def test_a_member_cannot_edit_through_the_form(client, member, event):
    client.force_login(member)

    assert client.get(reverse("events:edit", args=[event.pk])).status_code == 403
    response = client.post(reverse("events:edit", args=[event.pk]), {"title": "Piraté"})
    assert response.status_code == 403


def test_an_ended_event_offers_no_form(client, organiser, event):
    client.force_login(organiser)
    with time_machine.travel(event.ends_at + timedelta(hours=1)):
        response = client.get(reverse("events:edit", args=[event.pk]))

    assert response.status_code == 200
    assert "it can no longer be changed" in response.text
    assert 'name="title"' not in response.text


# Publishing, cancelling, deleting


def test_publishing_without_rights_asks_for_confirmation_then_publishes(
    client, organiser, club, venue, film
):
    with zeal_ignore():
        draft = make_event(club, organiser, venue, film, status=Event.Status.DRAFT)
        Screening.objects.filter(event=draft).update(rights_status=Screening.RightsStatus.REQUESTED)
    client.force_login(organiser)

    warned = client.post(reverse("events:publish", args=[draft.pk]))
    draft.refresh_from_db()
    status_after_warning = draft.status
    confirmed = client.post(
        reverse("events:publish", args=[draft.pk]), {"acknowledge_missing_rights": "on"}
    )

    assert warned.status_code == 200
    assert "Le Voyage dans la Lune" in warned.text
    assert "Publish anyway" in warned.text
    assert status_after_warning == Event.Status.DRAFT
    assert confirmed.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Event.Status.PUBLISHED


def test_publishing_is_a_post_for_organisers(client, organiser, member, club, venue):
    with zeal_ignore():
        draft = make_event(club, organiser, venue, status=Event.Status.DRAFT)
    client.force_login(organiser)
    assert client.get(reverse("events:publish", args=[draft.pk])).status_code == 405
    client.force_login(member)
    assert client.post(reverse("events:publish", args=[draft.pk])).status_code == 404


def test_publishing_twice_says_so_on_the_event_page(client, organiser, event):
    client.force_login(organiser)

    response = client.post(reverse("events:publish", args=[event.pk]), follow=True)

    assert "already published" in response.text


def test_cancelling_through_the_page_tells_the_people_coming(client, organiser, event, member):
    with zeal_ignore():
        Rsvp.objects.create(event=event, member=member, status=Rsvp.Status.GOING)
    client.force_login(organiser)

    empty = client.post(reverse("events:cancel", args=[event.pk]), {"reason": "  "})
    response = client.post(reverse("events:cancel", args=[event.pk]), {"reason": "Orage"})

    assert empty.status_code == 200
    assert "This field is required" in empty.text
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert Notification.objects.filter(recipient=member, kind="events.event_cancelled").exists()


def test_a_draft_is_deleted_after_confirmation(client, organiser, club, venue):
    with zeal_ignore():
        draft = make_event(club, organiser, venue, status=Event.Status.DRAFT)
    client.force_login(organiser)

    confirm = client.get(reverse("events:delete", args=[draft.pk]))
    response = client.post(reverse("events:delete", args=[draft.pk]))

    assert confirm.status_code == 200
    assert response["Location"] == reverse("events:network_calendar", args=[club.slug])
    assert not Event.objects.exists()


def test_deleting_a_published_event_is_refused_with_a_message(client, organiser, event):
    client.force_login(organiser)

    response = client.post(reverse("events:delete", args=[event.pk]), follow=True)

    assert "Only a draft can be deleted" in response.text
    assert Event.objects.filter(pk=event.pk).exists()
