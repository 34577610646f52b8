"""Room pages without JavaScript, access rules, moderation and the watch party through
the services."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.core.errors import DomainError
from contrechamp.events.models import Event
from contrechamp.live import services
from contrechamp.live.models import Message, ModerationAction, Room, Sanction
from contrechamp.live.tests.conftest import FILM_URL, make_event
from contrechamp.networks.models import Network


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_event_link_opens_one_room_per_event(event: Event, member: User) -> None:
    client = signed_in(member)
    first = client.get(reverse("live:event_room", args=[event.pk]))
    second = client.get(reverse("live:event_room", args=[event.pk]))
    room = Room.objects.get()
    assert first.url == second.url == room.get_absolute_url()  # type: ignore[attr-defined]


def test_a_network_room_is_for_its_members(club: Network, member: User, outsider: User) -> None:
    assert signed_in(member).get(reverse("live:network_room", args=[club.slug])).status_code == 302
    assert (
        signed_in(outsider).get(reverse("live:network_room", args=[club.slug])).status_code == 403
    )
    assert Room.objects.filter(network=club, event=None).count() == 1


def test_a_members_only_event_room_refuses_outsiders(
    club: Network, organiser: User, outsider: User, member: User
) -> None:
    private = make_event(club, organiser, visibility=Event.Visibility.MEMBERS)
    room = services.open_event_room(actor=organiser, event=private)
    assert signed_in(outsider).get(room.get_absolute_url()).status_code == 403
    assert signed_in(member).get(room.get_absolute_url()).status_code == 200
    with pytest.raises(PermissionDenied):
        services.open_event_room(actor=outsider, event=private)


def test_a_draft_event_has_no_room_for_members(
    club: Network, organiser: User, member: User
) -> None:
    draft = make_event(club, organiser, status=Event.Status.DRAFT)
    with pytest.raises(PermissionDenied):
        services.open_event_room(actor=member, event=draft)


def test_anonymous_visitors_are_sent_to_sign_in(room: Room) -> None:
    response = Client().get(room.get_absolute_url())
    assert response.status_code == 302
    assert "/accounts/login/" in response.url  # type: ignore[attr-defined]


def test_the_page_reads_and_posts_without_javascript(room: Room, member: User) -> None:
    client = signed_in(member)
    response = client.post(reverse("live:post", args=[room.pk]), {"body": "Superbe *copie*"})
    assert response.status_code == 302
    page = client.get(room.get_absolute_url())
    assert "Superbe <em>copie</em>" in page.content.decode()
    assert Message.objects.get().author == member


def test_an_oversized_message_keeps_what_was_typed(room: Room, member: User) -> None:
    text = "Méliès " * 200
    response = signed_in(member).post(reverse("live:post", args=[room.pk]), {"body": text})
    assert response.status_code == 400
    assert "at most 1000 characters" in response.content.decode()
    assert text.strip() in response.content.decode()
    assert not Message.objects.exists()


def test_a_flood_by_form_is_answered_429_with_the_text_kept(room: Room, member: User) -> None:
    client = signed_in(member)
    with time_machine.travel(timezone.now(), tick=False):
        for number in range(5):
            client.post(reverse("live:post", args=[room.pk]), {"body": f"message {number}"})
        response = client.post(reverse("live:post", args=[room.pk]), {"body": "encore un"})
    assert response.status_code == 429
    assert "encore un" in response.content.decode()
    assert Message.objects.count() == 5


def test_the_rate_limit_opens_again_after_the_window(room: Room, member: User) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for number in range(5):
            services.post_message(actor=member, room=room, body=f"{number}")
        with pytest.raises(services.RateLimited):
            services.post_message(actor=member, room=room, body="trop")
    with time_machine.travel(start + timedelta(seconds=11), tick=False):
        services.post_message(actor=member, room=room, body="de nouveau")


def test_a_mute_lasts_its_duration(room: Room, member: User, moderator: User) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.mute_member(actor=moderator, room=room, member=member, minutes=60)
        with pytest.raises(PermissionDenied):
            services.post_message(actor=member, room=room, body="je proteste")
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        services.post_message(actor=member, room=room, body="me revoilà")
    assert ModerationAction.objects.get().until == start + timedelta(hours=1)


@pytest.mark.parametrize("minutes", [0, -5, 7 * 24 * 60 + 1])
def test_a_mute_needs_a_sensible_duration(
    room: Room, member: User, moderator: User, minutes: int
) -> None:
    with pytest.raises(DomainError):
        services.mute_member(actor=moderator, room=room, member=member, minutes=minutes)


def test_the_event_creator_moderates_its_room(room: Room, member: User, organiser: User) -> None:
    message = services.post_message(actor=member, room=room, body="hors sujet")
    services.delete_message(actor=organiser, message=message)
    assert ModerationAction.objects.get().kind == ModerationAction.Kind.DELETE


def test_an_author_deletes_their_own_message_without_audit(room: Room, member: User) -> None:
    message = services.post_message(actor=member, room=room, body="oups")
    services.delete_message(actor=member, message=message)
    assert Message.objects.get().is_deleted
    assert not ModerationAction.objects.exists()


def test_a_ban_by_form_then_lifted(room: Room, member: User, moderator: User) -> None:
    client = signed_in(moderator)
    url = reverse("live:sanction", args=[room.pk])
    client.post(url, {"member": member.pk, "action": "ban"})
    assert signed_in(member).get(room.get_absolute_url()).status_code == 403
    client.post(url, {"member": member.pk, "action": "lift"})
    assert signed_in(member).get(room.get_absolute_url()).status_code == 200
    assert list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True)) == [
        "ban",
        "lift",
    ]
    assert Sanction.objects.filter(lifted_at__isnull=True).count() == 0


def test_a_plain_member_cannot_sanction_by_form(room: Room, member: User, moderator: User) -> None:
    response = signed_in(member).post(
        reverse("live:sanction", args=[room.pk]), {"member": moderator.pk, "action": "ban"}
    )
    assert response.status_code == 403
    assert not Sanction.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://upload.wikimedia.org/film.webm",
        "https://example.com/film.mp4",
        "https://upload.wikimedia.org/page.html",
        "https://user:pw@upload.wikimedia.org/film.webm",
        "https://upload.wikimedia.org:8443/film.webm",
        "https://upload.wikimedia.org.evil.example/film.webm",
        "https://evilarchive.org/film.mp4",
    ],
)
def test_only_direct_files_from_allowed_sources_play(room: Room, organiser: User, url: str) -> None:
    with pytest.raises(DomainError):
        services.start_watch_party(actor=organiser, room=room, video_url=url)


def test_allowed_sources_include_archive_subdomains(room: Room, organiser: User) -> None:
    url = "https://ia800300.us.archive.org/1/items/film/film.mp4"
    assert services.start_watch_party(actor=organiser, room=room, video_url=url).host == organiser


def test_a_plain_member_cannot_set_the_film(room: Room, member: User) -> None:
    with pytest.raises(PermissionDenied):
        services.start_watch_party(actor=member, room=room, video_url=FILM_URL)


def test_the_room_page_allows_the_film_origin_only_for_media(room: Room, organiser: User) -> None:
    services.start_watch_party(actor=organiser, room=room, video_url=FILM_URL)
    response = signed_in(organiser).get(room.get_absolute_url())
    policy = response.headers["Content-Security-Policy"]
    assert "media-src 'self' https://upload.wikimedia.org" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert 'id="watch-video"' in response.content.decode()


def test_a_bad_film_address_is_shown_beside_the_form(room: Room, organiser: User) -> None:
    response = signed_in(organiser).post(
        reverse("live:watch_party", args=[room.pk]), {"video_url": "https://example.com/x.mp4"}
    )
    assert response.status_code == 400
    assert "https://example.com/x.mp4" in response.content.decode()
    assert "Only direct video files" in response.content.decode()


def test_hand_over_by_form_to_a_member(room: Room, organiser: User, member: User) -> None:
    services.start_watch_party(actor=organiser, room=room, video_url=FILM_URL)
    signed_in(organiser).post(reverse("live:hand_over", args=[room.pk]), {"member": member.pk})
    room.refresh_from_db()
    assert room.host == member


def test_hand_over_keeps_the_position(room: Room, organiser: User, member: User) -> None:
    services.start_watch_party(actor=organiser, room=room, video_url=FILM_URL)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.control_player(actor=organiser, room=room, action="play", position=30.0)
    with time_machine.travel(start + timedelta(seconds=10), tick=False):
        services.hand_over(actor=organiser, room=room, member=member)
        room.refresh_from_db()
        assert room.position == pytest.approx(40.0)
        assert room.position_at(timezone.now()) == pytest.approx(40.0)


def test_a_member_cannot_take_the_remote(room: Room, organiser: User, member: User) -> None:
    services.start_watch_party(actor=organiser, room=room, video_url=FILM_URL)
    with pytest.raises(PermissionDenied):
        services.hand_over(actor=member, room=room, member=member)


def test_the_room_page_has_a_constant_number_of_queries(
    room: Room, member: User, organiser: User, moderator: User
) -> None:
    client = signed_in(moderator)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(room.get_absolute_url()).status_code == 200
        return len(context.captured_queries)

    services.post_message(actor=member, room=room, body="premier")
    few = count()
    for author in (member, organiser, moderator):
        for number in range(4):
            message = services.post_message(actor=author, room=room, body=f"n°{number}")
            services.toggle_reaction(actor=member, message=message, emoji="👏")
    services.mute_member(actor=moderator, room=room, member=member, minutes=10)
    assert count() == few
