"""Community stories and network recommendations: published stories (by words, network
or person involved), one story with its shown tags and comments, a network's
recommendations, and recommending a network. The same queries and services as the pages."""

from datetime import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from contrechamp.accounts.models import User
from contrechamp.api import auth
from contrechamp.api.errors import documented
from contrechamp.api.pagination import Page, PageParams, paginate
from contrechamp.api.schemas import Id, MemberRef, NetworkRef, Slug, as_query, site_url
from contrechamp.core.errors import DomainError
from contrechamp.networks.models import Network
from contrechamp.stories import queries, services
from contrechamp.stories.models import (
    ENDORSEMENT_MAX,
    Comment,
    Endorsement,
    NetworkTag,
    PersonTag,
    Story,
)

router = Router(tags=["Community stories"])


class StoryOut(Schema):
    id: int
    title: str
    lead: str
    author: MemberRef
    published_at: datetime | None
    networks: list[NetworkRef] = Field(description="The networks involved that are shown.")
    people: list[MemberRef] = Field(description="The people involved who accepted their tag.")
    cover_url: str | None = Field(description="The cover image, when there is one.")
    url: str = Field(description="The story's page on the site.")

    @staticmethod
    def resolve_networks(obj: Story) -> list[Network]:
        tags: list[NetworkTag] = obj.shown_network_tags  # type: ignore[attr-defined]
        return [tag.network for tag in tags]

    @staticmethod
    def resolve_people(obj: Story) -> list[object]:
        tags: list[PersonTag] = obj.shown_person_tags  # type: ignore[attr-defined]
        return [tag.person for tag in tags]

    @staticmethod
    def resolve_cover_url(obj: Story) -> str | None:
        return site_url(obj.cover.url) if obj.cover else None

    @staticmethod
    def resolve_url(obj: Story) -> str:
        return site_url(obj.get_absolute_url())


class CommentOut(Schema):
    id: int
    author: MemberRef
    body: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj: Comment) -> object:
        return obj.author


class StoryDetailOut(StoryOut):
    body: str = Field(description="Markdown; the pages show it sanitised.")
    comments: list[CommentOut]

    @staticmethod
    def resolve_comments(obj: Story) -> list[Comment]:
        return list(obj.comments.all())


class StoryQuery(Schema):
    q: str = Field("", max_length=100, description="Words of the title, lead or text.")
    network: str = Field("", max_length=100, description="A network's slug: its stories.")
    person: str = Field("", max_length=100, description="A username: stories naming them.")


class EndorsementOut(Schema):
    id: int
    network: NetworkRef
    author: MemberRef
    text: str
    story_id: int | None = Field(description="The story that tells why, if any.")
    created_at: datetime
    updated_at: datetime


class EndorsementIn(Schema):
    text: str = Field(min_length=1, max_length=ENDORSEMENT_MAX)
    story_id: int | None = Field(None, ge=1, description="A published story to link.")


@router.get(
    "/stories",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: Page[StoryOut], **documented(401, 422)},
)
def list_stories(
    request: HttpRequest, filters: Query[StoryQuery], page: Query[PageParams]
) -> dict[str, object]:
    """Published stories, newest first: by words, network involved or person involved."""
    found = queries.StoryFilters.from_query(as_query(filters.model_dump()))
    return paginate(queries.published_stories(found), page)


@router.get(
    "/stories/{story_id}",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: StoryDetailOut, **documented(401, 404, 422)},
)
def get_story(request: HttpRequest, story_id: Id) -> Story:
    """A story the caller may read (published, or their own draft) with its comments."""
    story = get_object_or_404(queries.story_page(story_id))
    viewer = auth.viewer(request)
    if not services.may_read(viewer if isinstance(viewer, User) else None, story):
        raise Http404
    return story


@router.get(
    "/networks/{slug}/endorsements",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: Page[EndorsementOut], **documented(401, 404, 422)},
)
def list_endorsements(
    request: HttpRequest, slug: Slug, page: Query[PageParams]
) -> dict[str, object]:
    """The network's recommendations, latest first."""
    network = get_object_or_404(Network, slug=slug)
    return paginate(queries.endorsements_of(network).select_related("network"), page)


@router.post(
    "/networks/{slug}/endorsements",
    auth=auth.WRITE,
    response={200: EndorsementOut, 201: EndorsementOut, **documented(400, 401, 403, 404, 422)},
)
def endorse_network(
    request: HttpRequest, slug: Slug, payload: EndorsementIn
) -> Status[Endorsement]:
    """Recommend the network (201), or change the caller's recommendation (200). Open to
    its members and to people it helped (named in a published story about it); its admins
    may not (403)."""
    actor = auth.member(request)
    network = get_object_or_404(Network, slug=slug)
    story = None
    if payload.story_id is not None:
        story = Story.objects.filter(pk=payload.story_id).first()
        if story is None:
            raise DomainError(_("Link a published story."))
    existed = queries.own_endorsement(actor, network) is not None
    endorsement = services.endorse(actor=actor, network=network, text=payload.text, story=story)
    endorsement = queries.endorsements_of(network).select_related("network").get(pk=endorsement.pk)
    return Status(200 if existed else 201, endorsement)
