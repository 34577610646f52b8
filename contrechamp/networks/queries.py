"""Reads shared by the pages (and later the API): each sets its joins and prefetches so a
page's query count does not grow with the number of networks, members or roles."""

import math
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.networks.models import (
    CharterAcceptance,
    CharterVersion,
    Membership,
    Network,
    RoleAssignment,
    RoleHandover,
)
from contrechamp.stories.models import Endorsement

DEFAULT_KM = 30
MAX_KM = 500
QUERY_MAX = 100
ONLINE_LIMIT = 12
# Recommendations shown on a network's page; the rest are one link away.
LATEST_ENDORSEMENTS = 3


def with_member_count(queryset: QuerySet[Network]) -> QuerySet[Network]:
    """Annotate `member_count` (active members) with a correlated subquery, not a GROUP BY,
    so it composes with distance annotations and pagination counts."""
    counts = (
        Membership.objects.filter(network=OuterRef("pk"), status=Membership.Status.ACTIVE)
        .order_by()
        .values("network")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return queryset.annotate(
        member_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0)
    )


def with_endorsement_count(queryset: QuerySet[Network]) -> QuerySet[Network]:
    """Annotate `endorsement_count` (recommendations from members, see the stories app)
    with a correlated subquery, like `member_count`."""
    counts = (
        Endorsement.objects.filter(network=OuterRef("pk"))
        .order_by()
        .values("network")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return queryset.annotate(
        endorsement_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0)
    )


def parse_km(raw: str | None) -> int:
    """A radius from the query string: not a number gives the default, out of range is
    clamped to 1 to 500 km. Never an error."""
    try:
        value = float(raw) if raw else float(DEFAULT_KM)
    except ValueError:
        return DEFAULT_KM
    if not math.isfinite(value):
        return DEFAULT_KM
    return int(min(max(round(value), 1), MAX_KM))


@dataclass(frozen=True)
class DirectoryFilters:
    """The directory's filters as they came in the query string, cleaned without errors."""

    q: str = ""
    kind: str = ""
    near: str = ""
    km: int = DEFAULT_KM

    @classmethod
    def from_query(cls, params: QueryDict) -> "DirectoryFilters":
        kind = params.get("type", "")
        return cls(
            q=params.get("q", "").strip()[:QUERY_MAX],
            kind=kind if kind in Network.Kind.values else "",
            near=params.get("near", "").strip()[:QUERY_MAX],
            km=parse_km(params.get("km")),
        )


@dataclass
class Directory:
    """`networks` is the main list: the networks near `place` (nearest first) when a known
    city was given, otherwise every match by name. `online` lists online networks apart
    when a city was given. `suggestions` are close city names for an unknown one."""

    networks: QuerySet[Network]
    online: QuerySet[Network] | None = None
    place: places.Place | None = None
    unknown_city: bool = False
    suggestions: list[places.Place] = field(default_factory=list)


def _matching(filters: DirectoryFilters) -> QuerySet[Network]:
    queryset = Network.objects.all()
    for word in places.normalise(filters.q).split()[:8]:
        queryset = queryset.filter(name_normalised__contains=word)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return with_endorsement_count(with_member_count(queryset))


def search_directory(filters: DirectoryFilters) -> Directory:
    """The directory: by name (accents and case ignored), type and distance from a city."""
    matching = _matching(filters)
    if not filters.near:
        return Directory(networks=matching)
    place = places.find_city(filters.near)
    if place is None:
        return Directory(
            networks=matching,
            unknown_city=True,
            suggestions=places.suggest_cities(filters.near),
        )
    near = places.near(
        matching.filter(is_online=False), place.latitude, place.longitude, filters.km
    )
    online = matching.filter(is_online=True).order_by("name_normalised")[:ONLINE_LIMIT]
    return Directory(networks=near, online=online, place=place)


def map_points(networks: list[Network]) -> list[dict[str, object]]:
    """What the map shows for networks already loaded: no query."""
    return [
        {
            "name": network.name,
            "url": network.get_absolute_url(),
            "city": network.city_name,
            "kind": str(network.get_kind_display()),
            "lat": network.latitude,
            "lon": network.longitude,
        }
        for network in networks
        if network.latitude is not None and network.longitude is not None
    ]


def networks_near(latitude: float, longitude: float, *, km: int, limit: int) -> list[Network]:
    queryset = with_member_count(Network.objects.filter(is_online=False))
    return list(places.near(queryset, latitude, longitude, km)[:limit])


def newest_networks(*, limit: int) -> list[Network]:
    return list(with_member_count(Network.objects.order_by("-created_at", "-pk"))[:limit])


def memberships_of(user: User) -> QuerySet[Membership]:
    """A person's memberships with their networks, flagged `charter_ok` when the person
    accepted the network's current charter (or it has none)."""
    accepted = CharterAcceptance.objects.filter(
        user=user, version=OuterRef("network__current_charter")
    )
    return (
        Membership.objects.filter(user=user)
        .select_related("network")
        .annotate(charter_accepted=Exists(accepted))
        .order_by("network__name_normalised")
    )


def current_assignments() -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(ended_at__isnull=True)
        .select_related("user")
        .order_by("role", "started_at", "pk")
    )


def network_page(slug: str) -> QuerySet[Network]:
    """The network by slug (use `get_object_or_404`), with its current charter, member and
    recommendation counts, current role holders prefetched as `current_assignments` and
    its latest recommendations as `latest_endorsements`."""
    return with_endorsement_count(
        with_member_count(
            Network.objects.filter(slug=slug)
            .select_related("current_charter")
            .prefetch_related(
                Prefetch(
                    "role_assignments",
                    queryset=current_assignments(),
                    to_attr="current_assignments",
                ),
                Prefetch(
                    "endorsements",
                    queryset=Endorsement.objects.select_related("author", "story").order_by(
                        "-updated_at", "-pk"
                    )[:LATEST_ENDORSEMENTS],
                    to_attr="latest_endorsements",
                ),
            )
        )
    )


def role_history(network: Network) -> QuerySet[RoleAssignment]:
    """Every role ever held in the network, newest first, with the handover (and its notes)
    that ended or started each one."""
    return RoleAssignment.objects.filter(network=network).select_related(
        "user",
        "assigned_by",
        "ended_by",
        "handover_out__started_assignment__user",
        "handover_out__handed_over_by",
        "handover_in__ended_assignment__user",
    )


def members(network: Network) -> QuerySet[Membership]:
    """Active members, longest-standing first, each user with `roles_here` (current roles)."""
    return (
        Membership.objects.filter(network=network, status=Membership.Status.ACTIVE)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "user__network_roles",
                queryset=RoleAssignment.objects.filter(
                    network=network, ended_at__isnull=True
                ).order_by("role"),
                to_attr="roles_here",
            )
        )
        .order_by("joined_at", "pk")
    )


def pending_requests(network: Network) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(network=network, status=Membership.Status.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def invitations(network: Network) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(network=network, status=Membership.Status.INVITED)
        .select_related("user", "invited_by")
        .order_by("-created_at", "-pk")
    )


def charter_versions(network: Network) -> QuerySet[CharterVersion]:
    return network.charter_versions.select_related("published_by").order_by("-number")


def handover_candidates(
    network: Network, actor: User, *, is_admin: bool
) -> QuerySet[RoleAssignment]:
    """Current assignments the person may hand over: all of them for an admin, else their own."""
    queryset = current_assignments().filter(network=network)
    return queryset if is_admin else queryset.filter(user=actor)


def handover_already_made(
    network: Network, assignment_id: str | None, actor: User
) -> RoleHandover | None:
    """The handover `actor` already made of this (now ended) assignment, if any: what a
    second submission of the same handover form refers to."""
    if not assignment_id or not assignment_id.isdigit():
        return None
    return (
        RoleHandover.objects.filter(
            network=network, ended_assignment_id=int(assignment_id), handed_over_by=actor
        )
        .select_related("started_assignment__user")
        .first()
    )
