"""Networks: the directory (by name, type and distance from a city), a network's page,
and joining one. The same queries and services as the site's network pages."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from pydantic import StrictBool

from contrechamp.accounts.models import User
from contrechamp.api import auth
from contrechamp.api.errors import documented, unknown_city
from contrechamp.api.pagination import Page, PageParams, paginate
from contrechamp.api.schemas import (
    MemberRef,
    Message,
    Slug,
    as_query,
    first_item_links,
    listed,
    site_url,
)
from contrechamp.networks import queries, services
from contrechamp.networks.models import Membership, Network, Role, RoleAssignment
from contrechamp.networks.permissions import standing

router = Router(tags=["Networks"])

NetworkKind = Annotated[Network.Kind, listed(Network.Kind)]
JoinPolicy = Annotated[Network.JoinPolicy, listed(Network.JoinPolicy)]
RoleName = Annotated[Role, listed(Role)]
MembershipStatus = Annotated[Membership.Status, listed(Membership.Status)]


class NetworkOut(Schema):
    slug: str
    name: str
    kind: NetworkKind
    city: str | None = Field(description="Null for an online-only network.")
    latitude: float | None
    longitude: float | None
    is_online: bool
    join_policy: JoinPolicy
    member_count: int
    distance_km: float | None = Field(
        description="From the city asked for with `near`; null without it."
    )
    url: str = Field(description="The network's page on the site.")

    @staticmethod
    def resolve_city(obj: Network) -> str | None:
        return None if obj.is_online else obj.city_name

    @staticmethod
    def resolve_distance_km(obj: Network) -> float | None:
        distance = getattr(obj, "distance_km", None)
        return round(distance, 1) if distance is not None else None

    @staticmethod
    def resolve_url(obj: Network) -> str:
        return site_url(obj.get_absolute_url())


class CharterOut(Schema):
    version: int
    text: str
    published_at: datetime


class RoleHolderOut(Schema):
    role: RoleName
    member: MemberRef
    since: datetime

    @staticmethod
    def resolve_member(obj: RoleAssignment) -> User:
        return obj.user

    @staticmethod
    def resolve_since(obj: RoleAssignment) -> datetime:
        return obj.started_at


class MyStandingOut(Schema):
    membership: MembershipStatus | None = Field(
        description="active, pending (a request awaits an answer), invited, or null."
    )
    roles: list[RoleName]
    must_accept_charter: bool


class NetworkDetailOut(NetworkOut):
    description: str
    website: str
    charter: CharterOut | None
    role_holders: list[RoleHolderOut]
    me: MyStandingOut | None = Field(description="The caller's standing; null when anonymous.")

    @staticmethod
    def resolve_charter(obj: Network) -> CharterOut | None:
        charter = obj.current_charter
        if charter is None:
            return None
        return CharterOut(
            version=charter.number, text=charter.text, published_at=charter.published_at
        )

    @staticmethod
    def resolve_role_holders(obj: Network) -> list[RoleAssignment]:
        return list(getattr(obj, "current_assignments", []))

    @staticmethod
    def resolve_me(obj: Network, context: dict[str, HttpRequest]) -> MyStandingOut | None:
        viewer = auth.viewer(context["request"])
        if not isinstance(viewer, User):
            return None
        me = standing(viewer, obj)
        return MyStandingOut(
            membership=Membership.Status(me.membership.status) if me.membership else None,
            roles=sorted(Role(role) for role in me.roles),
            must_accept_charter=me.must_accept_charter,
        )


class DirectoryQuery(Schema):
    q: str = Field("", max_length=100, description="Words of the name (accents ignored).")
    type: NetworkKind | None = Field(None, description="The type of network.")
    near: str = Field("", max_length=100, description="A city: the networks around it.")
    km: int = Field(30, ge=1, le=500, description="The distance from `near`, in km.")


class JoinIn(Schema):
    accept_charter: StrictBool = Field(
        False, description="Must be true when the network has a charter."
    )
    message: Message = Field("", description="For a network that answers requests.")


class MembershipOut(Schema):
    network: str = Field(description="The network's slug.")
    status: MembershipStatus
    joined_at: datetime | None

    @staticmethod
    def resolve_network(obj: Membership) -> str:
        return obj.network.slug


@router.get(
    "/networks",
    auth=auth.PUBLIC,
    openapi_extra={
        **auth.OPTIONAL_AUTH,
        **first_item_links("slug", "slug", "get_network", "join_network"),
    },
    response={200: Page[NetworkOut], **documented(401, 422)},
)
def list_networks(
    request: HttpRequest, filters: Query[DirectoryQuery], page: Query[PageParams]
) -> dict[str, object]:
    """The directory: networks by name and type; with `near`, those within `km` of the
    city, nearest first (online-only networks are then left out)."""
    found = queries.search_directory(
        queries.DirectoryFilters.from_query(as_query(filters.model_dump(by_alias=True)))
    )
    if found.unknown_city:
        raise unknown_city(found.suggestions)
    return paginate(found.networks, page)


@router.get(
    "/networks/{slug}",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: NetworkDetailOut, **documented(401, 404, 422)},
)
def get_network(request: HttpRequest, slug: Slug) -> Network:
    """A network's public page, its current charter, who holds its roles, and the
    caller's own standing in it."""
    return get_object_or_404(queries.network_page(slug))


@router.post(
    "/networks/{slug}/join",
    auth=auth.WRITE,
    response={200: MembershipOut, **documented(400, 401, 403, 404, 409, 422)},
)
def join_network(request: HttpRequest, slug: Slug, payload: JoinIn) -> Membership:
    """Join an open network, ask to join one that answers requests (the membership is
    then `pending`), or accept an invitation. Joining again changes nothing."""
    network = get_object_or_404(Network, slug=slug)
    return services.join_network(
        actor=auth.member(request),
        network=network,
        accept_charter=payload.accept_charter,
        message=payload.message,
    )
