"""What organisers do with events: create one (or a repeating series), edit one date or the
whole series, choose the films, publish, cancel, delete a draft.

Every function checks that the actor organises the event's network (its admins and
organisers) before changing anything, runs in one transaction and locks the event rows it
changes. An occurrence of a series is an `Event` row of its own, with its own RSVPs and
films; `recurrence_id` keeps the slot the rule gave it. An event that has ended is history:
it can no longer be changed.
"""

import functools
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from contrechamp.accounts.models import User
from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.events import recurrence as recurrence_rules
from contrechamp.events.models import Event, EventSeries, Rsvp, Screening
from contrechamp.events.permissions import ensure_can_organise
from contrechamp.events.services.attendance import promote_from_waitlist
from contrechamp.films.models import Film
from contrechamp.networks.models import Network
from contrechamp.notifications.services import in_language_of, notify
from contrechamp.search.services import reindex_on_commit
from contrechamp.venues.models import Venue

type Scope = Literal["occurrence", "series"]
OCCURRENCE: Scope = "occurrence"
SERIES: Scope = "series"

TITLE_MAX = 200
DESCRIPTION_MAX = 20000
ACCESSIBILITY_MAX = 2000
ONLINE_URL_MAX = 500
REASON_MAX = 500
MAX_FILMS = 50
MAX_CAPACITY = 100_000
# Far enough for a festival planned a year ahead; a typo in the year is refused.
MAX_AHEAD = timedelta(days=3 * 366)
MAX_DURATION = timedelta(days=3)
MAX_FESTIVAL_DURATION = timedelta(days=62)
# The people told when an event they planned to come to is cancelled.
TOLD_OF_CANCELLATION = (Rsvp.Status.GOING, Rsvp.Status.MAYBE, Rsvp.Status.WAITLISTED)


@dataclass(frozen=True)
class EventDetails:
    """What an organiser says about an event (the fields of the event form).

    `starts_at` and `ends_at` are aware; `time_zone` is the IANA zone the event is shown
    and repeated in. `capacity` None means no seat limit."""

    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    venue: Venue | None = None
    online_url: str = ""
    time_zone: str = "Europe/Paris"
    accessibility_notes: str = ""
    visibility: str = Event.Visibility.PUBLIC
    capacity: int | None = None

    @classmethod
    def of(cls, event: Event) -> "EventDetails":
        return cls(
            kind=event.kind,
            title=event.title,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            description=event.description,
            venue=event.venue,
            online_url=event.online_url,
            time_zone=event.time_zone,
            accessibility_notes=event.accessibility_notes,
            visibility=event.visibility,
            capacity=event.capacity,
        )


class MissingRights(DomainError):
    """Publishing a public event whose films' rights are not recorded as granted (or the
    films in the public domain): the organiser confirms, or records the rights first.
    `screenings` are the screenings concerned, with their films."""

    status_code = 409

    def __init__(self, screenings: Sequence[Screening]) -> None:
        self.screenings = list(screenings)
        titles = ", ".join(dict.fromkeys(f"{s.film.title} ({s.film.year})" for s in screenings))
        super().__init__(
            _("The rights to show these films in public are not recorded as granted: %(films)s.")
            % {"films": titles}
        )


@functools.cache
def time_zones() -> frozenset[str]:
    """Every IANA time zone this system knows."""
    return frozenset(zoneinfo.available_timezones())


def _max_duration(kind: str) -> timedelta:
    return MAX_FESTIVAL_DURATION if kind == Event.Kind.FESTIVAL else MAX_DURATION


def _checked(details: EventDetails, *, network: Network, festival: Event | None) -> EventDetails:
    """The details cleaned (title on one line, link trimmed), or a DomainError saying what
    is wrong. Where the event stands in time against now is the caller's business."""
    if timezone.is_naive(details.starts_at) or timezone.is_naive(details.ends_at):
        raise ValueError("EventDetails times must be aware")
    if details.kind not in Event.Kind.values:
        raise DomainError(_("Choose a type of event."))
    title = " ".join(details.title.split())
    if not title:
        raise DomainError(_("Give the event a title."))
    if len(title) > TITLE_MAX:
        raise DomainError(_("The title is %(max)d characters at most.") % {"max": TITLE_MAX})
    if len(details.description) > DESCRIPTION_MAX:
        raise DomainError(
            _("The description is %(max)d characters at most.") % {"max": DESCRIPTION_MAX}
        )
    if len(details.accessibility_notes) > ACCESSIBILITY_MAX:
        raise DomainError(
            _("The accessibility notes are %(max)d characters at most.")
            % {"max": ACCESSIBILITY_MAX}
        )
    if details.visibility not in Event.Visibility.values:
        raise DomainError(_("Choose who can see the event."))
    if details.time_zone not in time_zones():
        raise DomainError(
            _("“%(zone)s” is not a time zone we know: choose one such as Europe/Paris.")
            % {"zone": details.time_zone[:64]}
        )
    if details.ends_at <= details.starts_at:
        raise DomainError(_("The event must end after it starts."))
    if details.starts_at > timezone.now() + MAX_AHEAD:
        raise DomainError(_("An event can be planned up to three years ahead."))
    if details.ends_at - details.starts_at > _max_duration(details.kind):
        if details.kind == Event.Kind.FESTIVAL:
            raise DomainError(_("A festival lasts two months at most."))
        raise DomainError(
            _("An event lasts three days at most; a festival groups a longer programme.")
        )
    if details.capacity is not None and not 1 <= details.capacity <= MAX_CAPACITY:
        raise DomainError(
            _("The number of seats is at least 1 (leave it empty for no limit).")
            if details.capacity < 1
            else _("The number of seats is %(max)d at most.") % {"max": MAX_CAPACITY}
        )
    online_url = details.online_url.strip()
    if online_url:
        try:
            if len(online_url) > ONLINE_URL_MAX:
                raise ValidationError("too long")
            URLValidator(schemes=["https", "http"])(online_url)
        except ValidationError:
            raise DomainError(
                _("The online link must be a web address, such as https://…")
            ) from None
    _check_place(details.kind, venue=details.venue, online_url=online_url)
    if festival is not None:
        _check_festival(festival, kind=details.kind, network=network)
    return replace(details, title=title, online_url=online_url)


def _check_place(kind: str, *, venue: Venue | None, online_url: str) -> None:
    if kind == Event.Kind.WATCH_PARTY and not online_url:
        raise DomainError(_("An online watch party needs its online link."))
    if kind == Event.Kind.OPEN_AIR_SCREENING and venue is None:
        raise DomainError(_("An open-air screening needs its venue."))
    if kind != Event.Kind.FESTIVAL and venue is None and not online_url:
        raise DomainError(_("Choose the venue, or give the online link."))


def _check_festival(festival: Event, *, kind: str, network: Network) -> None:
    if festival.kind != Event.Kind.FESTIVAL:
        raise DomainError(_("Only a festival has a programme."))
    if kind == Event.Kind.FESTIVAL:
        raise DomainError(_("A festival cannot be part of another festival."))
    if festival.network_id != network.pk:
        raise DomainError(_("A festival's programme holds events of its own network only."))
    if festival.is_cancelled:
        raise DomainError(_("This festival is cancelled."))


def _check_inside(festival: Event, starts_at: datetime, ends_at: datetime) -> None:
    if starts_at < festival.starts_at or ends_at > festival.ends_at:
        raise DomainError(
            _("An event of the festival's programme takes place within the festival's dates.")
        )


def _apply(event: Event, details: EventDetails, now: datetime) -> None:
    event.kind = details.kind
    event.title = details.title
    event.description = details.description
    event.venue = details.venue
    event.latitude = details.venue.latitude if details.venue else None
    event.longitude = details.venue.longitude if details.venue else None
    event.online_url = details.online_url
    event.starts_at = details.starts_at
    event.ends_at = details.ends_at
    event.time_zone = details.time_zone
    event.accessibility_notes = details.accessibility_notes
    event.visibility = details.visibility
    event.capacity = details.capacity
    event.updated_at = now


DETAIL_FIELDS = [
    "kind",
    "title",
    "description",
    "venue",
    "latitude",
    "longitude",
    "online_url",
    "starts_at",
    "ends_at",
    "time_zone",
    "accessibility_notes",
    "visibility",
    "capacity",
    "updated_at",
]


def _distinct_films(films: Iterable[Film]) -> list[Film]:
    chosen = list({film.pk: film for film in films}.values())
    if len(chosen) > MAX_FILMS:
        raise DomainError(_("An event shows %(max)d films at most.") % {"max": MAX_FILMS})
    return chosen


def _locked(event: Event) -> Event:
    return (
        Event.objects.select_for_update(of=("self",))
        .select_related("network", "festival", "series")
        .get(pk=event.pk)
    )


def _ensure_changeable(event: Event) -> None:
    if event.has_ended:
        raise InvalidTransition(_("This event is over: it can no longer be changed."))
    if event.is_cancelled:
        raise InvalidTransition(_("This event is cancelled: it can no longer be changed."))


def _wall_time(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


@transaction.atomic
def create_event(
    *,
    actor: User,
    network: Network,
    details: EventDetails,
    films: Sequence[Film] = (),
    recurrence: str | None = None,
    festival: Event | None = None,
) -> Event:
    """Create a draft event of `network`, showing `films` in that order, and return it.

    With `recurrence` (an RFC 5545 rule that ends, see `events.recurrence`), create one
    `EventSeries` and one event per date of the rule, each with its own copy of the films,
    and return the first. With `festival`, the event (every date of it) joins that
    festival's programme: same network, within its dates."""
    ensure_can_organise(actor, network)
    locked_festival = _locked(festival) if festival is not None else None
    details = _checked(details, network=network, festival=locked_festival)
    now = timezone.now()
    if details.starts_at <= now:
        raise DomainError(_("An event starts in the future."))
    film_list = _distinct_films(films)
    series = None
    starts = [details.starts_at]
    if recurrence is not None:
        rule = recurrence_rules.parse_rule(recurrence)
        starts = recurrence_rules.expand(
            rule, _wall_time(details.starts_at, details.time_zone), ZoneInfo(details.time_zone)
        )
        series = EventSeries.objects.create(
            network=network,
            rule=rule,
            time_zone=details.time_zone,
            first_starts_at=starts[0],
            created_by=actor,
            created_at=now,
        )
    duration = details.ends_at - details.starts_at
    events = []
    for start in starts:
        if locked_festival is not None:
            _check_inside(locked_festival, start, start + duration)
        event = Event(
            network=network,
            series=series,
            recurrence_id=start if series is not None else None,
            festival=locked_festival,
            status=Event.Status.DRAFT,
            created_by=actor,
            created_at=now,
        )
        _apply(event, replace(details, starts_at=start, ends_at=start + duration), now)
        events.append(event)
    Event.objects.bulk_create(events)
    Screening.objects.bulk_create(
        Screening(event=event, film=film, position=position)
        for event in events
        for position, film in enumerate(film_list)
    )
    return events[0]


def _check_programme_fits(festivals: Sequence[Event]) -> None:
    """Refuse when a changed festival would leave events of its programme outside its dates
    (one query for all of them)."""
    by_pk = {festival.pk: festival for festival in festivals}
    if not by_pk:
        return
    children = (
        Event.objects.filter(festival_id__in=by_pk)
        .exclude(status=Event.Status.CANCELLED)
        .values_list("festival_id", "starts_at", "ends_at")
    )
    for festival_id, starts_at, ends_at in children:
        festival = by_pk[festival_id]
        if festival.kind != Event.Kind.FESTIVAL:
            raise DomainError(
                _("This festival has a programme: it stays a festival while its programme lasts.")
            )
        if starts_at < festival.starts_at or ends_at > festival.ends_at:
            raise DomainError(
                _(
                    "Some events of the festival's programme would fall outside its new dates: "
                    "move them first."
                )
            )


@transaction.atomic
def update_event(
    *,
    actor: User,
    event: Event,
    details: EventDetails,
    scope: Scope = OCCURRENCE,
    films: Sequence[Film] | None = None,
) -> Event:
    """Change an event that has not ended nor been cancelled.

    `scope` "occurrence" changes this row only; an occurrence of a series then becomes
    detached (editing the whole series leaves it alone). `scope` "series" applies the
    details to this occurrence and to every occurrence of its series still to come that is
    neither detached nor cancelled: each moves by the same change of wall time (20:30 →
    21:00 moves every date to 21:00, whatever the season) and lasts as long as this one.
    Past and detached occurrences keep what they had. More seats (or no limit any more)
    go to the people waiting, first in line first. `films`, when given, become the films
    of this date only, as `set_films` does, in the same transaction."""
    if scope not in (OCCURRENCE, SERIES):
        raise DomainError(_("Choose this date or the whole series."))
    event = _locked(event)
    ensure_can_organise(actor, event.network)
    _ensure_changeable(event)
    if scope == SERIES and event.series is None:
        raise DomainError(_("This event is not part of a series."))
    details = _checked(details, network=event.network, festival=event.festival)
    now = timezone.now()
    if details.starts_at != event.starts_at and details.starts_at <= now:
        raise DomainError(_("An event cannot be moved into the past."))
    duration = details.ends_at - details.starts_at
    changed = [event]
    if scope == SERIES:
        changed += list(
            Event.objects.select_for_update(of=("self",))
            .filter(series=event.series, is_detached=False, starts_at__gt=now)
            .exclude(status=Event.Status.CANCELLED)
            .exclude(pk=event.pk)
            .select_related("festival")
            .order_by("starts_at", "pk")
        )
    shift = _wall_time(details.starts_at, details.time_zone) - _wall_time(
        event.starts_at, event.time_zone
    )
    zone = ZoneInfo(details.time_zone)
    seats_before = {occurrence.pk: occurrence.capacity for occurrence in changed}
    places_before = {occurrence.pk: _when_and_where(occurrence) for occurrence in changed}
    for occurrence in changed:
        start = details.starts_at
        if occurrence is not event:
            wall = _wall_time(occurrence.starts_at, occurrence.time_zone) + shift
            start = recurrence_rules.place_in_zone(wall, zone)
            if start <= now:
                raise DomainError(_("This change would move a date of the series into the past."))
        if occurrence.festival is not None:
            _check_inside(occurrence.festival, start, start + duration)
        _apply(occurrence, replace(details, starts_at=start, ends_at=start + duration), now)
    _check_programme_fits(changed)
    announced_public = [
        occurrence.pk
        for occurrence in changed
        if occurrence.is_public and occurrence.status != Event.Status.DRAFT
    ]
    if announced_public:
        _refuse_private_circle(Screening.objects.filter(event_id__in=announced_public))
    if scope == OCCURRENCE and event.series is not None:
        event.is_detached = True
    event.save(update_fields=[*DETAIL_FIELDS, "is_detached"])
    Event.objects.bulk_update(changed[1:], DETAIL_FIELDS)
    if films is not None:
        _set_films(event, films)
    if scope == SERIES and event.series is not None and event.series.time_zone != zone.key:
        event.series.time_zone = zone.key
        event.series.save(update_fields=["time_zone"])
    for occurrence in changed:
        before = seats_before[occurrence.pk]
        more_seats = before is not None and (
            occurrence.capacity is None or occurrence.capacity > before
        )
        if more_seats and occurrence.status == Event.Status.PUBLISHED:
            # The rows are locked above, as the waitlist's promotion requires.
            promote_from_waitlist(occurrence)
    moved = [
        occurrence
        for occurrence in changed
        if occurrence.status == Event.Status.PUBLISHED
        and _when_and_where(occurrence) != places_before[occurrence.pk]
    ]
    if moved:
        where = details.venue.name if details.venue else details.online_url
        _tell_attendees(moved, actor=actor, kind="events.event_changed", title=MOVED, body=where)
    reindex_on_commit("events", [occurrence.pk for occurrence in changed])
    return event


def _set_films(event: Event, films: Sequence[Film]) -> list[Screening]:
    chosen = _distinct_films(films)
    existing = {
        screening.film_id: screening
        for screening in Screening.objects.select_for_update().filter(event=event)
    }
    Screening.objects.filter(event=event).exclude(film_id__in=[f.pk for f in chosen]).delete()
    kept, added = [], []
    for position, film in enumerate(chosen):
        screening = existing.get(film.pk)
        if screening is None:
            added.append(Screening(event=event, film=film, position=position))
        else:
            screening.position = position
            kept.append(screening)
    Screening.objects.bulk_update(kept, ["position"])
    Screening.objects.bulk_create(added)
    return list(
        Screening.objects.filter(event=event).select_related("film").order_by("position", "pk")
    )


@transaction.atomic
def set_films(*, actor: User, event: Event, films: Sequence[Film]) -> list[Screening]:
    """The films the event shows, in this order; returns its screenings.

    A film still listed keeps its screening, and so its rights record; a film no longer
    listed loses its screening; a new film gets a screening whose rights are still to be
    requested."""
    event = _locked(event)
    ensure_can_organise(actor, event.network)
    _ensure_changeable(event)
    screenings = _set_films(event, films)
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())
    reindex_on_commit("events", [event.pk])
    return screenings


def _refuse_private_circle(screenings: Iterable[Screening]) -> None:
    """A film whose rights are for a private circle cannot be shown at a public event."""
    if any(s.rights_status == Screening.RightsStatus.PRIVATE_CIRCLE for s in screenings):
        raise DomainError(
            _(
                "A film of this event may only be shown to a private circle: make the event "
                "visible to the network's members only."
            )
        )


def _future_of_series(event: Event, now: datetime, *, status: str) -> list[Event]:
    if event.series_id is None:
        return []
    return list(
        Event.objects.select_for_update(of=("self",))
        .filter(series_id=event.series_id, status=status, starts_at__gt=now)
        .exclude(pk=event.pk)
        .order_by("starts_at", "pk")
    )


@transaction.atomic
def publish_event(
    *,
    actor: User,
    event: Event,
    acknowledge_missing_rights: bool = False,
    scope: Scope = OCCURRENCE,
) -> Event:
    """Publish a draft: people who may see it find it in the calendars.

    `scope` "series" also publishes every draft occurrence of its series still to come.
    A public event may not show a film whose rights are for a private circle (such a
    showing is for members only). Its other films' rights should be granted, or the films
    in the public domain: otherwise `MissingRights` is raised, unless the organiser
    acknowledged it (`acknowledge_missing_rights`). Nothing is published on a refusal."""
    event = _locked(event)
    ensure_can_organise(actor, event.network)
    if event.has_ended:
        raise InvalidTransition(_("This event is over: it can no longer be published."))
    if event.is_cancelled:
        raise InvalidTransition(_("This event is cancelled: it can no longer be published."))
    now = timezone.now()
    targets = [event] if event.status == Event.Status.DRAFT else []
    if scope == SERIES:
        targets += _future_of_series(event, now, status=Event.Status.DRAFT)
    if not targets:
        raise Conflict(_("This event is already published."))
    public = [target.pk for target in targets if target.is_public]
    screenings = list(
        Screening.objects.filter(event_id__in=public)
        .select_related("film")
        .order_by("event__starts_at", "position", "pk")
    )
    _refuse_private_circle(screenings)
    missing = [screening for screening in screenings if not screening.cleared_for_public]
    if missing and not acknowledge_missing_rights:
        raise MissingRights(missing)
    Event.objects.filter(pk__in=[target.pk for target in targets]).update(
        status=Event.Status.PUBLISHED, published_at=now, updated_at=now
    )
    event.refresh_from_db(fields=["status", "published_at", "updated_at"])
    reindex_on_commit("events", [target.pk for target in targets])
    return event


def _tell_attendees(
    events: Sequence[Event], *, actor: User, kind: str, title: str, body: str = ""
) -> None:
    """Notify everyone going, maybe going or waiting for a seat at `events`, each in their
    own language: `title` is an untranslated message id with %(title)s and %(date)s, the
    date as the event's zone shows it."""
    rsvps = (
        Rsvp.objects.filter(event__in=events, status__in=TOLD_OF_CANCELLATION)
        .select_related("member__notification_language")
        .order_by("event_id", "pk")
    )
    by_pk = {event.pk: event for event in events}
    for rsvp in rsvps:
        event = by_pk[rsvp.event_id]
        with in_language_of(rsvp.member):
            when = event.local_time_text(event.starts_at)
            notify(
                recipient=rsvp.member,
                kind=kind,
                title=_(title) % {"title": event.title, "date": when},
                body=body,
                url=event.get_absolute_url(),
                actor=actor,
            )


# Notification titles, translated in each recipient's language when sent.
CANCELLED = gettext_noop("Cancelled: “%(title)s”, %(date)s")
MOVED = gettext_noop("Changed: “%(title)s” is now on %(date)s")

# What an attendee must hear about when it changes: when and where.
WHEN_AND_WHERE = ("starts_at", "ends_at", "time_zone", "venue_id", "online_url")


def _when_and_where(event: Event) -> tuple[object, ...]:
    return tuple(getattr(event, field) for field in WHEN_AND_WHERE)


@transaction.atomic
def cancel_event(*, actor: User, event: Event, reason: str, scope: Scope = OCCURRENCE) -> Event:
    """Cancel a published event that has not ended, saying why; everyone who planned to
    come (going, maybe, waitlisted) is notified.

    `scope` "series" also cancels every published occurrence of its series still to come
    (their drafts stay drafts: delete them). The rows stay, marked cancelled: the pages
    and calendar feeds say so."""
    event = _locked(event)
    ensure_can_organise(actor, event.network)
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError(
            _("Say why the event is cancelled: the people who planned to come will read it.")
        )
    if len(reason) > REASON_MAX:
        raise DomainError(_("The reason is %(max)d characters at most.") % {"max": REASON_MAX})
    if event.has_ended:
        raise InvalidTransition(_("This event is over: it cannot be cancelled."))
    if event.is_cancelled:
        raise InvalidTransition(_("This event is already cancelled."))
    if event.status == Event.Status.DRAFT:
        raise InvalidTransition(_("A draft was never announced: delete it instead."))
    now = timezone.now()
    targets = [event]
    if scope == SERIES:
        targets += _future_of_series(event, now, status=Event.Status.PUBLISHED)
    Event.objects.filter(pk__in=[target.pk for target in targets]).update(
        status=Event.Status.CANCELLED, cancelled_at=now, cancellation_reason=reason, updated_at=now
    )
    _tell_attendees(
        targets, actor=actor, kind="events.event_cancelled", title=CANCELLED, body=reason
    )
    event.refresh_from_db(fields=["status", "cancelled_at", "cancellation_reason", "updated_at"])
    reindex_on_commit("events", [target.pk for target in targets])
    return event


@transaction.atomic
def delete_draft(*, actor: User, event: Event, scope: Scope = OCCURRENCE) -> None:
    """Delete a draft that was never published (with its films and their rights records).

    `scope` "series" also deletes the draft occurrences of its series still to come; a
    series left without any occurrence goes too. A festival whose programme still holds
    events is refused: deleting it would take them along."""
    event = _locked(event)
    ensure_can_organise(actor, event.network)
    if event.status != Event.Status.DRAFT:
        raise InvalidTransition(_("Only a draft can be deleted: cancel a published event."))
    targets = [event]
    if scope == SERIES:
        targets += _future_of_series(event, timezone.now(), status=Event.Status.DRAFT)
    pks = [target.pk for target in targets]
    if Event.objects.filter(festival_id__in=pks).exists():
        raise DomainError(
            _("This festival's programme still holds events: move or delete them first.")
        )
    Event.objects.filter(pk__in=pks).delete()
    if event.series_id is not None and not Event.objects.filter(series_id=event.series_id).exists():
        EventSeries.objects.filter(pk=event.series_id).delete()
