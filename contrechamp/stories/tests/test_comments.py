import pytest
from django.core.exceptions import PermissionDenied

from contrechamp.accounts.models import User
from contrechamp.core.errors import DomainError, InvalidTransition
from contrechamp.notifications.models import Notification
from contrechamp.stories import services
from contrechamp.stories.models import COMMENT_MAX, Comment

from .conftest import MakeStory


def test_a_comment_tells_the_author(
    make_story: MakeStory, member: User, other_member: User
) -> None:
    story = make_story()

    comment = services.add_comment(actor=other_member, story=story, body="  Bravo à tous !  ")

    assert comment.body == "Bravo à tous !"
    notification = Notification.objects.get(recipient=member, kind="stories.comment")
    assert notification.url.endswith(f"#comment-{comment.pk}")


@pytest.mark.parametrize("body", ["", "   ", "x" * (COMMENT_MAX + 1)])
def test_an_empty_or_too_long_comment_is_refused(
    make_story: MakeStory, other_member: User, body: str
) -> None:
    story = make_story()

    with pytest.raises(DomainError):
        services.add_comment(actor=other_member, story=story, body=body)

    assert not Comment.objects.exists()


def test_a_draft_takes_no_comment(make_story: MakeStory, other_member: User) -> None:
    story = make_story(publish=False)

    with pytest.raises(InvalidTransition):
        services.add_comment(actor=other_member, story=story, body="Déjà ?")


def test_a_comment_is_deleted_by_its_author_or_the_story_author_only(
    make_story: MakeStory, member: User, other_member: User, outsider: User
) -> None:
    story = make_story()
    first = services.add_comment(actor=other_member, story=story, body="Un")
    second = services.add_comment(actor=other_member, story=story, body="Deux")

    with pytest.raises(PermissionDenied):
        services.delete_comment(actor=outsider, comment=first)
    services.delete_comment(actor=other_member, comment=first)
    services.delete_comment(actor=member, comment=second)

    assert not Comment.objects.exists()
