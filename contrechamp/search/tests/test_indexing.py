"""The apps' services keep the index in step once they commit, the rebuild command writes
the same index from the rows, and what a document shows follows what it describes."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from contrechamp.accounts import registry as member_data
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.search import services
from contrechamp.search.models import Document
from contrechamp.venues import services as venue_services
from contrechamp.venues.services import VenueDetails

from .conftest import city

pytestmark = pytest.mark.django_db

SNAPSHOT_FIELDS = (
    "kind",
    "object_id",
    "title",
    "text",
    "category",
    "url",
    "search_text",
    "is_public",
    "network_id",
    "owner_id",
    "owner_circle",
    "happens_at",
    "expires_at",
)


def snapshot() -> list[tuple[object, ...]]:
    return list(Document.objects.order_by("kind", "object_id").values_list(*SNAPSHOT_FIELDS))


def test_every_kind_of_the_scene_is_indexed_by_its_services(scene):
    kinds = set(Document.objects.values_list("kind", flat=True))

    assert kinds == {"films", "people", "networks", "venues", "events", "items"}


def test_nothing_is_indexed_before_the_transaction_commits(member):
    with transaction.atomic():
        network_services.create_network(
            actor=member,
            name="Ciné-club fantôme",
            kind=Network.Kind.CINE_CLUB,
            join_policy=Network.JoinPolicy.OPEN,
            place=city("Lyon"),
        )
        assert not Document.objects.filter(kind="networks").exists()


def test_the_rebuild_command_finds_what_the_services_indexed(scene):
    indexed = snapshot()
    Document.objects.all().delete()
    out = StringIO()

    call_command("rebuild_search_index", "--batch-size", "2", stdout=out)

    assert snapshot() == indexed
    assert "events: 1 documents" in out.getvalue()


def test_the_rebuild_is_idempotent_and_drops_what_no_longer_exists(scene):
    call_command("rebuild_search_index", stdout=StringIO())
    indexed = snapshot()
    Document.objects.create(
        kind="films", object_id=999_999, title="Gone", url="/", search_text="gone"
    )
    Document.objects.create(
        kind="retired", object_id=1, title="Old kind", url="/", search_text="old"
    )

    call_command("rebuild_search_index", stdout=StringIO())

    assert snapshot() == indexed


def test_the_rebuild_of_one_kind_leaves_the_others_alone(scene):
    Document.objects.filter(kind="venues").delete()
    others = Document.objects.exclude(kind="venues").count()

    call_command("rebuild_search_index", "venues", stdout=StringIO())

    assert Document.objects.filter(kind="venues").count() == 1
    assert Document.objects.exclude(kind="venues").count() == others


def test_the_rebuild_refuses_an_unknown_kind():
    with pytest.raises(CommandError):
        call_command("rebuild_search_index", "recipes", stdout=StringIO())


def test_renaming_a_venue_rewrites_it_and_the_events_held_there(scene, member, indexing):
    with indexing():
        venue_services.update_venue(
            actor=member,
            venue=scene.venue,
            details=VenueDetails(
                name="Le Méliès",
                kind=scene.venue.kind,
                place=city("Grenoble"),
                address=scene.venue.address,
                postcode=scene.venue.postcode,
            ),
        )

    assert Document.objects.get(kind="venues").title == "Le Méliès"
    event = Document.objects.get(kind="events")
    assert event.text == "Ciné-club du jeudi · Le Méliès, Grenoble"
    assert "cinema" not in event.search_text.split()


def test_renaming_a_network_rewrites_its_events_and_items(scene, member, indexing):
    with indexing():
        network_services.update_network(
            actor=member,
            network=scene.club,
            name="Ciné-club du vendredi",
            kind=scene.club.kind,
            join_policy=scene.club.join_policy,
            place=city("Grenoble"),
        )

    assert Document.objects.get(kind="networks").title == "Ciné-club du vendredi"
    assert Document.objects.get(kind="events").text.startswith("Ciné-club du vendredi")
    assert Document.objects.get(kind="items").text.endswith("Ciné-club du vendredi")


def test_reindexing_an_unknown_kind_fails_in_the_callers_transaction():
    with pytest.raises(LookupError):
        services.reindex_on_commit("recipes", [1])


def test_reindexing_twice_writes_the_same_documents(scene):
    indexed = snapshot()

    services.reindex("events", [scene.screening.pk])
    services.reindex("events", [scene.screening.pk])

    assert snapshot() == indexed


def test_the_daily_purge_removes_ended_events(scene):
    Document.objects.filter(kind="events").update(
        expires_at=scene.screening.starts_at.replace(year=2000)
    )

    assert services.purge_expired_documents() == 1
    assert not Document.objects.filter(kind="events").exists()


def test_a_members_data_export_lists_what_the_search_shows_of_their_items(
    scene, make_item, outsider
):
    make_item(outsider, "Pierrot le fou")
    contributor = next(c for c in member_data.contributors() if c.name == "search")

    exported = contributor.export(outsider)

    assert exported == [
        {
            "kind": "items",
            "title": "Pierrot le fou",
            "url": Document.objects.get(owner=outsider).url,
        }
    ]
