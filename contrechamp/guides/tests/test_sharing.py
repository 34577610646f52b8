import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from contrechamp.core.errors import Conflict
from contrechamp.guides import queries, services
from contrechamp.guides.models import Guide
from contrechamp.guides.tests.conftest import edit, join, make_guide, make_network
from contrechamp.notifications.models import Notification

pytestmark = pytest.mark.django_db


def seen_by(viewer) -> set[int]:
    return set(queries.search_guides(viewer, queries.GuideFilters()).values_list("pk", flat=True))


def test_a_new_guide_is_seen_by_its_owner_only(member, other_member, outsider, guide):
    assert seen_by(member) == {guide.pk}
    assert seen_by(other_member) == set()
    assert seen_by(outsider) == set()
    assert seen_by(AnonymousUser()) == set()


def test_a_public_guide_is_seen_by_everyone(member, outsider, guide):
    services.set_sharing(actor=member, guide=guide, is_public=True, networks=[])
    assert seen_by(AnonymousUser()) == {guide.pk}
    assert seen_by(outsider) == {guide.pk}


def test_a_networks_guide_is_seen_by_its_members(member, other_member, outsider, club, club_guide):
    join(other_member, club)
    assert seen_by(other_member) == {club_guide.pk}
    assert seen_by(outsider) == set()


def test_a_guide_shared_with_several_networks_is_seen_by_the_members_of_each(
    member, other_member, outsider, club, lyon_club, club_guide
):
    third = make_network(outsider, "Les Écrans de Chambéry", "Chambéry")
    join(member, lyon_club)
    join(member, third)
    services.set_sharing(
        actor=member, guide=club_guide, is_public=False, networks=[lyon_club, third]
    )

    assert seen_by(other_member) == {club_guide.pk}
    assert seen_by(outsider) == {club_guide.pk}
    services.set_sharing(actor=member, guide=club_guide, is_public=False, networks=[third])
    assert seen_by(other_member) == set()


def test_a_guide_is_shared_only_with_networks_its_owner_belongs_to(member, lyon_club, guide):
    with pytest.raises(PermissionDenied):
        services.set_sharing(actor=member, guide=guide, is_public=False, networks=[lyon_club])
    assert not guide.shared_with.exists()


def test_only_the_owner_changes_the_sharing(member, other_member, guide):
    services.add_editor(actor=member, guide=guide, member=other_member)
    with pytest.raises(PermissionDenied):
        services.set_sharing(actor=other_member, guide=guide, is_public=True, networks=[])
    assert not Guide.objects.get(pk=guide.pk).is_public


def test_a_co_editor_sees_edits_and_hears_of_being_added(member, other_member, guide):
    services.add_editor(actor=member, guide=guide, member=other_member)

    assert seen_by(other_member) == {guide.pk}
    edit(guide, other_member, "Ajout de Nora")
    added = Notification.objects.get(recipient=other_member, kind="guides.editor_added")
    assert added.url == guide.get_absolute_url()


def test_editors_hear_of_edits_by_the_others(member, other_member, outsider, guide):
    services.add_editor(actor=member, guide=guide, member=other_member)
    services.add_editor(actor=member, guide=guide, member=outsider)

    edit(guide, other_member, "Modifié par Nora", note="ajout des bobines")

    told = Notification.objects.filter(kind="guides.edited")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["juliette", "outsider"]
    assert set(told.values_list("body", flat=True)) == {"ajout des bobines"}


def test_adding_an_editor_twice_or_by_someone_else_is_refused(
    member, other_member, outsider, guide
):
    services.add_editor(actor=member, guide=guide, member=other_member)
    with pytest.raises(Conflict):
        services.add_editor(actor=member, guide=guide, member=other_member)
    with pytest.raises(Conflict):
        services.add_editor(actor=member, guide=guide, member=member)
    with pytest.raises(PermissionDenied):
        services.add_editor(actor=other_member, guide=guide, member=outsider)


def test_a_removed_co_editor_can_no_longer_edit(member, other_member, guide):
    services.add_editor(actor=member, guide=guide, member=other_member)
    services.remove_editor(actor=member, guide=guide, member=other_member)
    with pytest.raises(PermissionDenied):
        edit(guide, other_member, "Trop tard")


def test_filters_by_kind_network_tag_and_words(member, club, club_guide, guide):
    def found(**filters):
        return set(
            queries.search_guides(member, queries.GuideFilters(**filters)).values_list(
                "pk", flat=True
            )
        )

    assert found(kind=Guide.Kind.CHECKLIST) == {guide.pk}
    assert found(network=club.slug) == {club_guide.pk}
    assert found(tag="16 mm") == {guide.pk, club_guide.pk}
    assert found(q="mairie") == {club_guide.pk}
    assert found(q="lampe bobine") == {guide.pk}
    assert found(q="introuvable") == set()


def test_anyone_may_not_write_for_a_network_they_do_not_run(other_member, club):
    with pytest.raises(PermissionDenied):
        make_guide(other_member, network=club)
