from typing import Any

import pytest

from contrechamp.accounts import registry
from contrechamp.guides import services
from contrechamp.guides.member_data import export_member_guides, withdraw_member_guides
from contrechamp.guides.models import Guide, GuideAttachment, GuideEditor, GuideVersion
from contrechamp.guides.tests.conftest import edit, make_guide

pytestmark = pytest.mark.django_db


def test_the_app_contributes_to_export_and_deletion():
    contributor = next(c for c in registry.contributors() if c.name == "guides")
    assert contributor.export is export_member_guides
    assert contributor.anonymise is withdraw_member_guides


def test_the_export_holds_the_members_guides_versions_and_marks(member, other_member, guide):
    theirs = make_guide(other_member, title="Guide de Nora")
    services.add_editor(actor=other_member, guide=theirs, member=member)
    edit(theirs, member, "Juliette contribue", note="précisions")
    services.set_sharing(actor=other_member, guide=theirs, is_public=True, networks=[])

    exported: dict[str, Any] = export_member_guides(member)

    assert [g["title"] for g in exported["owned"]] == [guide.title]
    assert exported["owned"][0]["body"] == guide.body
    assert [v["note"] for v in exported["versions_saved"]] == ["", "précisions"]
    assert exported["co_editor_of"] == ["Guide de Nora"]


def test_deletion_removes_own_guides_and_keeps_others_history(
    member, other_member, guide, pdf, settings, django_capture_on_commit_callbacks
):
    services.attach_file(actor=member, guide=guide, upload=pdf)
    theirs = make_guide(other_member, title="Guide de Nora")
    services.add_editor(actor=other_member, guide=theirs, member=member)
    edit(theirs, member, "Juliette contribue")
    services.set_sharing(actor=other_member, guide=theirs, is_public=True, networks=[])

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_member_guides(member)

    assert list(Guide.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert not GuideAttachment.objects.exists()
    assert not [p for p in settings.PRIVATE_MEDIA_ROOT.rglob("*") if p.is_file()]
    assert not GuideEditor.objects.filter(user=member).exists()
    assert GuideVersion.objects.filter(guide=theirs, author=member).count() == 1
