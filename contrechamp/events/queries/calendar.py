"""Calendar feeds: the events behind each feed, and their iCalendar (RFC 5545) form.

Real calendar clients read these files, so they keep to what those clients agree on:
- every date-time carries the event's own zone (TZID) and the calendar holds the matching
  VTIMEZONE, so 20:30 in Paris stays 20:30 in Paris whatever the reader's zone;
- a recurring series is one master VEVENT with its RRULE, starting at the series' first
  date; a date of the rule that has no occurrence to show (cancelled, still a draft, or
  removed) is an EXDATE, and an occurrence that differs from the master (moved, edited on
  its own) is an override VEVENT with the master's UID and a RECURRENCE-ID naming its slot;
- UIDs are stable (`event-<pk>@<host>`, `series-<pk>@<host>`), so a client that polls the
  feed again updates its entries instead of adding copies.

Each feed costs the same few queries whatever the number of events: networks, venues and
series are joined, screenings and their films prefetched.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.core.errors import DomainError
from contrechamp.events import recurrence
from contrechamp.events.models import (
    CalendarToken,
    Event,
    EventSeries,
    Rsvp,
    Screening,
    ShiftSignup,
)
from contrechamp.events.permissions import SHOWN, visible_events
from contrechamp.networks.models import Network

# Feeds keep a year of past events: enough to look back, small enough to poll often.
HISTORY = timedelta(days=365)
# A network's feed beyond this many rows is cut (its most recent and coming events stay).
NETWORK_FEED_LIMIT = 2000
MEMBER_FEED_LIMIT = 1000
ATOM_LIMIT = 50
# RSVPs that put an event in the member's own calendar.
IN_MY_CALENDAR = (Rsvp.Status.GOING, Rsvp.Status.MAYBE, Rsvp.Status.WAITLISTED)
# Calendar clients may poll this often (RFC 7986 REFRESH-INTERVAL).
REFRESH_INTERVAL = timedelta(hours=1)


# --- Reads


def _with_feed_relations(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("network", "venue", "series").prefetch_related(
        Prefetch(
            "screenings",
            queryset=Screening.objects.select_related("film").order_by("position", "pk"),
        )
    )


def event_for_feed(pk: int) -> QuerySet[Event]:
    """One event with what its VEVENT shows (use `get_object_or_404`, then check that the
    viewer may see it)."""
    return _with_feed_relations(Event.objects.filter(pk=pk))


def network_feed_events(viewer: User | AnonymousUser, network: Network) -> list[Event]:
    """The network's events the viewer may see that ended less than a year ago, in order."""
    cutoff = timezone.now() - HISTORY
    events = visible_events(viewer).filter(network=network, ends_at__gte=cutoff)
    # The most recent rows when cut: the coming events matter more than old ones.
    newest = list(_with_feed_relations(events).order_by("-starts_at", "-pk")[:NETWORK_FEED_LIMIT])
    return newest[::-1]


@dataclass(frozen=True)
class MemberFeed:
    """A member's RSVPs (with their events) and volunteer shifts for their own calendar."""

    rsvps: list[Rsvp]
    signups: list[ShiftSignup]


def member_with_token(token: str) -> User | None:
    """The member whose calendar address holds `token`, if their account is open."""
    found = (
        CalendarToken.objects.filter(
            token=token, member__is_active=True, member__deleted_at__isnull=True
        )
        .select_related("member")
        .first()
    )
    return found.member if found is not None else None


def member_feed(member: User) -> MemberFeed:
    """What goes in the member's calendar: the events they answered going, maybe or
    waitlisted, and their shifts, from a year ago on — only events they may still see."""
    cutoff = timezone.now() - HISTORY
    shown = visible_events(member).filter(status__in=SHOWN)
    screenings = Prefetch(
        "event__screenings",
        queryset=Screening.objects.select_related("film").order_by("position", "pk"),
    )
    rsvps = (
        Rsvp.objects.filter(
            member=member,
            status__in=IN_MY_CALENDAR,
            event__in=shown,
            event__ends_at__gte=cutoff,
        )
        .select_related("event__network", "event__venue")
        .prefetch_related(screenings)
        .order_by("event__starts_at", "pk")
    )
    signups = (
        ShiftSignup.objects.filter(
            volunteer=member, shift__event__in=shown, shift__ends_at__gte=cutoff
        )
        .select_related("shift__event__network", "shift__event__venue")
        .order_by("shift__starts_at", "pk")
    )
    return MemberFeed(
        rsvps=list(rsvps[:MEMBER_FEED_LIMIT]), signups=list(signups[:MEMBER_FEED_LIMIT])
    )


def network_atom_events(network: Network) -> list[Event]:
    """The network's coming public events, newest announced first: feed readers do not
    sign in, so members-only events never appear (even to a member)."""
    return list(
        visible_events(AnonymousUser())
        .filter(network=network, ends_at__gte=timezone.now())
        .select_related("network", "venue")
        .order_by(F("published_at").desc(nulls_last=True), "-pk")[:ATOM_LIMIT]
    )


# --- iCalendar


@dataclass(frozen=True)
class Site:
    """Where the feed is served: `base_url` ("https://contrechamp.example") makes links
    absolute, `host` names the UIDs."""

    base_url: str
    host: str

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


def zone(name: str) -> ZoneInfo:
    """The zone of that name; UTC for a name the system does not know (the time stays
    right, only its display zone is lost)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _location(event: Event) -> str:
    if event.venue is not None:
        venue = event.venue
        street = ", ".join(part for part in (venue.address, venue.postcode) if part)
        where = f"{street} {venue.city_name}" if street else venue.city_name
        return f"{venue.name}, {where}"
    return event.online_url


def _description(event: Event) -> str:
    parts = [event.description.strip()] if event.description.strip() else []
    films = [f"{s.film.title} ({s.film.year})" for s in event.screenings.all()]
    if films:
        parts.append(_("Films: %(films)s") % {"films": ", ".join(films)})
    if event.venue is not None and event.online_url:
        parts.append(_("Online: %(url)s") % {"url": event.online_url})
    if event.is_cancelled and event.cancellation_reason:
        parts.append(_("Cancelled: %(reason)s") % {"reason": event.cancellation_reason})
    parts.append(_("Organised by %(network)s") % {"network": event.network.name})
    return "\n\n".join(parts)


def _status(event: Event) -> str:
    if event.status == Event.Status.CANCELLED:
        return "CANCELLED"
    if event.status == Event.Status.DRAFT:
        return "TENTATIVE"
    return "CONFIRMED"


def _content(event: Event) -> dict[str, object]:
    """The properties a VEVENT shows of an event besides its identity and its times; two
    occurrences with the same content and duration need no override."""
    return {
        "summary": event.title,
        "description": _description(event),
        "location": _location(event),
        "status": _status(event),
        # Members-only events stay private in calendars shared with other people.
        "class": "PUBLIC" if event.is_public else "PRIVATE",
        "categories": [str(event.get_kind_display())],
        "duration": event.ends_at - event.starts_at,
    }


def _vevent(
    *,
    uid: str,
    content: dict[str, object],
    start: datetime,
    end: datetime,
    url: str,
    stamp: datetime,
    last_modified: datetime,
    created: datetime | None = None,
) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", uid)
    component.add("dtstamp", stamp)
    component.add("dtstart", start)
    component.add("dtend", end)
    for name, value in content.items():
        if name != "duration" and value:
            component.add(name, value)
    component.add("url", url)
    if created is not None:
        component.add("created", created.astimezone(UTC))
    component.add("last-modified", last_modified.astimezone(UTC))
    return component


def _event_vevent(event: Event, site: Site, stamp: datetime) -> icalendar.Event:
    tz = zone(event.time_zone)
    return _vevent(
        uid=f"event-{event.pk}@{site.host}",
        content=_content(event),
        start=event.starts_at.astimezone(tz),
        end=event.ends_at.astimezone(tz),
        url=site.url(event.get_absolute_url()),
        stamp=stamp,
        last_modified=event.updated_at,
        created=event.created_at,
    )


def _calendar(name: str, components: Iterable[icalendar.Event]) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Contrechamp//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    days: list[date] = []
    for component in components:
        calendar.add_component(component)
        for key in ("dtstart", "dtend"):
            moment = component.decoded(key)
            days.append(moment.date() if isinstance(moment, datetime) else moment)
    if days:
        # VTIMEZONE rules for the span the events cover only (a series' rule runs at most
        # two years past its first date): a compact file.
        calendar.add_missing_timezones(
            first_date=min(days) - timedelta(days=1),
            last_date=max(days) + timedelta(days=2 * 366),
        )
    return calendar


def event_calendar(event: Event, site: Site) -> bytes:
    """One event as a calendar file (an occurrence of a series on its own, without its rule)."""
    stamp = timezone.now()
    body: bytes = _calendar(event.title, [_event_vevent(event, site, stamp)]).to_ical()
    return body


# A series in a feed: its master's start and the occurrences to show.


def _feed_rule(rule: str, tz: ZoneInfo) -> icalendar.vRecur:
    """The series' rule for a feed: an UNTIL given as a date or a local time is written
    in UTC, as RFC 5545 asks when DTSTART has a time zone."""
    parsed: icalendar.vRecur = icalendar.vRecur.from_ical(rule)
    until = parsed.get("UNTIL")
    if until:
        last = until[0]
        if not isinstance(last, datetime):
            last = datetime.combine(last, datetime.max.time())
        if last.tzinfo is None:
            last = recurrence.place_in_zone(last.replace(microsecond=0), tz)
        parsed["UNTIL"] = [last.astimezone(UTC)]
    return parsed


@dataclass
class _Series:
    series: EventSeries
    occurrences: list[Event]


def _series_components(
    group: _Series, site: Site, stamp: datetime, cutoff: datetime
) -> list[icalendar.Event]:
    """The master VEVENT of a series and its overrides; the occurrences as plain events
    when the rule cannot be expanded (a rule the form could not have built)."""
    series, occurrences = group.series, group.occurrences
    tz = zone(series.time_zone)
    first = series.first_starts_at.astimezone(tz)
    try:
        slots = recurrence.expand(series.rule, first.replace(tzinfo=None), tz)
        rule = _feed_rule(series.rule, tz)
    except (DomainError, ValueError):
        return [_event_vevent(event, site, stamp) for event in occurrences]
    by_slot = {event.recurrence_id: event for event in occurrences}
    live = [event for event in occurrences if not event.is_cancelled]
    now = timezone.now()
    # The master shows what the series is now: its next occurrence as the series edits
    # left it (detached ones were edited on their own), else its latest.
    candidates = [event for event in live if not event.is_detached] or live or occurrences
    template = next((e for e in candidates if e.ends_at >= now), candidates[-1])
    content = _content(template)
    all_cancelled = not live
    if all_cancelled:
        content["status"] = "CANCELLED"
    duration = template.ends_at - template.starts_at
    uid = f"series-{series.pk}@{site.host}"
    master = _vevent(
        uid=uid,
        content=content,
        start=first,
        end=first + duration,
        url=site.url(template.get_absolute_url()),
        stamp=stamp,
        last_modified=max(event.updated_at for event in occurrences),
        created=series.created_at,
    )
    master.add("rrule", rule)
    excluded: list[datetime] = []
    overrides: list[icalendar.Event] = []
    slot_set = set(slots)
    for slot in slots:
        event = by_slot.get(slot)
        if event is None:
            # Dates older than the feed's year are not sent: they are not excluded either.
            if slot + duration >= cutoff:
                excluded.append(slot)
        elif event.is_cancelled and not all_cancelled:
            excluded.append(slot)
        elif event.is_detached or event.starts_at != slot or _content(event) != content:
            event_tz = zone(event.time_zone)
            override = _vevent(
                uid=uid,
                content=_content(event),
                start=event.starts_at.astimezone(event_tz),
                end=event.ends_at.astimezone(event_tz),
                url=site.url(event.get_absolute_url()),
                stamp=stamp,
                last_modified=event.updated_at,
                created=event.created_at,
            )
            override.add("recurrence-id", slot.astimezone(tz))
            overrides.append(override)
    if excluded:
        master.add("exdate", [slot.astimezone(tz) for slot in excluded])
    # An occurrence whose slot the rule does not give (it cannot be an override).
    strays = [
        _event_vevent(event, site, stamp)
        for event in occurrences
        if event.recurrence_id not in slot_set
    ]
    return [master, *overrides, *strays]


def network_calendar(network: Network, events: Sequence[Event], site: Site) -> bytes:
    """The network's calendar: single events as VEVENTs, each series as its master (RRULE,
    EXDATE) and overrides (RECURRENCE-ID). `events` come from `network_feed_events`."""
    stamp = timezone.now()
    cutoff = stamp - HISTORY
    groups: dict[int, _Series] = {}
    ordered: list[Event | _Series] = []
    for event in events:
        if event.series is None:
            ordered.append(event)
        elif event.series.pk in groups:
            groups[event.series.pk].occurrences.append(event)
        else:
            groups[event.series.pk] = _Series(series=event.series, occurrences=[event])
            ordered.append(groups[event.series.pk])
    components: list[icalendar.Event] = []
    for entry in ordered:
        if isinstance(entry, _Series):
            components.extend(_series_components(entry, site, stamp, cutoff))
        else:
            components.append(_event_vevent(entry, site, stamp))
    name = _("%(network)s — events") % {"network": network.name}
    body: bytes = _calendar(name, components).to_ical()
    return body


def _answer_status(rsvp: Rsvp) -> str:
    if rsvp.event.is_cancelled:
        return "CANCELLED"
    return "CONFIRMED" if rsvp.status == Rsvp.Status.GOING else "TENTATIVE"


def member_calendar(member: User, feed: MemberFeed, site: Site) -> bytes:
    """The member's own calendar: each event they answered (its status says whether they
    are going, hesitating or waiting for a seat) and each of their volunteer shifts."""
    stamp = timezone.now()
    components: list[icalendar.Event] = []
    for rsvp in feed.rsvps:
        event = rsvp.event
        content = _content(event)
        answer = _("Your answer: %(answer)s") % {"answer": rsvp.get_status_display()}
        content["description"] = f"{answer}\n\n{content['description']}"
        content["status"] = _answer_status(rsvp)
        tz = zone(event.time_zone)
        components.append(
            _vevent(
                uid=f"event-{event.pk}@{site.host}",
                content=content,
                start=event.starts_at.astimezone(tz),
                end=event.ends_at.astimezone(tz),
                url=site.url(event.get_absolute_url()),
                stamp=stamp,
                last_modified=max(event.updated_at, rsvp.updated_at),
                created=event.created_at,
            )
        )
    for signup in feed.signups:
        shift = signup.shift
        event = shift.event
        tz = zone(event.time_zone)
        role = shift.get_role_display()
        what = f"{role} ({shift.label})" if shift.label else str(role)
        components.append(
            _vevent(
                uid=f"shift-{shift.pk}@{site.host}",
                content={
                    "summary": _("Volunteering: %(role)s — %(event)s")
                    % {"role": what, "event": event.title},
                    "description": _(
                        "Your volunteer shift at “%(event)s”, organised by %(network)s."
                    )
                    % {"event": event.title, "network": event.network.name},
                    "location": _location(event),
                    "status": "CANCELLED" if event.is_cancelled else "CONFIRMED",
                    "class": "PRIVATE",
                },
                start=shift.starts_at.astimezone(tz),
                end=shift.ends_at.astimezone(tz),
                url=site.url(event.get_absolute_url()),
                stamp=stamp,
                last_modified=max(shift.created_at, event.updated_at),
                created=signup.created_at,
            )
        )
    name = _("Contrechamp — %(member)s") % {"member": member.public_name}
    body: bytes = _calendar(name, components).to_ical()
    return body
