"""Reads shared by the guide pages and the API, with their joins set here so that a page's
query count does not grow with the number of guides, versions, files or editors. Every
read goes through `permissions.visible_to`: a guide nobody shared with the viewer is not
found (404), never shown."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import QueryDict

from contrechamp.accounts.models import User
from contrechamp.guides.models import Guide, GuideEditor, GuideHelpful, GuideVersion
from contrechamp.guides.permissions import EDITOR_ROLES, can_manage, visible_to
from contrechamp.networks.models import Membership, Network, RoleAssignment

QUERY_MAX = 100
# Words of a search: more would only make the query heavier, not better.
WORDS_MAX = 8
CHOICES_MAX = 200


def _text(query: QueryDict, name: str, limit: int = QUERY_MAX) -> str:
    return " ".join(query.get(name, "").split())[:limit]


@dataclass(frozen=True)
class GuideFilters:
    """A list's search, read from the query string (bad values are ignored): words, kind,
    network (slug: guides it owns or that are shared with it) and tag."""

    q: str = ""
    kind: str = ""
    network: str = ""
    tag: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> "GuideFilters":
        kind = _text(query, "kind", 20)
        return cls(
            q=_text(query, "q"),
            kind=kind if kind in Guide.Kind.values else "",
            network=_text(query, "network", 140),
            tag=_text(query, "tag", 40).lower(),
        )

    @property
    def any(self) -> bool:
        return bool(self.q or self.kind or self.network or self.tag)


def visible_guides(viewer: User | AnonymousUser) -> QuerySet[Guide]:
    return Guide.objects.filter(visible_to(viewer))


def search_guides(viewer: User | AnonymousUser, filters: GuideFilters) -> QuerySet[Guide]:
    """Guides the viewer may see matching the filters, latest edited first."""
    guides = visible_guides(viewer)
    for word in filters.q.split()[:WORDS_MAX]:
        guides = guides.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        )
    if filters.kind:
        guides = guides.filter(kind=filters.kind)
    if filters.network:
        shared = Guide.shared_with.through.objects.filter(network__slug=filters.network).values(
            "guide_id"
        )
        guides = guides.filter(Q(owner_network__slug=filters.network) | Q(pk__in=shared))
    if filters.tag:
        tagged = Guide.tags.through.objects.filter(guidetag__name=filters.tag).values("guide_id")
        guides = guides.filter(pk__in=tagged)
    return (
        guides.select_related("owner_user", "owner_network")
        .prefetch_related("tags")
        .defer("body")
        .order_by("-updated_at", "-pk")
    )


def guide_page(viewer: User | AnonymousUser, pk: int) -> QuerySet[Guide]:
    """The guide `pk` if the viewer may see it, with what its page shows."""
    return (
        visible_guides(viewer)
        .filter(pk=pk)
        .select_related("owner_user", "owner_network", "created_by")
        .prefetch_related(
            "tags",
            "attachments",
            "shared_with",
            Prefetch("editor_rows", queryset=GuideEditor.objects.select_related("user")),
        )
    )


@dataclass(frozen=True)
class ViewerRights:
    """What the viewer may do with a guide, read in a fixed number of queries."""

    can_edit: bool = False
    can_manage: bool = False
    found_helpful: bool = False
    is_author: bool = False


def viewer_rights(viewer: User | AnonymousUser, guide: Guide) -> ViewerRights:
    """`guide` comes from `guide_page` (its editor rows are loaded)."""
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return ViewerRights()
    manages = can_manage(viewer, guide)
    co_edits = any(row.user_id == viewer.pk for row in guide.editor_rows.all())
    edits = manages or co_edits
    wrote = edits or GuideVersion.objects.filter(guide=guide, author=viewer).exists()
    return ViewerRights(
        can_edit=edits,
        can_manage=manages,
        found_helpful=GuideHelpful.objects.filter(guide=guide, user=viewer).exists(),
        is_author=wrote,
    )


def versions(guide: Guide) -> QuerySet[GuideVersion]:
    """The guide's history, latest first, without the texts."""
    return (
        GuideVersion.objects.filter(guide=guide)
        .select_related("author")
        .defer("body", "summary")
        .order_by("-number")
    )


def version(guide: Guide, number: int) -> GuideVersion | None:
    return GuideVersion.objects.filter(guide=guide, number=number).select_related("author").first()


def networks_to_share_with(member: User) -> QuerySet[Network]:
    """The networks the member may share a guide with: those they are active in."""
    return Network.objects.filter(
        memberships__user=member, memberships__status=Membership.Status.ACTIVE
    ).order_by("name")


def networks_member_can_publish_for(member: User) -> QuerySet[Network]:
    """Networks on whose behalf the member may write a guide: they are an admin or an
    organiser there, and an active member."""
    roles = RoleAssignment.objects.filter(
        user=member, role__in=EDITOR_ROLES, ended_at__isnull=True
    ).values("network_id")
    return networks_to_share_with(member).filter(pk__in=roles)


def network_choices(viewer: User | AnonymousUser, chosen: str) -> list[Network]:
    """Networks for the list's filter: the viewer's own, and the one in the address."""
    found = Q(slug=chosen) if chosen else Q(pk__in=[])
    if isinstance(viewer, User) and viewer.is_authenticated:
        found |= Q(
            pk__in=Membership.objects.filter(user=viewer, status=Membership.Status.ACTIVE).values(
                "network_id"
            )
        )
    return list(
        Network.objects.filter(found).only("pk", "name", "slug").order_by("name")[:CHOICES_MAX]
    )


def tag_choices() -> list[str]:
    """Suggestions for the list's tag filter: the tags of public guides (a member may also
    type a tag of a guide shared with them)."""
    public = Guide.objects.filter(is_public=True).values("pk")
    return list(
        Guide.tags.through.objects.filter(guide_id__in=public)
        .values_list("guidetag__name", flat=True)
        .distinct()
        .order_by("guidetag__name")[:CHOICES_MAX]
    )
