import pytest

from contrechamp.guides import services
from contrechamp.guides.search_documents import guide_entries
from contrechamp.guides.tests.conftest import join, make_network
from contrechamp.search import registry

pytestmark = pytest.mark.django_db


def entry(guide):
    return next(iter(guide_entries([guide.pk])))


def test_the_kind_is_registered():
    assert registry.get("guides").categories["checklist"] == "Checklist"


def test_a_members_guide_is_findable_by_its_owner_only(member, guide):
    found = entry(guide)
    assert (found.is_public, found.owner_id, found.network_id) == (False, member.pk, None)
    assert "16 mm" in " ".join(found.words)


def test_a_networks_guide_is_findable_by_its_members(club, club_guide):
    found = entry(club_guide)
    assert (found.is_public, found.owner_id, found.network_id) == (False, None, club.pk)


def test_a_guide_shared_with_one_network_names_it(member, club, guide):
    services.set_sharing(actor=member, guide=guide, is_public=False, networks=[club])
    assert entry(guide).network_id == club.pk


def test_a_guide_shared_with_several_networks_stays_with_its_owner(member, club, outsider, guide):
    other = make_network(outsider, "Les Écrans de Chambéry", "Chambéry")
    join(member, other)
    services.set_sharing(actor=member, guide=guide, is_public=False, networks=[club, other])
    found = entry(guide)
    assert (found.owner_id, found.network_id) == (member.pk, None)


def test_a_public_guide_is_public(member, guide):
    services.set_sharing(actor=member, guide=guide, is_public=True, networks=[])
    assert entry(guide).is_public
