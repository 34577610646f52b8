"""What the site's one search finds among guides (see `contrechamp.search.registry`).

A search document names at most one network, a guide may be shared with several: the
document is never more visible than the guide. A public guide is public; a network's guide
is shown to that network's members; a member's guide to its owner, and to the members of
the one network it is shared with when there is exactly one. Members of the other networks
a guide is shared with find it in the guides list (`/guides/?q=`), not in the site search.
"""

from collections.abc import Iterable, Sequence

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from contrechamp.guides.models import Guide
from contrechamp.search import registry


def guide_entries(ids: Sequence[int]) -> Iterable[registry.Entry]:
    guides = (
        Guide.objects.filter(pk__in=ids)
        .annotate(shares=Count("shared_with", distinct=True))
        .select_related("owner_network", "owner_user")
        .prefetch_related("tags", "shared_with")
    )
    for guide in guides:
        network_id = guide.owner_network_id
        if network_id is None and guide.shares == 1:
            network_id = next(iter(guide.shared_with.all())).pk
        tags = [tag.name for tag in guide.tags.all()]
        yield registry.Entry(
            object_id=guide.pk,
            title=guide.title,
            url=guide.get_absolute_url(),
            words=[guide.title, guide.summary, " ".join(tags), guide.body[:5000]],
            text=" · ".join(part for part in (guide.owner_name, guide.summary) if part)[:300],
            category=guide.kind,
            is_public=guide.is_public,
            network_id=network_id,
            owner_id=guide.owner_user_id,
        )


def register_search() -> None:
    registry.register(
        registry.Provider(
            kind="guides",
            label=_("Guides and technical sheets"),
            position=72,
            entries=guide_entries,
            all_ids=lambda: Guide.objects.values_list("pk", flat=True),
            categories=dict(Guide.Kind.choices),
        )
    )
