"""The member's data export and account deletion, and the demo seed."""

import pytest
from zeal import zeal_ignore

from contrechamp.accounts import registry
from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.feedback import demo, services
from contrechamp.feedback.models import (
    Cut,
    CutComment,
    Reviewer,
    ScreenplayComment,
    ScreenplayVersion,
)
from contrechamp.feedback.tests.conftest import invite_to_cut, invite_to_screenplay


def contributor() -> registry.MemberDataContributor:
    return next(c for c in registry.contributors() if c.name == "feedback")


def test_the_export_holds_the_members_comments_and_invitations(
    version_1: ScreenplayVersion, cut: Cut, owner: User, member: User
) -> None:
    invite_to_screenplay(owner, version_1, "juliette")
    invite_to_cut(owner, cut, "juliette")
    services.comment_on_screenplay(actor=member, version=version_1, body="Trop court", line=17)
    services.comment_on_cut(actor=member, cut=cut, body="Raccord", at="00:01:00:00")
    with zeal_ignore():
        data = contributor().export(member)
    assert isinstance(data, dict)
    assert data["screenplay_comments"] == [
        {
            "project": "la-calanque",
            "version": 1,
            "line": 17,
            "scene": 1,
            "quoted_text": "Rien n'a bougé.",
            "reply": False,
            "body": "Trop court",
            "written_at": ScreenplayComment.objects.get().created_at.isoformat(),
        }
    ]
    assert data["cut_comments"][0]["timecode"] == "00:01:00:00"
    assert len(data["invitations"]) == 2


def test_deleting_an_account_withdraws_its_invitations_and_keeps_the_threads(
    version_1: ScreenplayVersion, owner: User, member: User
) -> None:
    invite_to_screenplay(owner, version_1, "juliette")
    services.comment_on_screenplay(actor=member, version=version_1, body="Trop court", line=17)
    anonymise = contributor().anonymise
    assert anonymise is not None
    anonymise(member)
    assert not Reviewer.objects.filter(member=member).exists()
    assert ScreenplayComment.objects.count() == 1


@pytest.fixture
def people(db: None) -> dict[str, User]:
    return {
        name: UserFactory.create(username=name, display_name=name.title())
        for name in ("nora", "juliette", "sebastien")
    }


def counts() -> list[int]:
    return [
        model.objects.count()
        for model in (ScreenplayVersion, ScreenplayComment, Cut, CutComment, Reviewer)
    ]


def test_the_demo_tells_the_story_and_seeding_twice_changes_nothing(
    people: dict[str, User],
) -> None:
    with zeal_ignore():
        demo.seed(people)
    first = counts()
    assert first == [2, 5, 1, 4, 4]

    def comment(start: str) -> ScreenplayComment:
        with zeal_ignore():
            return ScreenplayComment.objects.get(parent__isnull=True, body__startswith=start)

    kept = comment("Très court")
    assert (kept.version.number, kept.line, kept.is_outdated) == (2, 17, False)
    assert comment("La réplique de Marc").is_outdated
    assert comment("Belle image").is_outdated
    assert comment("Dix figurants").line == 33
    assert CutComment.objects.filter(resolved_at__isnull=False).count() == 1
    with zeal_ignore():
        demo.seed(people)
    assert counts() == first


def test_the_demo_needs_nora(db: None) -> None:
    demo.seed({})
    assert not ScreenplayVersion.objects.exists()
