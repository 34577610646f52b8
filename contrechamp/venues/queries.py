"""Reads shared by the venue pages (and later the API): each sets its joins so that a
page's query count does not grow with the number of venues or events."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.events.models import Event
from contrechamp.events.permissions import visible_events
from contrechamp.networks.queries import DEFAULT_KM, parse_km
from contrechamp.venues.models import Venue

QUERY_MAX = 100
UPCOMING_LIMIT = 20
# Query-string flags for equipment and access, and the column each one filters on.
FEATURES = {
    "dcp": "has_dcp_projector",
    "35mm": "has_35mm_projector",
    "16mm": "has_16mm_projector",
    "step_free": "step_free_access",
}


def _flag(value: str | None) -> bool:
    return value in {"1", "on", "true", "yes"}


@dataclass(frozen=True)
class VenueFilters:
    """The list's filters as they came in the query string, cleaned without errors."""

    q: str = ""
    kind: str = ""
    near: str = ""
    km: int = DEFAULT_KM
    features: frozenset[str] = frozenset()

    @classmethod
    def from_query(cls, params: QueryDict) -> "VenueFilters":
        kind = params.get("kind", "")
        return cls(
            q=params.get("q", "").strip()[:QUERY_MAX],
            kind=kind if kind in Venue.Kind.values else "",
            near=params.get("near", "").strip()[:QUERY_MAX],
            km=parse_km(params.get("km")),
            features=frozenset(name for name in FEATURES if _flag(params.get(name))),
        )


@dataclass
class VenueSearch:
    """`venues` are those near `place` (nearest first, annotated `distance_km`) when a
    known city was given, otherwise every match by name. `suggestions` are close city
    names for an unknown one."""

    venues: QuerySet[Venue]
    place: places.Place | None = None
    unknown_city: bool = False
    suggestions: list[places.Place] = field(default_factory=list)


def _matching(filters: VenueFilters) -> QuerySet[Venue]:
    queryset = Venue.objects.all()
    # `dedupe_key` is the normalised "name town": one word may be in either.
    for word in places.normalise(filters.q).split()[:8]:
        queryset = queryset.filter(dedupe_key__contains=word)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    for name in sorted(filters.features):
        queryset = queryset.filter(**{FEATURES[name]: True})
    return queryset


def search_venues(filters: VenueFilters) -> VenueSearch:
    """The directory of venues: by name or town (accents and case ignored), type,
    equipment, access, and distance from a city."""
    matching = _matching(filters)
    if not filters.near:
        return VenueSearch(venues=matching)
    place = places.find_city(filters.near)
    if place is None:
        return VenueSearch(
            venues=matching, unknown_city=True, suggestions=places.suggest_cities(filters.near)
        )
    return VenueSearch(
        venues=places.near(matching, place.latitude, place.longitude, filters.km), place=place
    )


def map_points(venues: list[Venue]) -> list[dict[str, object]]:
    """What the map shows for venues already loaded: no query."""
    return [
        {
            "name": venue.name,
            "url": venue.get_absolute_url(),
            "city": venue.city_name,
            "kind": str(venue.get_kind_display()),
            "lat": venue.latitude,
            "lon": venue.longitude,
        }
        for venue in venues
    ]


def venue_page(pk: int) -> QuerySet[Venue]:
    """The venue by primary key (use `get_object_or_404`)."""
    return Venue.objects.filter(pk=pk)


def upcoming_events(viewer: User | AnonymousUser, venue: Venue) -> list[Event]:
    """The next events at the venue that the viewer may see, soonest first."""
    return list(
        visible_events(viewer)
        .filter(venue=venue, ends_at__gte=timezone.now())
        .select_related("network")
        .order_by("starts_at", "pk")[:UPCOMING_LIMIT]
    )
