import pytest
from django.core.exceptions import PermissionDenied

from contrechamp.core.errors import Conflict, DomainError
from contrechamp.core.markdown import render_markdown
from contrechamp.guides import services
from contrechamp.guides.models import Guide, GuideTag, GuideVersion
from contrechamp.guides.tests.conftest import edit, join, make_guide
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Role

pytestmark = pytest.mark.django_db


def test_writing_a_guide_records_version_one(member, guide):
    version = GuideVersion.objects.get(guide=guide)
    assert (guide.version, version.number, version.author) == (1, 1, member)
    assert version.body == guide.body
    assert version.tag_list == ["16 mm", "projection"]
    assert guide.owner_user == member and guide.owner_network is None


def test_each_save_makes_a_new_version_and_keeps_the_old_ones(member, guide):
    edit(guide, member, "- Nettoyer le couloir\n- Vérifier la lampe de rechange", note="lampe")
    edit(Guide.objects.get(pk=guide.pk), member, "Tout neuf", title="Checklist 16 mm")

    guide.refresh_from_db()
    assert guide.version == 3
    assert list(GuideVersion.objects.filter(guide=guide).values_list("number", "note")) == [
        (3, ""),
        (2, "lampe"),
        (1, ""),
    ]
    assert GuideVersion.objects.get(guide=guide, number=1).body.startswith("- Nettoyer")
    assert guide.title == "Checklist 16 mm"


def test_an_edit_based_on_an_outdated_version_is_refused_and_changes_nothing(
    member, other_member, guide
):
    services.add_editor(actor=member, guide=guide, member=other_member)
    edit(guide, other_member, "Version de Nora", based_on=1)

    with pytest.raises(Conflict, match="Someone saved version 2"):
        edit(Guide.objects.get(pk=guide.pk), member, "Version de Juliette", based_on=1)

    guide.refresh_from_db()
    assert guide.body == "Version de Nora"
    assert guide.version == 2
    assert GuideVersion.objects.filter(guide=guide).count() == 2


def test_saving_without_a_change_is_refused(member, guide):
    with pytest.raises(DomainError, match="Nothing has changed"):
        edit(guide, member, guide.body)
    assert GuideVersion.objects.filter(guide=guide).count() == 1


def test_restoring_an_old_version_saves_it_as_a_new_one(member, guide):
    original = guide.body
    edit(guide, member, "Texte remplacé", tags=["plein air"])

    restored = services.restore_version(
        actor=member, guide=Guide.objects.get(pk=guide.pk), number=1, based_on=2
    )

    assert restored.version == 3
    assert restored.body == original
    assert sorted(restored.tags.values_list("name", flat=True)) == ["16 mm", "projection"]
    latest = GuideVersion.objects.get(guide=guide, number=3)
    assert latest.restored_from == 1
    assert GuideVersion.objects.get(guide=guide, number=2).body == "Texte remplacé"


def test_restoring_from_an_outdated_page_is_refused(member, guide):
    edit(guide, member, "Deuxième")
    with pytest.raises(Conflict):
        services.restore_version(
            actor=member, guide=Guide.objects.get(pk=guide.pk), number=1, based_on=1
        )
    assert Guide.objects.get(pk=guide.pk).version == 2


def test_someone_who_is_not_an_editor_cannot_edit(other_member, outsider, guide):
    for intruder in (other_member, outsider):
        with pytest.raises(PermissionDenied):
            edit(guide, intruder, "Vandalisme")
    guide.refresh_from_db()
    assert guide.version == 1 and "Vandalisme" not in guide.body


def test_a_networks_admins_and_organisers_edit_its_guides_and_its_members_do_not(
    member, other_member, outsider, club, club_guide
):
    join(other_member, club)
    with pytest.raises(PermissionDenied):
        edit(club_guide, other_member, "Par un simple membre")

    network_services.assign_role(
        actor=member, network=club, member=other_member, role=Role.ORGANISER
    )
    edit(club_guide, other_member, "Par l'organisatrice")

    assert Guide.objects.get(pk=club_guide.pk).version == 2


def test_only_organisers_write_on_behalf_of_a_network(other_member, club):
    join(other_member, club)
    with pytest.raises(PermissionDenied):
        make_guide(other_member, network=club)
    assert not Guide.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "", "Write the text"),
        ("body", "   \n  ", "Write the text"),
        ("body", "x" * 200_000, "too long"),
        ("title", "", "title"),
        ("title", "t" * 201, "too long"),
        ("kind", "pamphlet", "kind"),
        ("tags", [f"tag {n}" for n in range(11)], "10 tags"),
        ("tags", ["x" * 41], "40 characters"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(member, field, value, message):
    with pytest.raises(DomainError, match=message):
        make_guide(member, **{field: value})
    assert not Guide.objects.exists()


def test_tags_are_normalised_and_shared(member, other_member):
    first = make_guide(member, tags=["16 MM", " 16 mm ", "Plein  Air"])
    second = make_guide(other_member, tags=["plein air"])
    assert sorted(GuideTag.objects.filter(guides=first).values_list("name", flat=True)) == [
        "16 mm",
        "plein air",
    ]
    assert GuideTag.objects.get(guides=second).name == "plein air"
    assert GuideTag.objects.count() == 2


def test_a_script_in_the_text_is_shown_as_text_never_run(member):
    guide = make_guide(member, body="<script>alert(1)</script>\n\n[x](javascript:alert(1))")
    html = render_markdown(guide.body)
    assert "<script" not in html
    assert 'href="javascript' not in html
