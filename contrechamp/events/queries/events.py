"""Reads of events shared by the calendars, the event page (and later the API), with their
joins set here so that a page's query count does not grow with the data.

The calendars read the `event_agenda` index (status, visibility, starts_at) and, near a
city, `event_lat_lon`: "upcoming" is bounded on `starts_at` (no event lasts longer than a
festival), so even a festival that began weeks ago is found by an index range. The number
going is one correlated subquery per listed row (over the `rsvp_event_status` index),
evaluated for the page's rows only, not for every event that matches.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.events.models import Event, Rsvp, Screening
from contrechamp.events.permissions import (
    ORGANISING_ROLES,
    can_organise,
    ensure_can_see,
    visible_events,
)
from contrechamp.events.services.events import MAX_FESTIVAL_DURATION
from contrechamp.networks.models import Membership, Network, RoleAssignment

DEFAULT_KM = 30
MAX_KM = 500
QUERY_MAX = 100
OTHER_DATES_SHOWN = 6
# Kinds whose films make them a schema.org ScreeningEvent.
SCREENING_KINDS = frozenset(
    {
        Event.Kind.SCREENING,
        Event.Kind.OPEN_AIR_SCREENING,
        Event.Kind.CINE_DEBATE,
        Event.Kind.MARATHON,
        Event.Kind.WATCH_PARTY,
    }
)


def _date(value: str) -> date | None:
    """A date from the query string; nonsense and far-off years are ignored."""
    try:
        parsed = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return parsed if 2000 <= parsed.year <= 2200 else None


@dataclass(frozen=True)
class AgendaFilters:
    """What a calendar asks for, read from the query string (bad values are ignored).

    `start` and `end` are days in the site's time zone; `past` lists events that have
    ended, latest first, instead of those to come."""

    q: str = ""
    kind: str = ""
    network: str = ""
    near: str = ""
    km: int = DEFAULT_KM
    start: date | None = None
    end: date | None = None
    past: bool = False
    place: places.Place | None = None
    near_unknown: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> "AgendaFilters":
        kind = query.get("kind", "")
        try:
            km = min(max(int(query.get("km", DEFAULT_KM)), 1), MAX_KM)
        except ValueError:
            km = DEFAULT_KM
        near = " ".join(query.get("near", "").split())[:QUERY_MAX]
        place = places.find_city(near) if near else None
        return cls(
            q=" ".join(query.get("q", "").split())[:QUERY_MAX],
            kind=kind if kind in Event.Kind.values else "",
            network=query.get("network", "").strip()[:140],
            near=near,
            km=km,
            start=_date(query.get("from", "")),
            end=_date(query.get("to", "")),
            past=query.get("past", "") == "1",
            place=place,
            near_unknown=bool(near) and place is None,
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.kind or self.network or self.near or self.start or self.end)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def with_films(events: QuerySet[Event]) -> QuerySet[Event]:
    """Events with their screenings and films, in programme order."""
    return events.prefetch_related(
        Prefetch(
            "screenings",
            queryset=Screening.objects.select_related("film").order_by("position", "pk"),
        )
    )


def with_going_count(events: QuerySet[Event]) -> QuerySet[Event]:
    """Events annotated with `going_count`, the RSVPs that are "going"."""
    going = (
        Rsvp.objects.filter(event=OuterRef("pk"), status=Rsvp.Status.GOING)
        .order_by()
        .values("event")
        .annotate(number=Count("pk"))
        .values("number")
    )
    return events.annotate(going_count=Coalesce(Subquery(going, output_field=IntegerField()), 0))


def _filtered(events: QuerySet[Event], filters: AgendaFilters) -> QuerySet[Event]:
    now = timezone.now()
    if filters.past:
        events = events.filter(ends_at__lt=now)
    else:
        events = events.filter(ends_at__gte=now, starts_at__gte=now - MAX_FESTIVAL_DURATION)
    if filters.start is not None:
        start = _day_start(filters.start)
        events = events.filter(ends_at__gt=start, starts_at__gte=start - MAX_FESTIVAL_DURATION)
    if filters.end is not None:
        events = events.filter(starts_at__lt=_day_start(filters.end + timedelta(days=1)))
    if filters.q:
        events = events.filter(title__icontains=filters.q)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.network:
        events = events.filter(network__slug=filters.network)
    if filters.place is not None:
        events = places.near(events, filters.place.latitude, filters.place.longitude, filters.km)
    events = with_going_count(with_films(events.select_related("network", "venue")))
    if filters.past:
        return events.order_by("-starts_at", "-pk")
    return events.order_by("starts_at", "pk")


def agenda(viewer: User | AnonymousUser, filters: AgendaFilters) -> QuerySet[Event]:
    """The global calendar: events the viewer may see, to come (or past), filtered,
    soonest first; cancelled ones stay listed, marked cancelled."""
    return _filtered(visible_events(viewer), filters)


def network_calendar(
    viewer: User | AnonymousUser, network: Network, filters: AgendaFilters
) -> QuerySet[Event]:
    """The calendar of one network: its organisers also see its drafts."""
    return _filtered(visible_events(viewer).filter(network=network), replace(filters, network=""))


@dataclass(frozen=True)
class AgendaDay:
    day: date
    events: list[Event]


def by_day(events: Iterable[Event]) -> list[AgendaDay]:
    """Events grouped by the day they start, each read in its own time zone (no query)."""
    days: list[AgendaDay] = []
    for event in events:
        day = timezone.localtime(event.starts_at, ZoneInfo(event.time_zone)).date()
        if not days or days[-1].day != day:
            days.append(AgendaDay(day=day, events=[]))
        days[-1].events.append(event)
    return days


def map_points(events: Iterable[Event]) -> list[dict[str, object]]:
    """What the map shows for events already loaded: no query."""
    return [
        {
            "name": event.title,
            "url": event.get_absolute_url(),
            "city": event.venue.city_name if event.venue else "",
            "lat": event.latitude,
            "lon": event.longitude,
        }
        for event in events
        if event.latitude is not None and event.longitude is not None
    ]


def event_page(viewer: User | AnonymousUser, pk: int) -> Event | None:
    """The event with what its page shows (network, venue, festival, series, films), or
    None when there is none for this viewer: no such number, or a draft of a network the
    viewer does not organise (a draft does not exist for others yet).

    Raise PermissionDenied, whose message says why, for an event the viewer may not see
    (a members-only event): the page answers 403, it exists."""
    event = (
        with_films(Event.objects.filter(pk=pk))
        .select_related("network", "venue", "festival", "series")
        .first()
    )
    if event is None:
        return None
    if event.status == Event.Status.DRAFT and not can_organise(viewer, event.network):
        return None
    ensure_can_see(viewer, event)
    return event


def programme(viewer: User | AnonymousUser, festival: Event) -> list[Event]:
    """The festival's events the viewer may see, in the order they take place."""
    events = visible_events(viewer).filter(festival=festival).select_related("venue")
    return list(with_films(events).order_by("starts_at", "pk"))


def other_dates(viewer: User | AnonymousUser, event: Event) -> list[Event]:
    """The next dates of the event's series that the viewer may see (not this one)."""
    if event.series_id is None:
        return []
    return list(
        visible_events(viewer)
        .filter(series_id=event.series_id, ends_at__gte=timezone.now())
        .exclude(pk=event.pk)
        .order_by("starts_at", "pk")[:OTHER_DATES_SHOWN]
    )


def organised_networks(member: User) -> QuerySet[Network]:
    """The networks whose events the member may organise: active member, organising role."""
    roles = RoleAssignment.objects.filter(
        user=member, ended_at__isnull=True, role__in=ORGANISING_ROLES
    ).values("network_id")
    active = Membership.objects.filter(
        network=OuterRef("pk"), user=member, status=Membership.Status.ACTIVE
    )
    return Network.objects.filter(Exists(active), pk__in=roles).order_by("name_normalised")


def festivals_of(networks: Iterable[Network]) -> QuerySet[Event]:
    """Festivals of these networks that an event may still join (not ended, not cancelled)."""
    return (
        Event.objects.filter(
            network__in=list(networks), kind=Event.Kind.FESTIVAL, ends_at__gt=timezone.now()
        )
        .exclude(status=Event.Status.CANCELLED)
        .select_related("network")
        .order_by("starts_at", "pk")
    )


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
_ATTENDANCE_MODES = {
    (True, False): "https://schema.org/OfflineEventAttendanceMode",
    (False, True): "https://schema.org/OnlineEventAttendanceMode",
    (True, True): "https://schema.org/MixedEventAttendanceMode",
}


def _location(event: Event) -> list[dict[str, object]]:
    location: list[dict[str, object]] = []
    if event.venue is not None:
        venue = event.venue
        address: dict[str, object] = {"@type": "PostalAddress", "addressLocality": venue.city_name}
        if venue.address:
            address["streetAddress"] = venue.address
        if venue.postcode:
            address["postalCode"] = venue.postcode
        location.append(
            {
                "@type": "Place",
                "name": venue.name,
                "address": address,
                "geo": {
                    "@type": "GeoCoordinates",
                    "latitude": venue.latitude,
                    "longitude": venue.longitude,
                },
            }
        )
    if event.online_url:
        location.append({"@type": "VirtualLocation", "url": event.online_url})
    return location


def event_json_ld(event: Event, *, absolute: Callable[[str], str]) -> SafeString:
    """schema.org `ScreeningEvent` (a screening kind showing films) or `Event`, for search
    engines, escaped like `json_script` so that no text can close the script element.
    `absolute` makes a path a full address. Uses the prefetched screenings and the
    selected venue and network: no query."""
    zone = ZoneInfo(event.time_zone)
    films = [screening.film for screening in event.screenings.all()]
    is_screening = event.kind in SCREENING_KINDS and bool(films)
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "ScreeningEvent" if is_screening else "Event",
        "name": event.title,
        "url": absolute(event.get_absolute_url()),
        "startDate": timezone.localtime(event.starts_at, zone).isoformat(),
        "endDate": timezone.localtime(event.ends_at, zone).isoformat(),
        "eventStatus": (
            "https://schema.org/EventCancelled"
            if event.is_cancelled
            else "https://schema.org/EventScheduled"
        ),
        "organizer": {
            "@type": "Organization",
            "name": event.network.name,
            "url": absolute(event.network.get_absolute_url()),
        },
    }
    location = _location(event)
    if location:
        data["location"] = location[0] if len(location) == 1 else location
        data["eventAttendanceMode"] = _ATTENDANCE_MODES[
            (event.venue is not None, bool(event.online_url))
        ]
    if event.description:
        data["description"] = " ".join(event.description.split())[:500]
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
    if is_screening:
        data["workPresented"] = [
            {
                "@type": "Movie",
                "name": film.title,
                "dateCreated": str(film.year),
                "url": absolute(film.get_absolute_url()),
            }
            for film in films
        ]
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - JSON with <, > and & escaped just above
