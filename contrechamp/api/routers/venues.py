"""Venues: the directory (by name or town, type, equipment, access and distance from a
city) and a venue's page with its coming events. The same queries as the venue pages."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from contrechamp.api import auth
from contrechamp.api.errors import documented, unknown_city
from contrechamp.api.pagination import Page, PageParams, paginate
from contrechamp.api.schemas import EventRef, Id, as_query, first_item_links, listed, site_url
from contrechamp.events.models import Event
from contrechamp.venues import queries
from contrechamp.venues.models import Venue

router = Router(tags=["Venues"])

VenueKind = Annotated[Venue.Kind, listed(Venue.Kind)]


class VenueOut(Schema):
    id: int
    name: str
    kind: VenueKind
    address: str
    postcode: str
    city: str
    latitude: float
    longitude: float
    capacity: int | None = Field(description="Seats; null when not known.")
    website: str
    has_dcp_projector: bool
    has_35mm_projector: bool
    has_16mm_projector: bool
    has_video_projector: bool
    has_sound_system: bool
    step_free_access: bool
    hearing_loop: bool
    distance_km: float | None = Field(description="From the city asked for with `near`.")
    url: str = Field(description="The venue's page on the site.")

    @staticmethod
    def resolve_city(obj: Venue) -> str:
        return obj.city_name

    @staticmethod
    def resolve_distance_km(obj: Venue) -> float | None:
        distance = getattr(obj, "distance_km", None)
        return round(distance, 1) if distance is not None else None

    @staticmethod
    def resolve_url(obj: Venue) -> str:
        return site_url(obj.get_absolute_url())


class VenueDetailOut(VenueOut):
    description: str
    equipment_notes: str
    accessibility_notes: str
    updated_at: datetime
    upcoming_events: list[EventRef] = Field(
        description="The next events there that the caller may see (20 at most)."
    )

    @staticmethod
    def resolve_upcoming_events(obj: Venue, context: dict[str, HttpRequest]) -> list[Event]:
        return queries.upcoming_events(auth.viewer(context["request"]), obj)


class VenueQuery(Schema):
    q: str = Field("", max_length=100, description="Words of the name or the town.")
    kind: VenueKind | None = None
    near: str = Field("", max_length=100, description="A city: the venues around it.")
    km: int = Field(30, ge=1, le=500, description="The distance from `near`, in km.")
    dcp: bool = Field(False, description="Only venues with a DCP projector.")
    mm35: bool = Field(False, alias="35mm", description="Only with a 35 mm projector.")
    mm16: bool = Field(False, alias="16mm", description="Only with a 16 mm projector.")
    step_free: bool = Field(False, description="Only venues with step-free access.")


@router.get(
    "/venues",
    auth=auth.PUBLIC,
    openapi_extra={
        **auth.OPTIONAL_AUTH,
        **first_item_links("id", "venue_id", "get_venue"),
    },
    response={200: Page[VenueOut], **documented(401, 422)},
)
def list_venues(
    request: HttpRequest, filters: Query[VenueQuery], page: Query[PageParams]
) -> dict[str, object]:
    """Venues by name or town, type, equipment and access; with `near`, those within
    `km` of the city, nearest first."""
    found = queries.search_venues(
        queries.VenueFilters.from_query(as_query(filters.model_dump(by_alias=True)))
    )
    if found.unknown_city:
        raise unknown_city(found.suggestions)
    return paginate(found.venues, page)


@router.get(
    "/venues/{venue_id}",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: VenueDetailOut, **documented(401, 404, 422)},
)
def get_venue(request: HttpRequest, venue_id: Id) -> Venue:
    """A venue, its equipment and access, and its coming events the caller may see."""
    return get_object_or_404(queries.venue_page(venue_id))
