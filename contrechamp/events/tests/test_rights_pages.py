"""The rights pages: the directory of rights holders, the rights of a screening, a
network's checklist, and the rights panel shown on the event page."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.events.models import Event, RightsHolder, Screening
from contrechamp.events.queries.rights import rights_panel
from contrechamp.events.services import rights
from contrechamp.events.services.rights import RightsHolderDetails
from contrechamp.events.tests.conftest import city, next_week_at
from contrechamp.films import services as film_services
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network

pytestmark = pytest.mark.django_db

Status = Screening.RightsStatus


def add_holder(actor, name, kind=RightsHolder.Kind.DISTRIBUTOR, **fields):
    return rights.create_rights_holder(
        actor=actor, details=RightsHolderDetails(name=name, kind=kind, **fields)
    )


def make_event(club, organiser, title="Nuit Varda", days=14, **fields):
    starts_at = next_week_at(20, 30, days=days)
    fields.setdefault("status", Event.Status.PUBLISHED)
    return Event.objects.create(
        network=club,
        kind=Event.Kind.SCREENING,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        created_by=organiser,
        **fields,
    )


def add_screenings(event, organiser, count, start=0, **fields):
    """`count` screenings of new films at `event`, recorded with `fields`."""
    with zeal_ignore():
        for number in range(start, start + count):
            film = film_services.create_film(
                actor=organiser, title=f"Court métrage {number}", year=1960 + number % 50
            )
            Screening.objects.create(event=event, film=film, position=number + 1, **fields)


@pytest.fixture
def cleo(event, organiser):
    film = film_services.create_film(
        actor=organiser, title="Cléo de 5 à 7", year=1962, directors=["Agnès Varda"]
    )
    return Screening.objects.create(event=event, film=film, position=1)


@pytest.fixture
def tamaris(organiser):
    return add_holder(
        organiser,
        "Ciné Tamaris",
        RightsHolder.Kind.PRODUCER,
        notes="Answers **within a week**.",
        how_to_request="Write with the date and the venue.",
    )


def rights_url(screening):
    return reverse("events:screening_rights", args=[screening.event_id, screening.pk])


def rights_form(**overrides):
    data = {
        "holder": "",
        "status": Status.TO_REQUEST,
        "licence_reference": "",
        "fee": "",
        "requested_on": "",
        "answered_on": "",
        "notes": "",
    }
    data.update(overrides)
    return data


# --- The directory


def test_anyone_can_browse_and_search_the_directory(client, organiser):
    add_holder(organiser, "La Cinémathèque française", RightsHolder.Kind.CINEMATHEQUE)
    add_holder(organiser, "Les Films du Losange")
    add_holder(organiser, "Swank Films Distribution France", RightsHolder.Kind.NON_THEATRICAL)

    everything = client.get(reverse("events:rights_holders"))
    by_name = client.get(reverse("events:rights_holders"), {"q": "cinematheque FRANCAISE"})
    by_kind = client.get(reverse("events:rights_holders"), {"kind": "non_theatrical"})
    by_words = client.get(reverse("events:rights_holders"), {"q": "films losange"})

    assert everything.status_code == 200
    assert len(everything.context["page_obj"]) == 3
    assert [h.name for h in by_name.context["page_obj"]] == ["La Cinémathèque française"]
    assert [h.name for h in by_kind.context["page_obj"]] == ["Swank Films Distribution France"]
    assert [h.name for h in by_words.context["page_obj"]] == ["Les Films du Losange"]


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "studio"},
        {"page": "9999"},
        {"page": "-1"},
        {"page": "abc"},
        {"q": "x" * 5000},
        {"q": "'; DROP TABLE events_rightsholder; --"},
        {"q": "%00"},
    ],
)
def test_odd_directory_queries_give_a_page_never_an_error(client, organiser, query):
    add_holder(organiser, "Lobster Films", RightsHolder.Kind.CINEMATHEQUE)

    response = client.get(reverse("events:rights_holders"), query)

    assert response.status_code == 200


def test_the_directory_query_count_does_not_grow_with_its_size(
    client, organiser, django_assert_num_queries
):
    with zeal_ignore():
        for number in range(3):
            add_holder(organiser, f"Distributeur {number}")
    with django_assert_num_queries(2) as few:
        client.get(reverse("events:rights_holders"))
    with zeal_ignore():
        for number in range(3, 30):
            add_holder(organiser, f"Distributeur {number}")

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("events:rights_holders"))
    assert len(response.context["page_obj"]) == 20


def test_a_holders_page_shows_contact_request_notes_and_who_changed_it(client, tamaris, organiser):
    response = client.get(tamaris.get_absolute_url())

    assert response.status_code == 200
    assert "Ciné Tamaris" in response.text
    assert "<strong>within a week</strong>" in response.text
    assert "Write with the date and the venue." in response.text
    assert "Last changed by Juliette" in response.text


def test_an_unknown_holder_is_not_found(client):
    assert client.get(reverse("events:rights_holder", args=[9999])).status_code == 404


def test_a_holders_page_counts_only_screenings_of_events_the_viewer_may_see(
    client, event, cleo, tamaris, organiser, member, outsider
):
    rights.record_rights(actor=organiser, screening=cleo, holder=tamaris, status=Status.GRANTED)
    with zeal_ignore():
        secret = make_event(
            event.network, organiser, "Séance entre nous", visibility=Event.Visibility.MEMBERS
        )
        add_screenings(secret, organiser, 2, rights_holder=tamaris)

    as_outsider = client.get(tamaris.get_absolute_url())
    client.force_login(member)
    as_member = client.get(tamaris.get_absolute_url())

    assert as_outsider.context["record"].count == 1
    assert "Séance entre nous" not in as_outsider.text
    assert "Cléo de 5 à 7" in as_outsider.text
    assert as_member.context["record"].count == 3
    assert "Séance entre nous" in as_member.text


def test_anonymous_visitors_cannot_add_or_edit_holders(client, tamaris):
    for url in (
        reverse("events:rights_holder_create"),
        reverse("events:rights_holder_edit", args=[tamaris.pk]),
    ):
        response = client.post(url, {"name": "Vandal", "kind": "other"})
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    assert RightsHolder.objects.count() == 1


def test_a_member_adds_a_holder_through_the_form(client, member):
    client.force_login(member)

    response = client.post(
        reverse("events:rights_holder_create"),
        {"name": "Potemkine Films", "kind": "distributor", "website": "potemkine.example"},
    )

    holder = RightsHolder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == holder.get_absolute_url()
    assert holder.website == "https://potemkine.example"
    assert holder.created_by == member


def test_adding_a_holder_from_a_screening_goes_back_to_that_screening(client, organiser, cleo):
    client.force_login(organiser)
    back = rights_url(cleo)

    page = client.get(back)
    response = client.post(
        reverse("events:rights_holder_create") + f"?next={back}",
        {"name": "Ciné Tamaris", "kind": "producer", "next": back},
    )

    assert f"?next={back}" in page.text
    assert response["Location"] == back


def test_a_next_address_outside_the_site_is_ignored(client, member):
    client.force_login(member)

    response = client.post(
        reverse("events:rights_holder_create"),
        {"name": "Ciné Tamaris", "kind": "producer", "next": "https://evil.example/"},
    )

    assert response["Location"] == RightsHolder.objects.get().get_absolute_url()


def test_a_duplicate_holder_is_refused_beside_the_name_keeping_what_was_typed(
    client, member, tamaris
):
    client.force_login(member)

    response = client.post(
        reverse("events:rights_holder_create"),
        {"name": "CINE TAMARIS", "kind": "producer", "notes": "Très réactifs."},
    )

    assert response.status_code == 200
    assert "“Ciné Tamaris” is already in the directory" in response.text
    assert 'value="CINE TAMARIS"' in response.text
    assert "Très réactifs." in response.text
    assert RightsHolder.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "kind": "producer"},
        {"name": "Tamaris", "kind": "studio"},
        {"name": "Tamaris", "kind": "producer", "website": "javascript:alert(1)"},
        {"name": "Tamaris", "kind": "producer", "email": "nope"},
        {"name": "Tamaris", "kind": "producer", "phone": "call them please"},
        {"name": "T" * 151, "kind": "producer"},
        {"name": "Tamaris", "kind": "producer", "notes": "n" * 5001},
    ],
)
def test_bad_holder_input_is_explained_never_an_error(client, member, data):
    client.force_login(member)

    response = client.post(reverse("events:rights_holder_create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not RightsHolder.objects.exists()


def test_any_member_edits_a_holder_and_the_page_says_so(client, member, tamaris):
    client.force_login(member)
    url = reverse("events:rights_holder_edit", args=[tamaris.pk])

    form = client.get(url)
    response = client.post(
        url, {"name": "Ciné Tamaris", "kind": "producer", "notes": "Ask for the DCP."}
    )

    assert 'value="Ciné Tamaris"' in form.text
    assert response.status_code == 302
    page = client.get(tamaris.get_absolute_url())
    assert "Ask for the DCP." in page.text
    assert "Last changed by Nora" in page.text


def test_editing_an_unknown_holder_is_not_found(client, member):
    client.force_login(member)

    assert client.get(reverse("events:rights_holder_edit", args=[9999])).status_code == 404


# --- The rights of a screening


def test_the_rights_page_offers_holders_by_name_and_a_link_to_add_one(
    client, organiser, cleo, tamaris
):
    add_holder(organiser, "Agence du court métrage", RightsHolder.Kind.DISTRIBUTOR)
    add_holder(organiser, "Lobster Films", RightsHolder.Kind.CINEMATHEQUE)
    client.force_login(organiser)

    response = client.get(rights_url(cleo))

    assert response.status_code == 200
    holders = [str(choice[1]) for choice in response.context["form"].fields["holder"].choices]
    assert holders[1:] == ["Agence du court métrage", "Ciné Tamaris", "Lobster Films"]
    assert reverse("events:rights_holder_create") in response.text
    assert 'enctype="multipart/form-data"' in response.text


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_the_rights_page_is_forbidden_to_members_and_outsiders(client, request, cleo, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(rights_url(cleo))
    posted = client.post(rights_url(cleo), rights_form(status=Status.PUBLIC_DOMAIN))

    assert response.status_code == 403
    assert "Only organisers and admins" in response.text
    assert posted.status_code == 403
    cleo.refresh_from_db()
    assert cleo.rights_status == Status.TO_REQUEST


def test_anonymous_visitors_are_sent_to_sign_in_for_the_rights_page(client, cleo):
    response = client.get(rights_url(cleo))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_screening_of_another_event_is_not_found(client, organiser, club, cleo):
    other = make_event(club, organiser)
    client.force_login(organiser)

    response = client.get(reverse("events:screening_rights", args=[other.pk, cleo.pk]))

    assert response.status_code == 404


def test_an_organiser_records_granted_rights_through_the_page(client, organiser, cleo, tamaris):
    client.force_login(organiser)
    yesterday = timezone.localdate() - timedelta(days=1)

    response = client.post(
        rights_url(cleo),
        rights_form(
            holder=tamaris.pk,
            status=Status.GRANTED,
            licence_reference="CT-2026-041",
            fee="120.50",
            requested_on=(yesterday - timedelta(days=7)).isoformat(),
            answered_on=yesterday.isoformat(),
        ),
        follow=True,
    )

    cleo.refresh_from_db()
    assert cleo.rights_status == Status.GRANTED
    assert cleo.rights_holder == tamaris
    assert str(cleo.fee) == "120.50"
    assert "The rights of Cléo de 5 à 7 are recorded." in response.text
    assert 'value="CT-2026-041"' in response.text
    assert "Last recorded by Juliette" in response.text


def test_recording_a_private_circle_says_the_event_is_now_for_members(
    client, organiser, event, cleo
):
    client.force_login(organiser)

    response = client.post(rights_url(cleo), rights_form(status=Status.PRIVATE_CIRCLE), follow=True)

    event.refresh_from_db()
    assert event.visibility == Event.Visibility.MEMBERS
    assert "the event is now for members only" in response.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"status": Status.GRANTED}, "Granted rights come from someone"),
        ({"fee": "-5"}, "greater than or equal to 0"),
        ({"fee": "12.345"}, "no more than 2 decimal places"),
        ({"fee": "1000000000"}, "less than or equal to 100000"),
        ({"fee": "douze euros"}, "Enter a number"),
        ({"requested_on": "2026-13-45"}, "Enter a valid date"),
        ({"requested_on": "2024-05-10", "answered_on": "2024-05-01"}, "cannot come before"),
        ({"status": "stolen"}, "Select a valid choice"),
        ({"holder": "999999"}, "Select a valid choice"),
        ({"licence_reference": "R" * 101}, "at most 100 characters"),
    ],
)
def test_bad_rights_input_is_explained_keeping_what_was_typed(
    client, organiser, cleo, overrides, message
):
    client.force_login(organiser)
    data = rights_form(notes="Relancer en juin.", **overrides)

    response = client.post(rights_url(cleo), data)

    assert response.status_code == 200
    assert message in response.text
    assert "Relancer en juin." in response.text
    cleo.refresh_from_db()
    assert cleo.rights_updated_at is None


# --- The checklist of a network


def test_the_checklist_lists_coming_screenings_still_missing_rights(
    client, organiser, club, event, cleo, tamaris
):
    rights.record_rights(actor=organiser, screening=cleo, holder=tamaris, status=Status.REQUESTED)
    with zeal_ignore():
        draft = make_event(club, organiser, "Brouillon", status=Event.Status.DRAFT)
        add_screenings(draft, organiser, 1, start=10)
        cancelled = make_event(club, organiser, "Annulée", status=Event.Status.CANCELLED)
        add_screenings(cancelled, organiser, 1, start=20)
        past = make_event(club, organiser, "Passée", days=-30)
        add_screenings(past, organiser, 1, start=30)
        private = make_event(club, organiser, "Entre nous", visibility=Event.Visibility.MEMBERS)
        add_screenings(private, organiser, 1, start=40, rights_status=Status.PRIVATE_CIRCLE)
        cleared = make_event(club, organiser, "En règle")
        add_screenings(cleared, organiser, 1, start=50, rights_status=Status.PUBLIC_DOMAIN)
    client.force_login(organiser)

    response = client.get(reverse("events:rights_checklist", args=[club.slug]))

    assert response.status_code == 200
    listed = [event.title for event in response.context["page_obj"]]
    assert listed == [event.title, "Brouillon"]
    first = response.context["page_obj"][0]
    assert [s.film.title for s in first.missing_screenings] == ["Cléo de 5 à 7"]
    assert "Requested" in response.text
    assert rights_url(cleo) in response.text


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_the_checklist_is_for_organisers_only(client, request, club, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("events:rights_checklist", args=[club.slug]))

    assert response.status_code == 403


def test_the_checklist_of_another_network_is_forbidden_to_our_organisers(client, organiser):
    founder = UserFactory.create(username="mathilde")
    other = network_services.create_network(
        actor=founder,
        name="Ciné-club de Brest",
        kind=Network.Kind.CINE_CLUB,
        join_policy=Network.JoinPolicy.OPEN,
        place=city("Brest"),
    )
    client.force_login(organiser)

    response = client.get(reverse("events:rights_checklist", args=[other.slug]))

    assert response.status_code == 403


def test_anonymous_visitors_and_unknown_networks(client, organiser, club):
    response = client.get(reverse("events:rights_checklist", args=[club.slug]))
    client.force_login(organiser)

    assert response.status_code == 302
    assert client.get(reverse("events:rights_checklist", args=["nowhere"])).status_code == 404


def test_the_checklist_query_count_does_not_grow_with_screenings(
    client, organiser, club, django_assert_num_queries, django_assert_max_num_queries
):
    with zeal_ignore():
        for number in range(2):
            add_screenings(make_event(club, organiser, f"Soirée {number}"), organiser, 1, number)
    client.force_login(organiser)
    url = reverse("events:rights_checklist", args=[club.slug])
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    with zeal_ignore():
        for number in range(2, 20):
            add_screenings(
                make_event(club, organiser, f"Soirée {number}"), organiser, 1, start=number * 10
            )

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page_obj"]) == 20


# --- The panel on the event page


def test_the_panel_query_count_does_not_grow_with_screenings(
    organiser, event, tamaris, django_assert_num_queries, django_assert_max_num_queries
):
    add_screenings(event, organiser, 1, rights_holder=tamaris)
    with django_assert_max_num_queries(5) as few:
        render_to_string(
            "events/rights/_panel.html",
            {"rights": rights_panel(event=event, viewer=organiser), "event": event},
        )
    add_screenings(event, organiser, 18, start=1, rights_holder=tamaris)
    with zeal_ignore():
        for screening in event.screenings.all()[:5]:
            rights.attach_rights_document(
                actor=organiser,
                screening=screening,
                upload=_pdf(f"licence-{screening.pk}.pdf"),
            )

    with django_assert_num_queries(len(few.captured_queries)):
        html = render_to_string(
            "events/rights/_panel.html",
            {"rights": rights_panel(event=event, viewer=organiser), "event": event},
        )
    assert html.count("Edit rights") == 20


def test_the_panel_warns_about_missing_rights_and_links_each_screening(organiser, event, cleo):
    html = render_to_string(
        "events/rights/_panel.html",
        {"rights": rights_panel(event=event, viewer=organiser), "event": event},
    )

    assert "Rights are missing for a public showing." in html
    assert "Cléo de 5 à 7" in html
    assert rights_url(cleo) in html
    assert reverse("events:rights_checklist", args=[event.network.slug]) in html


def test_the_panel_shows_a_granted_licence_still_to_write_down(organiser, event, cleo, tamaris):
    rights.record_rights(actor=organiser, screening=cleo, holder=tamaris, status=Status.GRANTED)

    html = render_to_string(
        "events/rights/_panel.html",
        {"rights": rights_panel(event=event, viewer=organiser), "event": event},
    )

    assert "Rights are missing" not in html
    assert "Missing: write it down when the licence arrives." in html


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _pdf(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
