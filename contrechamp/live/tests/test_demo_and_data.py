"""The demo's live room, and the member's chat in their data export and deletion."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.demo.people import NETWORKS
from contrechamp.events.models import Event
from contrechamp.live import demo, member_data, services
from contrechamp.live.models import Message, Presence, Room
from contrechamp.live.tests.conftest import make_event
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network


def test_the_demo_seeds_once(db: None) -> None:
    members = {
        name: UserFactory.create(username=name, display_name=name.title())
        for name in ("juliette", "mathieu", "camille", "nora", "amandine")
    }
    club = network_services.create_network(
        actor=members["juliette"],
        name=NETWORKS[0].name,
        kind=Network.Kind.CINE_CLUB,
        join_policy=Network.JoinPolicy.OPEN,
        is_online=True,
    )
    for name in ("mathieu", "camille", "nora", "amandine"):
        network_services.join_network(actor=members[name], network=club, accept_charter=True)
    night = make_event(club, members["juliette"], kind=Event.Kind.CINE_DEBATE)

    demo.seed(members)
    demo.seed(members)

    assert Room.objects.count() == 2
    assert Message.objects.filter(room__event=night).count() == len(demo.CONVERSATION)
    watch = Room.objects.get(event=None)
    assert watch.video_url == demo.FILM_URL and watch.host == members["juliette"]


def test_the_demo_without_its_club_does_nothing(db: None) -> None:
    demo.seed({})
    assert not Room.objects.exists()


def test_export_then_erase(room: Room, member: User, moderator: User) -> None:
    services.post_message(actor=member, room=room, body="Mon avis")
    services.mute_member(actor=moderator, room=room, member=member, minutes=10)
    exported: Any = member_data.export_member_live(member)
    assert [m["text"] for m in exported["messages"]] == ["Mon avis"]
    assert exported["sanctions"][0]["kind"] == "mute"
    member_data.erase_member_live(member)
    message = Message.objects.get()
    assert message.is_deleted and message.body == ""


def test_stale_connections_are_forgotten(room: Room, member: User) -> None:
    services.join(actor=member, room=room, channel_name="gone.1")
    services.join(actor=member, room=room, channel_name="alive.1")
    Presence.objects.filter(channel_name="gone.1").update(
        seen_at=timezone.now() - timedelta(minutes=5)
    )
    assert services.forget_stale_presences() == 1
    assert list(Presence.objects.values_list("channel_name", flat=True)) == ["alive.1"]
