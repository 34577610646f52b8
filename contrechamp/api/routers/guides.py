"""Guides and technical sheets: the guides the caller may see (by words, kind, network and
tag), a guide with its files, its history and any version, and writing or editing one.
The same queries and services as the guide pages: a guide that is not shared with the
caller is not found (404), and an edit must name the version it was based on (409 when
another edit happened since)."""

from datetime import datetime
from typing import Annotated, Literal

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import StringConstraints

from contrechamp.accounts.models import User
from contrechamp.api import auth
from contrechamp.api.errors import documented, invalid_field
from contrechamp.api.pagination import Page, PageParams, paginate
from contrechamp.api.schemas import (
    NO_NUL,
    Id,
    MemberRef,
    as_query,
    first_item_links,
    listed,
    site_url,
)
from contrechamp.guides import queries, services
from contrechamp.guides.models import (
    BODY_MAX,
    NOTE_MAX,
    SUMMARY_MAX,
    TAG_MAX,
    TAGS_PER_GUIDE,
    TITLE_MAX,
    Guide,
    GuideAttachment,
    GuideVersion,
)
from contrechamp.networks.models import Network

router = Router(tags=["Guides and technical sheets"])

GuideKind = Annotated[Guide.Kind, listed(Guide.Kind)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=TITLE_MAX, pattern=NO_NUL)]
Summary = Annotated[str, StringConstraints(max_length=SUMMARY_MAX, pattern=NO_NUL)]
Body = Annotated[str, StringConstraints(min_length=1, max_length=BODY_MAX, pattern=NO_NUL)]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=TAG_MAX, pattern=NO_NUL)]
Note = Annotated[str, StringConstraints(max_length=NOTE_MAX, pattern=NO_NUL)]
NetworkSlug = Annotated[
    str, StringConstraints(min_length=1, max_length=140, pattern=r"^[-a-zA-Z0-9_]+$")
]


class GuideOwnerOut(Schema):
    kind: Literal["member", "network"]
    name: str
    username: str | None = Field(description="The owner's username, for a member.")
    network: str | None = Field(description="The network's slug, for a network.")


def _owner(guide: Guide) -> GuideOwnerOut:
    if guide.owner_network is not None:
        network = guide.owner_network
        return GuideOwnerOut(kind="network", name=network.name, username=None, network=network.slug)
    assert guide.owner_user is not None  # noqa: S101 - guaranteed by guide_one_owner
    user = guide.owner_user
    return GuideOwnerOut(kind="member", name=user.public_name, username=user.username, network=None)


class GuideOut(Schema):
    id: int
    kind: GuideKind
    title: str
    summary: str
    tags: list[str]
    owner: GuideOwnerOut
    is_public: bool
    version: int = Field(description="The latest version's number: send it back to edit.")
    helped: int = Field(description="Members who said this guide helped them.")
    updated_at: datetime
    url: str = Field(description="The guide's page on the site.")

    @staticmethod
    def resolve_tags(obj: Guide) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_owner(obj: Guide) -> GuideOwnerOut:
        return _owner(obj)

    @staticmethod
    def resolve_helped(obj: Guide) -> int:
        return obj.helped_count

    @staticmethod
    def resolve_url(obj: Guide) -> str:
        return site_url(obj.get_absolute_url())


class GuideAttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str = Field(description="Download address (checks who asks).")

    @staticmethod
    def resolve_name(obj: GuideAttachment) -> str:
        return obj.original_name

    @staticmethod
    def resolve_url(obj: GuideAttachment) -> str:
        return site_url(obj.get_absolute_url())


class GuideDetailOut(GuideOut):
    body: str = Field(description="Markdown.")
    shared_with: list[str] = Field(description="Slugs of the networks it is shared with.")
    attachments: list[GuideAttachmentOut]

    @staticmethod
    def resolve_shared_with(obj: Guide) -> list[str]:
        return [network.slug for network in obj.shared_with.all()]

    @staticmethod
    def resolve_attachments(obj: Guide) -> list[GuideAttachment]:
        return list(obj.attachments.all())


class GuideVersionOut(Schema):
    number: int
    title: str
    note: str
    author: MemberRef | None = Field(description="Null for a former member.")
    created_at: datetime
    restored_from: int | None = Field(description="The version this one restored, if any.")


class GuideVersionDetailOut(GuideVersionOut):
    kind: GuideKind
    summary: str
    body: str
    tags: list[str]

    @staticmethod
    def resolve_tags(obj: GuideVersion) -> list[str]:
        return obj.tag_list


class GuideListQuery(Schema):
    q: str = Field("", max_length=100, description="Words of the title, summary or text.")
    kind: GuideKind | None = None
    network: str = Field(
        "", max_length=140, description="Guides this network owns or is shared (slug)."
    )
    tag: str = Field("", max_length=40)


class GuideWriteIn(Schema):
    kind: GuideKind = Guide.Kind.GUIDE
    title: Title
    summary: Summary = ""
    body: Body
    tags: list[Tag] = Field([], max_length=TAGS_PER_GUIDE)
    note: Note = Field("", description="A few words for the history.")


class GuideCreateIn(GuideWriteIn):
    network: NetworkSlug | None = Field(
        None, description="Write it on behalf of this network (its admins and organisers)."
    )
    is_public: bool = False
    shared_with: list[NetworkSlug] = Field(
        [], max_length=services.SHARED_NETWORKS_MAX, description="Network slugs."
    )


class GuideEditIn(GuideWriteIn):
    based_on: int = Field(
        ge=1, le=2**31, description="The `version` the edit starts from (409 if outdated)."
    )


def _visible(viewer: User | AnonymousUser, guide_id: int) -> Guide:
    guide = queries.guide_page(viewer, guide_id).first()
    if guide is None:
        raise Http404
    return guide


def _details(payload: GuideWriteIn) -> services.GuideDetails:
    return services.GuideDetails(
        title=payload.title,
        body=payload.body,
        kind=payload.kind,
        summary=payload.summary,
        tags=payload.tags,
    )


def _networks(field: str, slugs: list[str]) -> list[Network]:
    found = {network.slug: network for network in Network.objects.filter(slug__in=slugs)}
    if any(slug not in found for slug in slugs):
        raise invalid_field(field, _("No network has this address."))
    return [found[slug] for slug in dict.fromkeys(slugs)]


@router.get(
    "/guides",
    auth=auth.PUBLIC,
    openapi_extra={
        **auth.OPTIONAL_AUTH,
        **first_item_links("id", "guide_id", "get_guide", "list_guide_versions"),
    },
    response={200: Page[GuideOut], **documented(401, 422)},
)
def list_guides(
    request: HttpRequest, filters: Query[GuideListQuery], page: Query[PageParams]
) -> dict[str, object]:
    """Guides the caller may see, latest edited first."""
    found = queries.GuideFilters.from_query(as_query(filters.model_dump()))
    return paginate(queries.search_guides(auth.viewer(request), found), page)


@router.get(
    "/guides/{guide_id}",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: GuideDetailOut, **documented(401, 404, 422)},
)
def get_guide(request: HttpRequest, guide_id: Id) -> Guide:
    """A guide with its text and files; 404 when it is not shared with the caller."""
    return _visible(auth.viewer(request), guide_id)


@router.get(
    "/guides/{guide_id}/versions",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: Page[GuideVersionOut], **documented(401, 404, 422)},
)
def list_guide_versions(
    request: HttpRequest, guide_id: Id, page: Query[PageParams]
) -> dict[str, object]:
    """The guide's history, latest first (without the texts)."""
    return paginate(queries.versions(_visible(auth.viewer(request), guide_id)), page)


@router.get(
    "/guides/{guide_id}/versions/{number}",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: GuideVersionDetailOut, **documented(401, 404, 422)},
)
def get_guide_version(request: HttpRequest, guide_id: Id, number: Id) -> GuideVersion:
    """One version of the guide, with its text."""
    version = queries.version(_visible(auth.viewer(request), guide_id), number)
    if version is None:
        raise Http404
    return version


@router.post(
    "/guides",
    auth=auth.WRITE,
    response={201: GuideDetailOut, **documented(400, 401, 403, 409, 422)},
)
def create_guide(request: HttpRequest, payload: GuideCreateIn) -> Status[Guide]:
    """Write a guide, owned by the caller or, for its admins and organisers, by `network`.
    It is shared with the networks named (the caller must belong to them)."""
    actor = auth.member(request)
    network = _networks("network", [payload.network])[0] if payload.network else None
    guide = services.create_guide(
        actor=actor,
        details=_details(payload),
        network=network,
        is_public=payload.is_public,
        shared_with=_networks("shared_with", payload.shared_with),
        note=payload.note,
    )
    return Status(201, _visible(actor, guide.pk))


@router.put(
    "/guides/{guide_id}",
    auth=auth.WRITE,
    response={200: GuideDetailOut, **documented(400, 401, 403, 404, 409, 422)},
)
def edit_guide(request: HttpRequest, guide_id: Id, payload: GuideEditIn) -> Guide:
    """Save a new version of the guide (its editors only). `based_on` must be the latest
    version's number: otherwise 409 and nothing changes."""
    actor = auth.member(request)
    guide = _visible(actor, guide_id)
    services.update_guide(
        actor=actor,
        guide=guide,
        details=_details(payload),
        based_on=payload.based_on,
        note=payload.note,
    )
    return _visible(actor, guide_id)
