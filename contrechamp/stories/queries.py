"""Reads shared by the story pages and the API: each sets its joins and prefetches so a
page's query count does not grow with the number of stories, tags, images or comments."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import QueryDict

from contrechamp.accounts.models import User
from contrechamp.networks.models import Network
from contrechamp.stories.models import Comment, Endorsement, NetworkTag, PersonTag, Story

QUERY_MAX = 100
MAX_WORDS = 8


def shown_network_tags() -> "Prefetch[str, QuerySet[NetworkTag], str]":
    return Prefetch(
        "network_tags",
        queryset=NetworkTag.objects.filter(removed_at__isnull=True).select_related("network"),
        to_attr="shown_network_tags",
    )


def shown_person_tags() -> "Prefetch[str, QuerySet[PersonTag], str]":
    return Prefetch(
        "person_tags",
        queryset=PersonTag.objects.filter(status=PersonTag.Status.ACCEPTED).select_related(
            "person"
        ),
        to_attr="shown_person_tags",
    )


@dataclass(frozen=True)
class StoryFilters:
    """The list's filters from the query string, cleaned without errors: words, a
    network (its slug) and a person tagged (their username)."""

    q: str = ""
    network: str = ""
    person: str = ""

    @classmethod
    def from_query(cls, params: QueryDict) -> "StoryFilters":
        return cls(
            q=" ".join(params.get("q", "").split())[:QUERY_MAX],
            network=params.get("network", "").strip()[:QUERY_MAX],
            person=params.get("person", "").strip()[:QUERY_MAX],
        )


def published_stories(filters: StoryFilters) -> QuerySet[Story]:
    """Published stories, newest first, with their author and shown tags."""
    stories = Story.objects.filter(status=Story.Status.PUBLISHED)
    for word in filters.q.split()[:MAX_WORDS]:
        stories = stories.filter(
            Q(title__icontains=word) | Q(lead__icontains=word) | Q(body__icontains=word)
        )
    if filters.network:
        stories = stories.filter(
            network_tags__network__slug=filters.network, network_tags__removed_at__isnull=True
        )
    if filters.person:
        stories = stories.filter(
            person_tags__person__username=filters.person,
            person_tags__status=PersonTag.Status.ACCEPTED,
        )
    return (
        stories.select_related("author")
        .prefetch_related(shown_network_tags(), shown_person_tags())
        .order_by("-published_at", "-pk")
    )


def filter_network(filters: StoryFilters) -> Network | None:
    if not filters.network:
        return None
    return Network.objects.filter(slug=filters.network).first()


def filter_person(filters: StoryFilters) -> User | None:
    if not filters.person:
        return None
    return User.objects.filter(username=filters.person, deleted_at__isnull=True).first()


def story_page(story_id: int) -> QuerySet[Story]:
    """The story (use `get_object_or_404`) with its images, shown tags and comments."""
    return (
        Story.objects.filter(pk=story_id)
        .select_related("author")
        .prefetch_related(
            "images",
            shown_network_tags(),
            shown_person_tags(),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
        )
    )


def stories_of(author: User) -> QuerySet[Story]:
    """The author's own stories, drafts included, latest change first."""
    return Story.objects.filter(author=author).order_by("-updated_at", "-pk")


def tags_of(person: User) -> QuerySet[PersonTag]:
    """The tags that name the person, waiting ones first, with their story and author."""
    return (
        PersonTag.objects.filter(person=person)
        .exclude(status=PersonTag.Status.REFUSED)
        .select_related("story__author")
        .order_by("-status", "-created_at", "-pk")
    )


def endorsements_of(network: Network) -> QuerySet[Endorsement]:
    """A network's recommendations, latest first, with their author and story."""
    return (
        Endorsement.objects.filter(network=network)
        .select_related("author", "story")
        .order_by("-updated_at", "-pk")
    )


def own_endorsement(member: User, network: Network) -> Endorsement | None:
    return Endorsement.objects.filter(network=network, author=member).first()


def linkable_stories(member: User) -> QuerySet[Story]:
    """Published stories an endorsement may point to: the member's own, or ones that
    name them."""
    return (
        Story.objects.filter(status=Story.Status.PUBLISHED)
        .filter(
            Q(author=member)
            | Q(person_tags__person=member, person_tags__status=PersonTag.Status.ACCEPTED)
        )
        .distinct()
        .order_by("-published_at", "-pk")
    )
