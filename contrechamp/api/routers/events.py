"""Events: the agenda with the calendar's filters, an event's page with who comes, an
RSVP, and the caller's own events and shifts. The same queries and services as the site's
event pages: a members-only event is shown to its network's members only, a draft to its
organisers only."""

from datetime import datetime
from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from contrechamp.api import auth
from contrechamp.api.errors import documented, unknown_city
from contrechamp.api.pagination import Page, PageParams, paginate
from contrechamp.api.schemas import (
    Day,
    EventRef,
    FilmRef,
    Id,
    NetworkRef,
    VenueRef,
    as_query,
    first_item_links,
    listed,
    site_url,
)
from contrechamp.core import places
from contrechamp.events.models import Event, Rsvp, Shift, ShiftSignup
from contrechamp.events.queries import attendance as attendance_queries
from contrechamp.events.queries import events as queries
from contrechamp.events.services import attendance as attendance_services

router = Router(tags=["Events"])

EventKind = Annotated[Event.Kind, listed(Event.Kind)]
EventStatus = Annotated[Event.Status, listed(Event.Status)]
EventVisibility = Annotated[Event.Visibility, listed(Event.Visibility)]
RsvpStatus = Annotated[Rsvp.Status, listed(Rsvp.Status)]
ShiftRole = Annotated[Shift.Role, listed(Shift.Role)]


class EventOut(Schema):
    id: int
    title: str
    kind: EventKind
    status: EventStatus
    visibility: EventVisibility
    starts_at: datetime
    ends_at: datetime
    time_zone: str = Field(description="The IANA zone the event's times are meant in.")
    network: NetworkRef
    venue: VenueRef | None
    online_url: str
    capacity: int | None = Field(description="Seats; null when there is no limit.")
    films: list[FilmRef]
    url: str = Field(description="The event's page on the site.")

    @staticmethod
    def resolve_films(obj: Event) -> list[object]:
        return [screening.film for screening in obj.screenings.all()]

    @staticmethod
    def resolve_url(obj: Event) -> str:
        return site_url(obj.get_absolute_url())


class AgendaEventOut(EventOut):
    going_count: int
    distance_km: float | None = Field(description="From the city asked for with `near`.")

    @staticmethod
    def resolve_distance_km(obj: Event) -> float | None:
        distance = getattr(obj, "distance_km", None)
        return round(distance, 1) if distance is not None else None


class AttendanceOut(Schema):
    going: int
    maybe: int
    waitlisted: int
    seats_left: int | None = Field(description="Null when there is no seat limit.")
    my_status: RsvpStatus | None = Field(description="The caller's answer; null if none.")
    my_waitlist_position: int | None = Field(description="1 for the next to get a seat.")
    can_rsvp: bool
    why_not: str | None = Field(description="Why the caller cannot answer, in words.")


class EventDetailOut(EventOut):
    description: str
    accessibility_notes: str
    cancellation_reason: str
    festival: int | None = Field(description="The id of the festival it belongs to.")
    attendance: AttendanceOut

    @staticmethod
    def resolve_festival(obj: Event) -> int | None:
        return obj.festival_id

    @staticmethod
    def resolve_attendance(obj: Event, context: dict[str, HttpRequest]) -> AttendanceOut:
        panel = attendance_queries.attendance_panel(
            event=obj, viewer=auth.viewer(context["request"])
        )
        return AttendanceOut(
            going=panel.going_count,
            maybe=panel.maybe_count,
            waitlisted=panel.waitlist_count,
            seats_left=panel.seats_left,
            my_status=Rsvp.Status(panel.my_status) if panel.my_status else None,
            my_waitlist_position=panel.my_waitlist_position,
            can_rsvp=panel.can_rsvp,
            why_not=panel.why_not,
        )


class AgendaQuery(Schema):
    q: str = Field("", max_length=100, description="Words of the title.")
    kind: EventKind | None = None
    network: str = Field("", max_length=140, description="A network's slug.")
    near: str = Field("", max_length=100, description="A city: the events around it.")
    km: int = Field(30, ge=1, le=500, description="The distance from `near`, in km.")
    from_: Day | None = Field(None, alias="from", description="Events on or after this day.")
    to: Day | None = Field(None, description="Events starting on or before this day.")
    past: bool = Field(False, description="Events that have ended, latest first.")


class RsvpIn(Schema):
    status: Literal["going", "maybe", "cancelled"] = Field(
        description="`cancelled` withdraws an answer (not going)."
    )


class RsvpOut(Schema):
    event_id: int
    status: RsvpStatus = Field(description="`waitlisted` when the event was full.")
    waitlist_position: int | None

    @staticmethod
    def resolve_waitlist_position(obj: Rsvp) -> int | None:
        return attendance_queries.waitlist_position(obj)


class EventSummaryOut(Schema):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    status: EventStatus
    network: NetworkRef
    venue: VenueRef | None
    url: str

    @staticmethod
    def resolve_url(obj: Event) -> str:
        return site_url(obj.get_absolute_url())


class MyRsvpOut(Schema):
    event: EventSummaryOut
    status: RsvpStatus
    waitlist_position: int | None

    @staticmethod
    def resolve_waitlist_position(obj: Rsvp) -> int | None:
        # `waitlist_position` is annotated by `my_events` on every row.
        position: int = getattr(obj, "waitlist_position", 0)
        return position if obj.status == Rsvp.Status.WAITLISTED else None


class MyShiftOut(Schema):
    event: EventRef
    role: ShiftRole
    label: str
    starts_at: datetime
    ends_at: datetime

    @staticmethod
    def resolve_event(obj: ShiftSignup) -> Event:
        return obj.shift.event

    @staticmethod
    def resolve_role(obj: ShiftSignup) -> str:
        return obj.shift.role

    @staticmethod
    def resolve_label(obj: ShiftSignup) -> str:
        return obj.shift.label

    @staticmethod
    def resolve_starts_at(obj: ShiftSignup) -> datetime:
        return obj.shift.starts_at

    @staticmethod
    def resolve_ends_at(obj: ShiftSignup) -> datetime:
        return obj.shift.ends_at


class MyEventsOut(Schema):
    rsvps: list[MyRsvpOut] = Field(description="Going, maybe or waitlisted; soonest first.")
    shifts: list[MyShiftOut] = Field(description="Volunteer shifts signed up for.")

    @staticmethod
    def resolve_shifts(obj: attendance_queries.MyEvents) -> list[ShiftSignup]:
        return obj.signups


@router.get(
    "/events",
    auth=auth.PUBLIC,
    openapi_extra={
        **auth.OPTIONAL_AUTH,
        **first_item_links("id", "event_id", "get_event", "rsvp"),
    },
    response={200: Page[AgendaEventOut], **documented(401, 422)},
)
def list_events(
    request: HttpRequest, filters: Query[AgendaQuery], page: Query[PageParams]
) -> dict[str, object]:
    """The agenda: the events the caller may see, to come (soonest first) or past
    (`past=true`, latest first), by words of the title, type, network, distance from a
    city and days. Cancelled events stay listed, with their status."""
    agenda = queries.AgendaFilters.from_query(as_query(filters.model_dump(by_alias=True)))
    if agenda.near_unknown:
        raise unknown_city(places.suggest_cities(agenda.near))
    return paginate(queries.agenda(auth.viewer(request), agenda), page)


@router.get(
    "/events/{event_id}",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: EventDetailOut, **documented(401, 403, 404, 422)},
)
def get_event(request: HttpRequest, event_id: Id) -> Event:
    """An event with its films and who comes: 403 for a members-only event of a network
    the caller is not a member of, 404 for a draft they do not organise."""
    event = queries.event_page(auth.viewer(request), event_id)
    if event is None:
        raise Http404
    return event


@router.post(
    "/events/{event_id}/rsvp",
    auth=auth.WRITE,
    response={200: RsvpOut, **documented(400, 401, 403, 404, 409, 422)},
)
def rsvp(request: HttpRequest, event_id: Id, payload: RsvpIn) -> Rsvp:
    """Answer going, maybe or not going (`cancelled`). Going to a full event puts the
    caller at the end of its waitlist (`waitlisted`): the first seat freed is theirs."""
    event = get_object_or_404(Event.objects.select_related("network", "venue"), pk=event_id)
    return attendance_services.rsvp(actor=auth.member(request), event=event, status=payload.status)


@router.get(
    "/me/events",
    auth=auth.MEMBERS,
    response={200: MyEventsOut, **documented(401)},
)
def my_events(request: HttpRequest) -> attendance_queries.MyEvents:
    """The caller's coming events (going, maybe or waitlisted, with their place in the
    waitlist) and volunteer shifts, soonest first: 200 of each at most."""
    return attendance_queries.my_events(auth.member(request))
