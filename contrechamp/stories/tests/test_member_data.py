from contrechamp.accounts import services as account_services
from contrechamp.accounts.models import User
from contrechamp.networks.models import Network
from contrechamp.stories import services
from contrechamp.stories.member_data import export_member_stories
from contrechamp.stories.models import Comment, Endorsement, PersonTag, Story

from .conftest import MakeStory


def test_the_export_holds_stories_comments_tags_and_recommendations(
    make_story: MakeStory, member: User, other_member: User, club: Network
) -> None:
    story = make_story(networks=[club], people=[other_member])
    services.add_comment(actor=member, story=story, body="Merci !")
    services.endorse(actor=member, network=club, text="Bien.", story=story)

    data = export_member_stories(member)
    theirs = export_member_stories(other_member)

    assert data["stories"][0]["title"] == story.title  # type: ignore[index]
    assert data["stories"][0]["networks"] == [{"network": club.slug, "removed": False}]  # type: ignore[index]
    assert data["comments"][0]["text"] == "Merci !"  # type: ignore[index]
    assert data["recommendations"][0]["network"] == club.slug  # type: ignore[index]
    assert theirs["tagged_in"][0]["status"] == "pending"  # type: ignore[index]


def test_deleting_the_account_deletes_stories_comments_tags_and_recommendations(
    make_story: MakeStory, member: User, other_member: User, club: Network
) -> None:
    theirs = make_story(author=other_member, people=[member])
    mine = make_story(networks=[club])
    services.add_comment(actor=member, story=theirs, body="Bravo")
    services.add_comment(actor=other_member, story=mine, body="Merci")
    services.endorse(actor=member, network=club, text="Bien.")

    account_services.delete_account(actor=member, member=member)

    assert list(Story.objects.all()) == [theirs]
    assert not Comment.objects.exists()
    assert not Endorsement.objects.exists()
    assert not PersonTag.objects.exists()
