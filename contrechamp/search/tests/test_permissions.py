"""The search shows each person what they may see elsewhere on the site, and no more:
members-only events to the network's members, library items as `visible_items` says,
never a draft, a cancelled or ended event, nor a withdrawn item."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from contrechamp.accounts import services as account_services
from contrechamp.events.models import Event
from contrechamp.events.services import events as event_services
from contrechamp.lending import services as lending_services
from contrechamp.lending.models import Item
from contrechamp.lending.queries import visible_items
from contrechamp.networks import services as network_services
from contrechamp.search import queries
from contrechamp.search.models import Document

pytestmark = pytest.mark.django_db


def titles(viewer, query: str, kind: str) -> list[str]:
    params = queries.SearchParams.from_query(QueryDict(f"q={query}&kind={kind}"))
    results = queries.search(viewer, params)
    assert results.page is not None
    return [result.document.title for result in results.page_results]


def test_a_members_only_event_is_found_by_the_networks_members_only(
    scene, make_event, member, other_member, outsider
):
    make_event("Soirée privée Méliès", visibility=Event.Visibility.MEMBERS)

    assert "Soirée privée Méliès" in titles(other_member, "melies", "events")
    assert "Soirée privée Méliès" in titles(member, "melies", "events")
    assert "Soirée privée Méliès" not in titles(outsider, "melies", "events")
    assert "Soirée privée Méliès" not in titles(AnonymousUser(), "melies", "events")


def test_a_member_who_leaves_no_longer_finds_the_members_only_event(
    scene, make_event, other_member
):
    make_event("Soirée privée", visibility=Event.Visibility.MEMBERS)
    network_services.leave_network(actor=other_member, network=scene.club)

    assert titles(other_member, "soiree privee", "events") == []


def test_a_draft_is_never_found_not_even_by_its_organiser(scene, make_event, member):
    make_event("Brouillon secret", publish=False)

    assert titles(member, "brouillon secret", "events") == []
    assert not Document.objects.filter(kind="events", title="Brouillon secret").exists()


def test_a_draft_is_found_once_published(scene, make_event, member, indexing):
    draft = make_event("Nuit Méliès", publish=False)
    with indexing():
        event_services.publish_event(actor=member, event=draft, acknowledge_missing_rights=True)

    assert titles(AnonymousUser(), "nuit melies", "events") == ["Nuit Méliès"]


def test_a_cancelled_event_is_no_longer_found(scene, member, indexing):
    with indexing():
        event_services.cancel_event(
            actor=member, event=scene.screening, reason="Projecteur en panne"
        )

    assert titles(AnonymousUser(), "concert melies", "events") == []


def test_an_event_that_has_ended_is_no_longer_found(scene):
    with time_machine.travel(scene.screening.ends_at + timedelta(minutes=1)):
        assert titles(AnonymousUser(), "concert melies", "events") == []
    assert titles(AnonymousUser(), "concert melies", "events") == ["Ciné-concert Méliès"]


def test_an_item_for_members_of_my_networks_is_found_as_the_library_shows_it(
    scene, make_item, member, other_member, outsider, indexing
):
    make_item(other_member, "Vertigo, édition collector", visibility=Item.Visibility.NETWORKS)

    for viewer in (member, other_member, outsider, AnonymousUser()):
        in_library = visible_items(viewer).filter(title__startswith="Vertigo").exists()
        assert (titles(viewer, "vertigo", "items") != []) is in_library
    assert titles(member, "vertigo", "items") == ["Vertigo, édition collector"]
    assert titles(outsider, "vertigo", "items") == []


def test_joining_a_network_shows_its_members_items_at_once(
    scene, make_item, other_member, outsider
):
    make_item(other_member, "Vertigo", visibility=Item.Visibility.NETWORKS)
    network_services.join_network(actor=outsider, network=scene.club, accept_charter=True)

    assert titles(outsider, "vertigo", "items") == ["Vertigo"]


def test_a_networks_item_for_its_members_is_found_by_them_only(
    scene, make_item, member, other_member, outsider
):
    make_item(
        member,
        "Caméra Bolex 16 mm",
        kind=Item.Kind.CAMERA,
        network=scene.club,
        visibility=Item.Visibility.NETWORKS,
    )

    assert titles(other_member, "bolex", "items") == ["Caméra Bolex 16 mm"]
    assert titles(outsider, "bolex", "items") == []
    assert titles(AnonymousUser(), "bolex", "items") == []


def test_a_withdrawn_item_is_no_longer_found(scene, member, indexing):
    with indexing():
        lending_services.withdraw_item(actor=member, item=scene.dvd)

    assert titles(member, "voyage lune", "items") == []


def test_a_deleted_accounts_items_leave_the_index(scene, make_item, outsider, indexing):
    make_item(outsider, "Pierrot le fou")
    with indexing():
        account_services.delete_account(actor=outsider, member=outsider)

    assert titles(AnonymousUser(), "pierrot fou", "items") == []
    assert not Document.objects.filter(owner=outsider).exists()
