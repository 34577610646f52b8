import pytest
from django.core.exceptions import PermissionDenied
from zeal import zeal_ignore

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core.errors import InvalidTransition
from contrechamp.networks.models import Network
from contrechamp.notifications.models import Notification
from contrechamp.stories import queries, services
from contrechamp.stories.models import NetworkTag, PersonTag, Story

from .conftest import MakeStory, make_network


def _shown(story: Story) -> tuple[list[str], list[str]]:
    with zeal_ignore():
        page = queries.story_page(story.pk).get()
    return (
        [tag.network.name for tag in page.shown_network_tags],  # type: ignore[attr-defined]
        [tag.person.username for tag in page.shown_person_tags],  # type: ignore[attr-defined]
    )


def test_a_tagged_person_is_asked_and_not_shown_until_they_accept(
    make_story: MakeStory, other_member: User
) -> None:
    story = make_story(people=[other_member])
    tag = PersonTag.objects.get(story=story, person=other_member)

    assert tag.is_pending
    assert _shown(story)[1] == []
    assert Notification.objects.filter(recipient=other_member, kind="stories.tag_request").exists()

    services.answer_tag(actor=other_member, tag=tag, accept=True)

    assert _shown(story)[1] == [other_member.username]


def test_a_refused_tag_is_never_shown_and_cannot_be_asked_again(
    make_story: MakeStory, member: User, other_member: User
) -> None:
    story = make_story(people=[other_member])
    tag = PersonTag.objects.get(story=story)
    services.answer_tag(actor=other_member, tag=tag, accept=False)

    services.update_story(
        actor=member,
        story=story,
        title=story.title,
        body=story.body,
        people=[other_member],
        publish=True,
    )

    assert PersonTag.objects.get(story=story).status == PersonTag.Status.REFUSED
    assert _shown(story)[1] == []
    assert Notification.objects.filter(recipient=other_member).count() == 1


def test_the_person_can_remove_their_tag_later(make_story: MakeStory, other_member: User) -> None:
    story = make_story(people=[other_member])
    tag = services.answer_tag(actor=other_member, tag=PersonTag.objects.get(), accept=True)

    services.remove_my_tag(actor=other_member, tag=tag)

    assert _shown(story)[1] == []


def test_only_the_tagged_person_answers_and_only_once(
    make_story: MakeStory, member: User, other_member: User
) -> None:
    make_story(people=[other_member])
    tag = PersonTag.objects.get()

    with pytest.raises(PermissionDenied):
        services.answer_tag(actor=member, tag=tag, accept=True)
    services.answer_tag(actor=other_member, tag=tag, accept=True)
    with pytest.raises(InvalidTransition):
        services.answer_tag(actor=other_member, tag=tag, accept=False)


def test_a_network_tag_is_shown_at_once(make_story: MakeStory, club: Network) -> None:
    story = make_story(networks=[club])

    assert _shown(story)[0] == [club.name]


def test_a_network_admin_removes_the_tag_and_the_author_cannot_add_it_back(
    make_story: MakeStory, member: User, other_member: User, club: Network
) -> None:
    story = make_story(networks=[club])
    tag = NetworkTag.objects.get()

    services.remove_network_tag(actor=other_member, tag=tag)
    services.update_story(
        actor=member,
        story=story,
        title=story.title,
        body=story.body,
        networks=[club],
        publish=True,
    )

    assert _shown(story)[0] == []
    assert NetworkTag.objects.get().removed_by == other_member


def test_someone_else_cannot_remove_a_network_tag(
    make_story: MakeStory, outsider: User, club: Network
) -> None:
    make_story(networks=[club])

    with pytest.raises(PermissionDenied):
        services.remove_network_tag(actor=outsider, tag=NetworkTag.objects.get())

    assert NetworkTag.objects.get().removed_at is None


def test_the_author_cannot_tag_themselves_nor_too_many(make_story: MakeStory, member: User) -> None:
    from contrechamp.core.errors import DomainError

    with pytest.raises(DomainError):
        make_story(people=[member])
    many = [make_network(member, f"Club {number}") for number in range(11)]
    with pytest.raises(DomainError):
        make_story(networks=many)


def test_a_draft_is_read_only_by_its_author_and_the_people_asked(
    make_story: MakeStory, member: User, other_member: User, outsider: User
) -> None:
    story = make_story(publish=False, people=[other_member])

    assert services.may_read(member, story)
    assert services.may_read(other_member, story)
    assert not services.may_read(outsider, story)
    assert not services.may_read(None, story)


def test_a_deleted_member_cannot_be_tagged(make_story: MakeStory) -> None:
    from contrechamp.core.errors import DomainError

    gone = UserFactory.create(is_active=False)
    with pytest.raises(DomainError):
        make_story(people=[gone])
