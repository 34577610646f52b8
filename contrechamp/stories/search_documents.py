"""What the site's one search finds among community stories: published stories, by their
title, lead, text and the networks they name (see `contrechamp.search.registry`)."""

from collections.abc import Iterable, Sequence

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from contrechamp.search import registry
from contrechamp.stories.models import NetworkTag, Story


def story_entries(ids: Sequence[int]) -> Iterable[registry.Entry]:
    stories = (
        Story.objects.filter(pk__in=ids, status=Story.Status.PUBLISHED)
        .only("pk", "title", "lead", "body", "author_id")
        .prefetch_related(
            Prefetch(
                "network_tags",
                queryset=NetworkTag.objects.filter(removed_at__isnull=True).select_related(
                    "network"
                ),
                to_attr="shown_network_tags",
            )
        )
    )
    for story in stories:
        network_names = [tag.network.name for tag in story.shown_network_tags]
        yield registry.Entry(
            object_id=story.pk,
            title=story.title,
            url=story.get_absolute_url(),
            words=[story.title, story.lead, *network_names, story.body],
            text=story.lead or story.body[:200],
            owner_id=story.author_id,
        )


def register_search() -> None:
    registry.register(
        registry.Provider(
            kind="stories",
            label=_("Community stories"),
            position=85,
            entries=story_entries,
            all_ids=lambda: Story.objects.filter(status=Story.Status.PUBLISHED).values_list(
                "pk", flat=True
            ),
        )
    )
