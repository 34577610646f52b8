"""The stories app's part in a member's data export and account deletion.

On deletion the member's stories (with their images), comments, tags and recommendations
are deleted, not anonymised: a story tells the member's own experience, and a
recommendation speaks in their name; neither means much without them.
Registered with `contrechamp.accounts.registry` in `StoriesConfig.ready()`.
"""

from datetime import datetime

from contrechamp.accounts.models import User
from contrechamp.stories import services
from contrechamp.stories.models import Comment, Endorsement, PersonTag, Story


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_member_stories(user: User) -> dict[str, object]:
    """The member's stories (with the networks and people they name), comments, the
    tags that name them and their recommendations."""
    stories = (
        Story.objects.filter(author=user)
        .prefetch_related("network_tags__network", "person_tags__person", "images")
        .order_by("pk")
    )
    comments = Comment.objects.filter(author=user).order_by("pk")
    tags = PersonTag.objects.filter(person=user).select_related("story").order_by("pk")
    endorsements = Endorsement.objects.filter(author=user).select_related("network")
    return {
        "stories": [
            {
                "id": story.pk,
                "title": story.title,
                "lead": story.lead,
                "body": story.body,
                "status": story.status,
                "created_at": _iso(story.created_at),
                "published_at": _iso(story.published_at),
                "cover": story.cover.name or None,
                "cover_description": story.cover_alt,
                "images": [
                    {
                        "number": image.number,
                        "file": image.image.name,
                        "description": image.alt_text,
                    }
                    for image in story.images.all()
                ],
                "networks": [
                    {"network": tag.network.slug, "removed": tag.removed_at is not None}
                    for tag in story.network_tags.all()
                ],
                "people": [
                    {"username": tag.person.username, "status": tag.status}
                    for tag in story.person_tags.all()
                ],
            }
            for story in stories
        ],
        "comments": [
            {"story": comment.story_id, "text": comment.body, "at": _iso(comment.created_at)}
            for comment in comments
        ],
        "tagged_in": [
            {"story": tag.story_id, "title": tag.story.title, "status": tag.status} for tag in tags
        ],
        "recommendations": [
            {
                "network": endorsement.network.slug,
                "text": endorsement.text,
                "story": endorsement.story_id,
                "updated_at": _iso(endorsement.updated_at),
            }
            for endorsement in endorsements.order_by("pk")
        ],
    }


def remove_member_stories(user: User) -> None:
    """Inside the deletion transaction: delete the member's stories and their files,
    comments, tags and recommendations."""
    services.remove_member_content(user)
    PersonTag.objects.filter(person=user).delete()
