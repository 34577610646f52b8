"""The room's websocket: who gets in, what each frame does, and what it refuses without
closing the connection."""

import asyncio

import pytest
import time_machine
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.events.models import Event
from contrechamp.live import services
from contrechamp.live.models import Message, ModerationAction, Presence, Room, Sanction
from contrechamp.live.tests.conftest import (
    FILM_URL,
    communicator,
    connected,
    make_event,
    receive_until,
    run,
)
from contrechamp.networks.models import Network

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_joins_sees_history_and_presence(room: Room, member: User) -> None:
    services.post_message(actor=member, room=room, body="Quelle fin !")

    async def scenario() -> None:
        socket = communicator(member, room.pk)
        welcome = await connected(socket)
        assert [m["html"] for m in welcome["messages"]] == ["Quelle fin !"]
        assert welcome["present"] == [{"id": member.pk, "name": "Nora"}]
        assert welcome["moderator"] is False
        await socket.disconnect()

    run(scenario)
    assert not Presence.objects.exists()


def test_a_message_reaches_everyone_in_the_room(room: Room, member: User, organiser: User) -> None:
    async def scenario() -> None:
        nora, juliette = communicator(member, room.pk), communicator(organiser, room.pk)
        await connected(nora)
        await connected(juliette)
        await nora.send_json_to({"type": "post", "body": "**Bravo** Méliès <script>"})
        for socket in (nora, juliette):
            frame = await receive_until(socket, "message")
            assert frame["message"]["html"] == "<strong>Bravo</strong> Méliès &lt;script&gt;"
            assert frame["message"]["author"] == {"id": member.pk, "name": "Nora"}
        await nora.disconnect()
        await juliette.disconnect()

    run(scenario)
    assert Message.objects.get().body == "**Bravo** Méliès <script>"


@pytest.mark.parametrize("room_id", ["999999", "0"])
def test_a_forged_room_id_is_refused(member: User, room_id: str) -> None:
    async def scenario() -> None:
        ok, code = await communicator(member, room_id).connect()
        assert (ok, code) == (False, 4403)

    run(scenario)


def test_anonymous_visitors_and_outsiders_of_a_members_only_room_are_refused(
    club: Network, organiser: User, outsider: User
) -> None:
    private = make_event(club, organiser, visibility=Event.Visibility.MEMBERS)
    room = services.open_event_room(actor=organiser, event=private)
    club_room = services.open_network_room(actor=organiser, network=club)

    async def scenario() -> None:
        for user, target in (
            (AnonymousUser(), room.pk),
            (outsider, room.pk),
            (outsider, club_room.pk),
        ):
            ok, code = await communicator(user, target).connect()
            assert (ok, code) == (False, 4403)

    run(scenario)


def test_any_signed_in_member_enters_a_public_event_room(room: Room, outsider: User) -> None:
    async def scenario() -> None:
        socket = communicator(outsider, room.pk)
        await connected(socket)
        await socket.disconnect()

    run(scenario)


def test_a_muted_member_is_refused_and_stays_connected(
    room: Room, member: User, moderator: User
) -> None:
    async def scenario() -> None:
        nora = communicator(member, room.pk)
        sebastien = communicator(moderator, room.pk)
        await connected(nora)
        welcome = await connected(sebastien)
        assert welcome["moderator"] is True
        await sebastien.send_json_to({"type": "mute", "member": member.pk, "minutes": 60})
        sanction = await receive_until(nora, "sanction")
        assert sanction["kind"] == "mute"
        await nora.send_json_to({"type": "post", "body": "insulte"})
        error = await receive_until(nora, "error")
        assert error["code"] == "forbidden"
        await nora.send_json_to({"type": "ping", "t": 1.5})
        assert (await receive_until(nora, "pong"))["t"] == 1.5
        await nora.disconnect()
        await sebastien.disconnect()

    run(scenario)
    assert not Message.objects.exists()
    assert ModerationAction.objects.get().kind == ModerationAction.Kind.MUTE


def test_a_moderator_deletes_a_message_for_everyone_with_an_audit_row(
    room: Room, member: User, moderator: User
) -> None:
    insult = services.post_message(actor=member, room=room, body="Espèce de cuistre")

    async def scenario() -> None:
        nora = communicator(member, room.pk)
        sebastien = communicator(moderator, room.pk)
        await connected(nora)
        await connected(sebastien)
        await sebastien.send_json_to({"type": "delete", "message": insult.pk})
        assert (await receive_until(nora, "deleted"))["id"] == insult.pk
        await nora.disconnect()
        await sebastien.disconnect()

    run(scenario)
    insult.refresh_from_db()
    assert insult.is_deleted and insult.body == ""
    audit = ModerationAction.objects.get()
    assert (audit.kind, audit.actor, audit.target, audit.excerpt) == (
        "delete",
        moderator,
        member,
        "Espèce de cuistre",
    )


def test_a_plain_member_cannot_moderate(room: Room, member: User, organiser: User) -> None:
    message = services.post_message(actor=organiser, room=room, body="Bienvenue")

    async def scenario() -> None:
        nora = communicator(member, room.pk)
        await connected(nora)
        for frame in (
            {"type": "delete", "message": message.pk},
            {"type": "mute", "member": organiser.pk, "minutes": 60},
            {"type": "ban", "member": organiser.pk},
        ):
            await nora.send_json_to(frame)
            assert (await receive_until(nora, "error"))["code"] == "forbidden"
        await nora.disconnect()

    run(scenario)
    assert not Sanction.objects.exists()
    assert not Message.objects.get().is_deleted


def test_a_banned_member_is_put_out_and_cannot_come_back(
    room: Room, member: User, moderator: User
) -> None:
    async def scenario() -> None:
        nora = communicator(member, room.pk)
        sebastien = communicator(moderator, room.pk)
        await connected(nora)
        await connected(sebastien)
        await sebastien.send_json_to({"type": "ban", "member": member.pk})
        assert (await receive_until(nora, "sanction"))["kind"] == "ban"
        assert (await nora.receive_output(timeout=1))["type"] == "websocket.close"
        ok, code = await communicator(member, room.pk).connect()
        assert (ok, code) == (False, 4403)
        await sebastien.disconnect()

    run(scenario)


def test_a_flood_is_rate_limited_not_a_crash(room: Room, member: User) -> None:
    async def scenario() -> None:
        nora = communicator(member, room.pk)
        await connected(nora)
        for number in range(8):
            await nora.send_json_to({"type": "post", "body": f"spam {number}"})
        errors: list[str] = []
        posted = 0
        while len(errors) + posted < 8:
            frame = await nora.receive_json_from(timeout=2)
            if frame["type"] == "error":
                errors.append(frame["code"])
            posted += frame["type"] == "message"
        assert (errors, posted) == (["rate_limited"] * 3, 5)
        await nora.send_json_to({"type": "ping"})
        await receive_until(nora, "pong")
        await nora.disconnect()

    # A fixed clock: the five-second window cannot turn over in the middle of the flood.
    with time_machine.travel(timezone.now(), tick=False):
        run(scenario)
    assert Message.objects.count() == 5


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"type": "post", "body": "x" * 1001}, "refused"),
        ({"type": "post", "body": "x" * 100_000}, "too_large"),
        ({"type": "post", "body": "   "}, "refused"),
        ({"type": "post", "body": ["list"]}, "refused"),
        ({"type": "react", "message": "abc", "emoji": "👏"}, "refused"),
        ({"type": "react", "message": 10**30, "emoji": "👏"}, "refused"),
        ({"type": "hack"}, "unknown"),
        (["not", "an", "object"], "unknown"),
        ({"type": "signal", "to": 1, "data": {"sdp": "x"}}, "refused"),
        ({"type": "player", "action": "play", "position": "NaN"}, "refused"),
    ],
)
def test_bad_frames_get_an_error_and_the_connection_stays(
    room: Room, member: User, frame: object, code: str
) -> None:
    async def scenario() -> None:
        nora = communicator(member, room.pk)
        await connected(nora)
        await nora.send_json_to(frame)
        assert (await receive_until(nora, "error"))["code"] == code
        await nora.send_to(text_data="{not json")
        assert (await receive_until(nora, "error"))["code"] == "malformed"
        await nora.send_json_to({"type": "ping"})
        await receive_until(nora, "pong")
        await nora.disconnect()

    run(scenario)


def test_a_reconnecting_client_gets_what_it_missed_without_duplicates(
    room: Room, member: User, organiser: User
) -> None:
    services.post_message(actor=organiser, room=room, body="un")
    seen: list[int] = []

    async def scenario() -> None:
        nora = communicator(member, room.pk)
        welcome = await connected(nora)
        seen.extend(m["id"] for m in welcome["messages"])
        await nora.disconnect()  # the train goes into a tunnel
        for text in ("deux", "trois"):
            await database_sync_to_async(services.post_message)(
                actor=organiser, room=room, body=text
            )
        back = communicator(member, room.pk, f"since={seen[-1]}")
        welcome = await connected(back)
        assert welcome["resumed"] is True
        seen.extend(m["id"] for m in welcome["messages"])
        await back.disconnect()

    run(scenario)
    assert seen == list(Message.objects.order_by("pk").values_list("pk", flat=True))
    assert len(seen) == 3


def test_reactions_are_counted_and_toggled(room: Room, member: User, organiser: User) -> None:
    message = services.post_message(actor=organiser, room=room, body="Le plan de la lune !")

    async def scenario() -> None:
        nora = communicator(member, room.pk)
        await connected(nora)
        await nora.send_json_to({"type": "react", "message": message.pk, "emoji": "👏"})
        assert (await receive_until(nora, "reactions"))["reactions"] == {"👏": 1}
        await nora.send_json_to({"type": "react", "message": message.pk, "emoji": "👏"})
        assert (await receive_until(nora, "reactions"))["reactions"] == {}
        await nora.send_json_to({"type": "react", "message": message.pk, "emoji": "<b>"})
        assert (await receive_until(nora, "error"))["code"] == "refused"
        await nora.disconnect()

    run(scenario)


def test_a_message_of_another_room_cannot_be_touched(
    room: Room, club_room: Room, member: User, organiser: User
) -> None:
    elsewhere = services.post_message(actor=organiser, room=club_room, body="ailleurs")

    async def scenario() -> None:
        nora = communicator(member, room.pk)
        await connected(nora)
        await nora.send_json_to({"type": "react", "message": elsewhere.pk, "emoji": "👏"})
        assert (await receive_until(nora, "error"))["code"] == "refused"
        await nora.disconnect()

    run(scenario)


def test_the_host_drives_the_player_and_others_cannot(
    room: Room, member: User, organiser: User
) -> None:
    services.start_watch_party(actor=organiser, room=room, video_url=FILM_URL)

    async def scenario() -> None:
        host = communicator(organiser, room.pk)
        nora = communicator(member, room.pk)
        await connected(host)
        welcome = await connected(nora)
        assert welcome["player"]["url"] == FILM_URL
        assert welcome["player"]["host"] == organiser.pk
        await nora.send_json_to({"type": "player", "action": "play", "position": 10})
        assert (await receive_until(nora, "error"))["code"] == "forbidden"
        await host.send_json_to({"type": "player", "action": "play", "position": 42.5})
        frame = await receive_until(nora, "player")
        assert frame["player"]["playing"] is True
        assert frame["player"]["position"] == 42.5
        assert frame["server_time"] >= frame["player"]["at"]
        await host.send_json_to({"type": "hand_over", "member": member.pk})
        assert (await receive_until(nora, "player"))["player"]["host"] == member.pk
        await nora.send_json_to({"type": "player", "action": "pause", "position": 50})
        states = [(await receive_until(host, "player"))["player"] for _ in range(3)]
        assert [(state["host"], state["playing"]) for state in states] == [
            (organiser.pk, True),
            (member.pk, True),
            (member.pk, False),
        ]
        await host.disconnect()
        await nora.disconnect()

    run(scenario)


def test_a_late_joiner_gets_the_state_to_compute_the_position(
    room: Room, member: User, organiser: User
) -> None:
    services.start_watch_party(actor=organiser, room=room, video_url=FILM_URL)
    services.control_player(actor=organiser, room=room, action="play", position=120.0)

    async def scenario() -> None:
        await asyncio.sleep(0.2)
        nora = communicator(member, room.pk)
        welcome = await connected(nora)
        player = welcome["player"]
        position = player["position"] + welcome["server_time"] - player["at"]
        assert 120.2 <= position < 121.5
        await nora.disconnect()

    run(scenario)


def test_voice_signals_reach_only_the_named_peer_in_the_call(
    room: Room, member: User, organiser: User, moderator: User
) -> None:
    async def scenario() -> None:
        juliette = communicator(organiser, room.pk)
        nora = communicator(member, room.pk)
        sebastien = communicator(moderator, room.pk)
        me_juliette = (await connected(juliette))["me"]["peer"]
        me_nora = (await connected(nora))["me"]["peer"]
        await connected(sebastien)
        await juliette.send_json_to({"type": "voice_join"})
        assert (await receive_until(juliette, "voice")).get("peers") is not None
        await nora.send_json_to({"type": "voice_join"})
        peers = await receive_until(nora, "voice")
        while "peers" not in peers:
            peers = await receive_until(nora, "voice")
        assert [peer["peer"] for peer in peers["peers"]] == [me_juliette]
        offer = {"sdp": {"type": "offer", "sdp": "v=0"}}
        await nora.send_json_to({"type": "signal", "to": me_juliette, "data": offer})
        signal = await receive_until(juliette, "signal")
        assert (signal["from"], signal["data"]) == (me_nora, offer)
        # Sébastien is not in the call: he can neither send nor be sent signals.
        await sebastien.send_json_to({"type": "signal", "to": me_juliette, "data": offer})
        assert (await receive_until(sebastien, "error"))["code"] == "refused"
        assert await sebastien.receive_nothing(timeout=0.2) is True
        await nora.send_json_to({"type": "voice_leave"})
        assert (await receive_until(juliette, "voice"))["left"] == me_nora
        for socket in (juliette, nora, sebastien):
            await socket.disconnect()

    run(scenario)


def test_the_voice_room_holds_eight_people(room: Room, member: User, settings: object) -> None:
    settings.LIVE_VOICE_MAX_PEERS = 1  # type: ignore[attr-defined]

    async def scenario() -> None:
        first = communicator(member, room.pk)
        second = communicator(member, room.pk)
        await connected(first)
        await connected(second)
        await first.send_json_to({"type": "voice_join"})
        await receive_until(first, "voice")
        await second.send_json_to({"type": "voice_join"})
        assert (await receive_until(second, "error"))["code"] == "refused"
        await first.disconnect()
        await second.disconnect()

    run(scenario)
