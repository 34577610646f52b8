"""The attendance panel of the event page, the door list, the shifts page and "my events":
the wiring of the services, their refusals as messages, and query counts that do not grow
with the number of people."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from contrechamp.accounts import code_of_conduct
from contrechamp.accounts.models import User
from contrechamp.events import attendance_setup
from contrechamp.events.models import Event, Rsvp, Shift, ShiftSignup
from contrechamp.events.queries.attendance import attendance_panel
from contrechamp.events.services import attendance as services

pytestmark = pytest.mark.django_db

GOING, MAYBE = Rsvp.Status.GOING, Rsvp.Status.MAYBE
WAITLISTED, CANCELLED = Rsvp.Status.WAITLISTED, Rsvp.Status.CANCELLED


@pytest.fixture(autouse=True)
def _kinds():
    attendance_setup.register()


def crowd(event, count, *, status=GOING, start=0):
    """`count` people with the same answer for `event`, written in bulk."""
    people = User.objects.bulk_create(
        User(
            username=f"public{n}",
            display_name=f"Spectatrice {n:03d}",
            code_of_conduct_version=code_of_conduct.CURRENT_VERSION,
        )
        for n in range(start, start + count)
    )
    now = timezone.now()
    Rsvp.objects.bulk_create(
        Rsvp(
            event=event,
            member=person,
            status=status,
            waitlisted_at=now + timedelta(seconds=n) if status == WAITLISTED else None,
        )
        for n, person in enumerate(people)
    )
    return people


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def rsvp_url(event):
    return reverse("events:rsvp", args=[event.pk])


def on_the_day(event):
    return time_machine.travel(event.starts_at - timedelta(hours=1))


@pytest.fixture
def shift(event):
    return Shift.objects.create(
        event=event,
        role=Shift.Role.BAR,
        label="Buvette",
        starts_at=event.starts_at - timedelta(minutes=30),
        ends_at=event.ends_at,
        slots=2,
    )


# The panel and answering


def test_the_event_page_shows_seats_left_and_the_answer_buttons(client, event, member):
    crowd(event, 3)
    client.force_login(member)

    page = client.get(event.get_absolute_url()).text

    assert "77 seats left out of 80" in page
    assert 'name="status" value="going"' in page
    assert rsvp_url(event) in page


def test_a_visitor_is_invited_to_sign_in_to_answer(client, event):
    page = client.get(event.get_absolute_url()).text

    assert "Sign in to say whether you are coming" in page
    assert 'value="going"' not in page


def test_a_member_says_going_and_comes_back_to_the_event_page(client, event, member):
    client.force_login(member)

    response = client.post(rsvp_url(event), {"status": GOING}, follow=True)

    assert response.redirect_chain[-1][0] == event.get_absolute_url()
    assert "You are going: see you there!" in messages_of(response)
    assert "You are going." in response.text
    assert Rsvp.objects.get(member=member).status == GOING


def test_a_full_event_tells_the_member_their_place_on_the_waitlist(client, event, member):
    event.capacity = 2
    event.save(update_fields=["capacity"])
    crowd(event, 2)
    crowd(event, 1, status=WAITLISTED, start=2)
    client.force_login(member)

    response = client.post(rsvp_url(event), {"status": GOING}, follow=True)

    assert any("number 2 on the waitlist" in m for m in messages_of(response))
    assert "You are number 2 on the waitlist." in response.text
    assert "Leave the waitlist" in response.text


@pytest.mark.parametrize("data", [{}, {"status": "waitlisted"}, {"status": "oui" * 300}])
def test_an_answer_that_is_not_a_choice_comes_back_as_a_message(client, event, member, data):
    client.force_login(member)

    response = client.post(rsvp_url(event), data, follow=True)

    assert response.status_code == 200
    assert "Answer going, maybe or not going." in messages_of(response)
    assert not Rsvp.objects.exists()


def test_answering_an_event_that_is_over_says_why_without_an_error_page(client, event, member):
    client.force_login(member)

    with time_machine.travel(event.ends_at + timedelta(days=1)):
        response = client.post(rsvp_url(event), {"status": GOING}, follow=True)

    assert response.status_code == 200
    assert "This event is over." in messages_of(response)


def test_answering_a_cancelled_event_says_why(client, event, member):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    client.force_login(member)

    response = client.post(rsvp_url(event), {"status": GOING}, follow=True)

    assert "This event is cancelled." in messages_of(response)


def test_a_visitor_answering_is_sent_to_sign_in(client, event):
    response = client.post(rsvp_url(event), {"status": GOING})

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_an_outsider_answering_for_a_members_only_event_gets_the_403_page(client, event, outsider):
    Event.objects.filter(pk=event.pk).update(visibility=Event.Visibility.MEMBERS)
    client.force_login(outsider)

    response = client.post(rsvp_url(event), {"status": GOING})

    assert response.status_code == 403
    assert not Rsvp.objects.exists()


def test_answering_an_event_that_does_not_exist_is_a_404(client, member):
    client.force_login(member)

    assert client.post(reverse("events:rsvp", args=[999999]), {"status": GOING}).status_code == 404


def test_an_htmx_answer_gets_the_panel_back_with_what_happened(client, event, member):
    client.force_login(member)

    response = client.post(rsvp_url(event), {"status": MAYBE}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.text.lstrip().startswith("<section")
    assert 'id="attendance"' in response.text
    assert "Noted: you might come." in response.text
    assert "You might come." in response.text


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": Event.Status.CANCELLED}, "This event is cancelled."),
        ({"visibility": Event.Visibility.MEMBERS}, None),
    ],
)
def test_the_panel_says_why_the_buttons_are_missing(event, member, change, reason):
    Event.objects.filter(pk=event.pk).update(**change)
    event.refresh_from_db()

    panel = attendance_panel(event=event, viewer=member)

    assert panel.can_rsvp is (reason is None)
    assert panel.why_not == reason


def test_the_panel_tells_a_non_member_why_they_cannot_volunteer(event, outsider, shift):
    panel = attendance_panel(event=event, viewer=outsider)

    assert panel.can_rsvp
    assert not panel.can_volunteer
    assert panel.why_not_volunteer == (
        "Only members of the organising network can volunteer for its shifts."
    )


def test_the_panel_costs_five_queries_whatever_the_number_of_answers(
    event, member, django_assert_num_queries
):
    waiting = services.rsvp(actor=member, event=event, status=GOING)
    Rsvp.objects.filter(pk=waiting.pk).update(
        status=WAITLISTED, waitlisted_at=timezone.now() + timedelta(days=1)
    )
    event.capacity = 5
    event.save(update_fields=["capacity"])
    crowd(event, 5)
    with django_assert_num_queries(5):
        few = attendance_panel(event=event, viewer=member)
    crowd(event, 45, status=WAITLISTED, start=5)

    with django_assert_num_queries(5):
        many = attendance_panel(event=event, viewer=member)

    assert (few.going_count, few.my_waitlist_position, few.seats_left) == (5, 1, 0)
    assert (many.waitlist_count, many.my_waitlist_position) == (46, 46)


def test_the_event_page_query_count_does_not_grow_with_answers(
    client, event, member, shift, django_assert_max_num_queries
):
    client.force_login(member)
    crowd(event, 5)
    with django_assert_max_num_queries(40) as few:
        client.get(event.get_absolute_url())
    crowd(event, 45, start=5)
    ShiftSignup.objects.bulk_create(
        ShiftSignup(shift=shift, volunteer=person) for person in User.objects.all()[:2]
    )

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(event.get_absolute_url())

    assert "50 people going" in response.text


# The door


def test_an_organiser_sees_the_attendees_by_name(client, event, organiser):
    crowd(event, 3)
    crowd(event, 2, status=MAYBE, start=3)
    client.force_login(organiser)

    response = client.get(reverse("events:attendees", args=[event.pk]))

    assert response.status_code == 200
    names = [answer.member.display_name for answer in response.context["page_obj"]]
    assert names == ["Spectatrice 000", "Spectatrice 001", "Spectatrice 002"]
    assert "Going (3)" in response.text
    assert "Maybe (2)" in response.text


def test_the_waitlist_shows_in_its_order(client, event, organiser):
    crowd(event, 3, status=WAITLISTED)
    client.force_login(organiser)

    response = client.get(reverse("events:attendees", args=[event.pk]), {"status": WAITLISTED})

    names = [answer.member.display_name for answer in response.context["page_obj"]]
    assert names == ["Spectatrice 000", "Spectatrice 001", "Spectatrice 002"]


def test_the_door_list_searches_by_name(client, event, organiser):
    crowd(event, 12)
    client.force_login(organiser)

    response = client.get(reverse("events:attendees", args=[event.pk]), {"q": "trice 011"})

    assert [a.member.username for a in response.context["page_obj"]] == ["public11"]


@pytest.mark.parametrize(
    "query",
    [
        {"status": "<script>", "q": "x" * 5000},
        {"page": "999999999999999999999"},
        {"page": "-1", "status": ""},
        {"q": "%", "status": CANCELLED},
    ],
)
def test_the_door_list_answers_any_query_string(client, event, organiser, query):
    client.force_login(organiser)

    assert client.get(reverse("events:attendees", args=[event.pk]), query).status_code == 200


def test_members_and_outsiders_get_the_403_page_for_the_door_list(client, event, member, outsider):
    for someone in (member, outsider):
        client.force_login(someone)
        assert client.get(reverse("events:attendees", args=[event.pk])).status_code == 403


def test_a_visitor_is_sent_to_sign_in_for_the_door_list(client, event):
    response = client.get(reverse("events:attendees", args=[event.pk]))

    assert response.status_code == 302


def test_the_door_list_query_count_does_not_grow_with_answers(
    client, event, organiser, django_assert_max_num_queries
):
    client.force_login(organiser)
    crowd(event, 5)
    with on_the_day(event):
        Rsvp.objects.filter(member__username="public0").update(
            checked_in_at=timezone.now(), checked_in_by=organiser
        )
        with django_assert_max_num_queries(15) as few:
            client.get(reverse("events:attendees", args=[event.pk]))
        crowd(event, 45, start=5)
        Rsvp.objects.update(checked_in_at=timezone.now(), checked_in_by=organiser)

        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(reverse("events:attendees", args=[event.pk]))

    assert len(response.context["page_obj"]) == 50


def test_an_organiser_checks_someone_in_from_the_door_list(client, event, organiser, member):
    answer = services.rsvp(actor=member, event=event, status=GOING)
    client.force_login(organiser)
    door = reverse("events:attendees", args=[event.pk]) + "?q=Nora"

    with on_the_day(event):
        response = client.post(
            reverse("events:check_in", args=[event.pk, answer.pk]), {"next": door}, follow=True
        )

    assert response.redirect_chain[-1][0] == door
    assert "Nora is checked in." in messages_of(response)
    assert Rsvp.objects.get(pk=answer.pk).checked_in_by == organiser


def test_undoing_a_check_in_from_the_door_list(client, event, organiser, member):
    answer = services.rsvp(actor=member, event=event, status=GOING)
    client.force_login(organiser)
    url = reverse("events:check_in", args=[event.pk, answer.pk])

    with on_the_day(event):
        client.post(url)
        response = client.post(url, {"undo": "1"}, follow=True)

    assert "Nora is no longer checked in." in messages_of(response)
    assert Rsvp.objects.get(pk=answer.pk).checked_in_at is None


def test_checking_in_before_the_day_says_why(client, event, organiser, member):
    answer = services.rsvp(actor=member, event=event, status=GOING)
    client.force_login(organiser)

    response = client.post(reverse("events:check_in", args=[event.pk, answer.pk]), follow=True)

    assert "Check-in opens on the day of the event." in messages_of(response)


def test_a_check_in_url_mixing_two_events_is_a_404(client, event, organiser, member):
    answer = services.rsvp(actor=member, event=event, status=GOING)
    other = Event.objects.create(
        network=event.network,
        kind=event.kind,
        title="Autre soirée",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        status=Event.Status.PUBLISHED,
    )
    client.force_login(organiser)

    assert client.post(reverse("events:check_in", args=[other.pk, answer.pk])).status_code == 404


def test_a_member_checking_someone_in_gets_the_403_page(client, event, member):
    answer = services.rsvp(actor=member, event=event, status=GOING)
    client.force_login(member)

    with on_the_day(event):
        response = client.post(reverse("events:check_in", args=[event.pk, answer.pk]))

    assert response.status_code == 403


def test_a_walk_in_with_an_unknown_username_keeps_what_was_typed(client, event, organiser):
    client.force_login(organiser)

    with on_the_day(event):
        response = client.post(
            reverse("events:attendees", args=[event.pk]), {"username": "fantôme"}
        )

    assert response.status_code == 200
    assert "No member has this username." in response.text
    assert 'value="fantôme"' in response.text


def test_a_walk_in_is_checked_in_from_the_door_list(client, event, organiser, outsider):
    client.force_login(organiser)

    with on_the_day(event):
        response = client.post(
            reverse("events:attendees", args=[event.pk]), {"username": "outsider"}, follow=True
        )

    assert "Passant is checked in." in messages_of(response)
    assert Rsvp.objects.get(member=outsider).checked_in_at is not None


def test_a_walk_in_at_a_full_event_is_refused_beside_the_field(client, event, organiser, outsider):
    event.capacity = 1
    event.save(update_fields=["capacity"])
    crowd(event, 1)
    client.force_login(organiser)

    with on_the_day(event):
        response = client.post(
            reverse("events:attendees", args=[event.pk]), {"username": "outsider"}
        )

    assert response.status_code == 200
    assert "The event is full" in response.text
    assert 'value="outsider"' in response.text


def test_a_walk_in_before_the_day_says_why_beside_the_field(client, event, organiser, outsider):
    client.force_login(organiser)

    response = client.post(reverse("events:attendees", args=[event.pk]), {"username": "outsider"})

    assert response.status_code == 200
    assert "Check-in opens on the day of the event." in response.text
    assert not Rsvp.objects.exists()


def test_someone_without_a_display_name_is_listed_under_their_username(client, event, organiser):
    crowd(event, 2)
    User.objects.filter(username="public1").update(display_name="")
    client.force_login(organiser)

    response = client.get(reverse("events:attendees", args=[event.pk]))

    assert [a.member.username for a in response.context["page_obj"]] == ["public1", "public0"]


# Shifts


def shift_form(**overrides):
    data = {
        "role": Shift.Role.WELCOME,
        "label": "Accueil",
        "starts_at": "",
        "ends_at": "",
        "slots": "2",
    }
    data.update(overrides)
    return data


def local(moment, zone):
    return timezone.localtime(moment, ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def test_an_organiser_adds_a_shift_in_the_event_s_time_zone(client, event, organiser):
    Event.objects.filter(pk=event.pk).update(time_zone="America/Montreal")
    client.force_login(organiser)
    starts = local(event.starts_at - timedelta(hours=1), "America/Montreal")
    ends = local(event.starts_at, "America/Montreal")

    response = client.post(
        reverse("events:shifts", args=[event.pk]), shift_form(starts_at=starts, ends_at=ends)
    )

    assert response.status_code == 302
    added = Shift.objects.get()
    assert added.starts_at == event.starts_at - timedelta(hours=1)
    assert added.ends_at == event.starts_at
    page = client.get(reverse("events:shifts", args=[event.pk])).text
    assert "Welcome desk" in page


def test_a_shift_ending_before_it_starts_is_refused_and_the_form_keeps_its_values(
    client, event, organiser
):
    client.force_login(organiser)
    starts = local(event.starts_at, "Europe/Paris")
    ends = local(event.starts_at - timedelta(hours=1), "Europe/Paris")

    response = client.post(
        reverse("events:shifts", args=[event.pk]),
        shift_form(starts_at=starts, ends_at=ends, label="Caisse du soir"),
    )

    assert response.status_code == 200
    assert "The shift must end after it starts." in response.text
    assert 'value="Caisse du soir"' in response.text
    assert not Shift.objects.exists()


def test_a_shift_far_from_the_event_is_refused_with_the_window(client, event, organiser):
    client.force_login(organiser)
    starts = local(event.starts_at - timedelta(days=3), "Europe/Paris")
    ends = local(event.starts_at - timedelta(days=3, hours=-1), "Europe/Paris")

    response = client.post(
        reverse("events:shifts", args=[event.pk]), shift_form(starts_at=starts, ends_at=ends)
    )

    assert response.status_code == 200
    assert "A shift takes place around its event" in response.text


@pytest.mark.parametrize(
    "overrides",
    [
        {"slots": "0"},
        {"slots": "abc"},
        {"slots": "99999999999999999999"},
        {"role": "chef"},
        {"starts_at": "demain soir"},
        {"starts_at": "2026-02-30T20:00"},
        {"label": "x" * 500},
    ],
)
def test_bad_shift_fields_come_back_on_the_form(client, event, organiser, overrides):
    client.force_login(organiser)
    data = shift_form(
        starts_at=local(event.starts_at - timedelta(hours=1), "Europe/Paris"),
        ends_at=local(event.starts_at, "Europe/Paris"),
    )
    data.update(overrides)

    response = client.post(reverse("events:shifts", args=[event.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Shift.objects.exists()


def test_members_get_the_403_page_for_the_shifts_page(client, event, member, shift):
    client.force_login(member)

    assert client.get(reverse("events:shifts", args=[event.pk])).status_code == 403
    assert client.post(reverse("events:shift_remove", args=[event.pk, shift.pk])).status_code == 403
    assert Shift.objects.exists()


def test_an_organiser_edits_a_shift_with_its_times_shown_in_the_event_s_zone(
    client, event, organiser, shift
):
    client.force_login(organiser)
    url = reverse("events:shift_edit", args=[event.pk, shift.pk])

    form_page = client.get(url).text
    response = client.post(
        url,
        shift_form(
            role=Shift.Role.BAR,
            label="Buvette et gâteaux",
            starts_at=local(shift.starts_at, "Europe/Paris"),
            ends_at=local(shift.ends_at, "Europe/Paris"),
            slots="3",
        ),
    )

    assert local(shift.starts_at, "Europe/Paris") in form_page
    assert response.status_code == 302
    shift.refresh_from_db()
    assert (shift.label, shift.slots) == ("Buvette et gâteaux", 3)


def test_an_organiser_removes_a_shift(client, event, organiser, shift):
    client.force_login(organiser)

    response = client.post(reverse("events:shift_remove", args=[event.pk, shift.pk]), follow=True)

    assert "The shift is removed; its volunteers are told." in messages_of(response)
    assert not Shift.objects.exists()


def test_a_shift_of_another_event_is_a_404_on_this_event_s_pages(client, event, organiser, shift):
    other = Event.objects.create(
        network=event.network,
        kind=event.kind,
        title="Autre soirée",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        status=Event.Status.PUBLISHED,
    )
    client.force_login(organiser)

    assert client.get(reverse("events:shift_edit", args=[other.pk, shift.pk])).status_code == 404


def test_a_member_signs_up_and_withdraws_from_the_event_page(client, event, member, shift):
    client.force_login(member)

    signed = client.post(reverse("events:shift_sign_up", args=[shift.pk]), follow=True)
    assert "Thank you: you are signed up for “Bar”." in messages_of(signed)
    assert "You signed up" in signed.text
    withdrawn = client.post(reverse("events:shift_withdraw", args=[shift.pk]), follow=True)

    assert "You are no longer signed up." in messages_of(withdrawn)
    assert not ShiftSignup.objects.exists()


def test_withdrawing_without_having_signed_up_says_so(client, event, member, shift):
    client.force_login(member)

    response = client.post(reverse("events:shift_withdraw", args=[shift.pk]), follow=True)

    assert "You are not signed up for this shift." in messages_of(response)


def test_an_outsider_signing_up_gets_the_403_page(client, event, outsider, shift):
    client.force_login(outsider)

    assert client.post(reverse("events:shift_sign_up", args=[shift.pk])).status_code == 403
    assert not ShiftSignup.objects.exists()


def test_signing_up_for_a_full_shift_says_so_on_the_event_page(client, event, member, shift):
    shift.slots = 1
    shift.save(update_fields=["slots"])
    ShiftSignup.objects.create(shift=shift, volunteer=User.objects.get(username="juliette"))
    client.force_login(member)

    response = client.post(reverse("events:shift_sign_up", args=[shift.pk]), follow=True)

    assert "This shift is full: thank you all the same." in messages_of(response)


def test_an_htmx_sign_up_gets_the_panel_back(client, event, member, shift):
    client.force_login(member)

    response = client.post(
        reverse("events:shift_sign_up", args=[shift.pk]), headers={"HX-Request": "true"}
    )

    assert 'id="attendance"' in response.text
    assert "You signed up" in response.text


# My events


def test_my_events_lists_my_answers_with_my_place_on_the_waitlist_and_my_shifts(
    client, event, member, shift
):
    event.capacity = 1
    event.save(update_fields=["capacity"])
    crowd(event, 1)
    services.rsvp(actor=member, event=event, status=GOING)
    services.sign_up(actor=member, shift=shift)
    client.force_login(member)

    response = client.get(reverse("events:my_events"))

    assert response.status_code == 200
    assert event.title in response.text
    assert "Number 1 on the waitlist" in response.text
    assert "Bar" in response.text
    assert reverse("events:shift_withdraw", args=[shift.pk]) in response.text


def test_my_events_leaves_out_past_events_and_answers_not_going(client, event, member):
    services.rsvp(actor=member, event=event, status=GOING)
    services.rsvp(actor=member, event=event, status=CANCELLED)
    client.force_login(member)

    response = client.get(reverse("events:my_events"))

    assert response.context["mine"].rsvps == []
    assert "You have no event coming up." in response.text


def test_my_events_shows_times_in_the_event_s_zone(client, event, member):
    Event.objects.filter(pk=event.pk).update(time_zone="America/Montreal")
    services.rsvp(actor=member, event=event, status=GOING)
    client.force_login(member)
    montreal = timezone.localtime(event.starts_at, ZoneInfo("America/Montreal"))

    response = client.get(reverse("events:my_events"))

    assert f'datetime="{montreal.isoformat()}"' in response.text


def test_my_events_is_for_signed_in_members(client):
    assert client.get(reverse("events:my_events")).status_code == 302


def test_the_my_events_query_count_does_not_grow(
    client, event, member, club, django_assert_max_num_queries
):
    client.force_login(member)
    services.rsvp(actor=member, event=event, status=GOING)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("events:my_events"))
    for day in range(2, 6):
        other = Event.objects.create(
            network=club,
            kind=Event.Kind.SCREENING,
            title=f"Séance {day}",
            starts_at=event.starts_at + timedelta(days=day),
            ends_at=event.ends_at + timedelta(days=day),
            status=Event.Status.PUBLISHED,
        )
        Rsvp.objects.create(event=other, member=member, status=GOING)
        shift = Shift.objects.create(
            event=other,
            role=Shift.Role.WELCOME,
            starts_at=other.starts_at,
            ends_at=other.ends_at,
            slots=1,
        )
        ShiftSignup.objects.create(shift=shift, volunteer=member)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("events:my_events"))

    assert len(response.context["mine"].rsvps) == 5
