"""Reads about who comes to an event and who helps: the panel on the event page, the
attendee list at the door, a member's own upcoming events and shifts.

An event may hold thousands of RSVPs (the bench has 2,000,000 over 50,000 events): counts
are aggregates filtered by status over the (event, status, waitlisted_at) index, never
Python loops, so each read costs the same few queries whatever the number of people.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.accounts import code_of_conduct
from contrechamp.accounts.models import User
from contrechamp.events.models import Event, Rsvp, Shift, ShiftSignup
from contrechamp.events.permissions import ORGANISING_ROLES, visible_events
from contrechamp.networks.permissions import NOBODY, Standing, standing

# What a person may answer; "waitlisted" is where the event puts them, not a choice.
ANSWERS = (Rsvp.Status.GOING, Rsvp.Status.MAYBE, Rsvp.Status.CANCELLED)
# RSVPs that still count on the person coming (or hoping to).
ATTENDING = (Rsvp.Status.GOING, Rsvp.Status.MAYBE, Rsvp.Status.WAITLISTED)
# The door is open from this long before the start until this long after the end.
CHECK_IN_WINDOW = timedelta(hours=12)
MY_EVENTS_LIMIT = 200
SEARCH_MAX = 100


@dataclass(frozen=True)
class Refusal:
    """Why someone may not do something, in words they can read. `forbidden`: it is about
    who they are (a 403), not about the state of the event (a refusal on the page)."""

    message: str
    forbidden: bool = False


def rsvp_refusal(
    *, event: Event, member: User | AnonymousUser, member_standing: Standing, now: datetime
) -> Refusal | None:
    """Why `member` may not answer for `event` at `now`, or None when they may.

    The one statement of the RSVP rules, shared by the service (which raises) and the
    event page (which says why the buttons are missing). The caller has checked that the
    member may see the event; `member_standing` is their standing in its network."""
    if not isinstance(member, User) or not member.is_authenticated or member.is_deleted:
        return Refusal(_("Sign in to say whether you are coming."), forbidden=True)
    if not event.is_public and not member_standing.can_act:
        if member_standing.must_accept_charter:
            return Refusal(
                _("The charter of this network has changed: accept the new version first."),
                forbidden=True,
            )
        return Refusal(_("This event is for the members of its network."), forbidden=True)
    if code_of_conduct.must_accept(member):
        return Refusal(
            _("Please read and accept the site's code of conduct first: the link is at the top.")
        )
    if event.status == Event.Status.DRAFT:
        return Refusal(_("This event is not published yet."))
    if event.is_cancelled:
        return Refusal(_("This event is cancelled."))
    if event.ends_at <= now:
        return Refusal(_("This event is over."))
    if event.starts_at <= now:
        return Refusal(_("This event has started: answers are closed."))
    return None


def volunteer_refusal(
    *, event: Event, member: User | AnonymousUser, member_standing: Standing, now: datetime
) -> Refusal | None:
    """Why `member` may not sign up for the event's shifts, or None when they may.

    Volunteers are active members of the organising network in good standing, on a
    published event that has not ended (each shift also refuses once it has started)."""
    if not isinstance(member, User) or not member.is_authenticated or member.is_deleted:
        return Refusal(_("Sign in to volunteer."), forbidden=True)
    if not member_standing.can_act:
        if member_standing.must_accept_charter:
            return Refusal(
                _("The charter of this network has changed: accept the new version first."),
                forbidden=True,
            )
        return Refusal(
            _("Only members of the organising network can volunteer for its shifts."),
            forbidden=True,
        )
    if code_of_conduct.must_accept(member):
        return Refusal(
            _("Please read and accept the site's code of conduct first: the link is at the top.")
        )
    if event.status == Event.Status.DRAFT:
        return Refusal(_("This event is not published yet."))
    if event.is_cancelled:
        return Refusal(_("This event is cancelled."))
    if event.ends_at <= now:
        return Refusal(_("This event is over."))
    return None


def door_refusal(*, event: Event, now: datetime) -> Refusal | None:
    """Why nobody can be checked in at `event` at `now`, or None while its door is open:
    from 12 hours before a published event starts until 12 hours after it ends."""
    if event.status == Event.Status.DRAFT:
        return Refusal(_("This event is not published yet."))
    if event.is_cancelled:
        return Refusal(_("This event is cancelled."))
    if now < event.starts_at - CHECK_IN_WINDOW:
        return Refusal(_("Check-in opens on the day of the event."))
    if now > event.ends_at + CHECK_IN_WINDOW:
        return Refusal(_("This event is long over: check-in is closed."))
    return None


def waiting_before(rsvp: Rsvp) -> Q:
    """RSVPs ahead of `rsvp` in its event's waitlist: first come, first served (the primary
    key breaks a tie between two people who joined in the same microsecond)."""
    return Q(status=Rsvp.Status.WAITLISTED) & (
        Q(waitlisted_at__lt=rsvp.waitlisted_at)
        | Q(waitlisted_at=rsvp.waitlisted_at, pk__lt=rsvp.pk)
    )


def waitlist_position(rsvp: Rsvp) -> int | None:
    """1 for the next person to get a seat; None when `rsvp` is not on the waitlist."""
    if rsvp.status != Rsvp.Status.WAITLISTED:
        return None
    return Rsvp.objects.filter(waiting_before(rsvp), event_id=rsvp.event_id).count() + 1


def waitlist(event: Event) -> QuerySet[Rsvp]:
    """The event's waitlist, next in line first."""
    return Rsvp.objects.filter(event=event, status=Rsvp.Status.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )


@dataclass(frozen=True)
class Counts:
    going: int = 0
    maybe: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    checked_in: int = 0


def _counts(event: Event, *, ahead_of: Rsvp | None = None) -> tuple[Counts, int | None]:
    """The event's RSVPs counted by status in one query; with `ahead_of` (a waitlisted
    RSVP), also how many wait before it, in the same query."""
    aggregates = {
        "going": Count("pk", filter=Q(status=Rsvp.Status.GOING)),
        "maybe": Count("pk", filter=Q(status=Rsvp.Status.MAYBE)),
        "waitlisted": Count("pk", filter=Q(status=Rsvp.Status.WAITLISTED)),
        "cancelled": Count("pk", filter=Q(status=Rsvp.Status.CANCELLED)),
        "checked_in": Count("pk", filter=Q(checked_in_at__isnull=False)),
    }
    if ahead_of is not None:
        aggregates["ahead"] = Count("pk", filter=waiting_before(ahead_of))
    row = Rsvp.objects.filter(event=event).aggregate(**aggregates)
    counts = Counts(
        going=row["going"],
        maybe=row["maybe"],
        waitlisted=row["waitlisted"],
        cancelled=row["cancelled"],
        checked_in=row["checked_in"],
    )
    return counts, (row["ahead"] + 1 if ahead_of is not None else None)


def rsvp_counts(event: Event) -> Counts:
    return _counts(event)[0]


@dataclass(frozen=True)
class ShiftLine:
    """A shift as the event page shows it to one viewer."""

    shift: Shift
    signup_count: int
    is_mine: bool
    now: datetime

    @property
    def places_left(self) -> int:
        return max(self.shift.slots - self.signup_count, 0)

    @property
    def is_full(self) -> bool:
        return self.signup_count >= self.shift.slots

    @property
    def has_started(self) -> bool:
        return self.shift.starts_at <= self.now


@dataclass(frozen=True)
class AttendancePanel:
    """Everything the event page's attendance panel shows to one viewer.

    `seats_left` is None for an event without a seat limit; `why_not` says why the RSVP
    buttons are missing (None when `can_rsvp`); `my_waitlist_position` is 1 for the next
    person to get a seat."""

    my_rsvp: Rsvp | None
    going_count: int
    maybe_count: int
    waitlist_count: int
    seats_left: int | None
    my_waitlist_position: int | None
    can_rsvp: bool
    why_not: str | None
    shifts: tuple[ShiftLine, ...]
    can_volunteer: bool
    why_not_volunteer: str | None
    can_manage: bool
    is_signed_in: bool

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0

    @property
    def my_status(self) -> str | None:
        return self.my_rsvp.status if self.my_rsvp is not None else None


def _shift_lines(event: Event, viewer: User | None, now: datetime) -> tuple[ShiftLine, ...]:
    shifts = Shift.objects.filter(event=event).annotate(signup_count=Count("signups"))
    if viewer is not None:
        shifts = shifts.annotate(
            is_mine=Exists(ShiftSignup.objects.filter(shift=OuterRef("pk"), volunteer=viewer))
        )
    return tuple(
        ShiftLine(
            shift=shift,
            signup_count=shift.signup_count,
            is_mine=bool(getattr(shift, "is_mine", False)),
            now=now,
        )
        for shift in shifts.order_by("starts_at", "role", "pk")
    )


def attendance_panel(*, event: Event, viewer: User | AnonymousUser) -> AttendancePanel:
    """The attendance panel of `event` for `viewer`, who may see the event (the page checked).

    Five queries for a signed-in member whatever the number of RSVPs and shifts (their
    standing, their RSVP, the counts with their waitlist position, the shifts with their
    sign-ups), two for a visitor."""
    now = timezone.now()
    member = viewer if isinstance(viewer, User) and viewer.is_authenticated else None
    member_standing = standing(member, event.network) if member is not None else NOBODY
    mine = Rsvp.objects.filter(event=event, member=member).first() if member is not None else None
    waiting = mine if mine is not None and mine.status == Rsvp.Status.WAITLISTED else None
    counts, position = _counts(event, ahead_of=waiting)
    seats_left = None if event.capacity is None else max(event.capacity - counts.going, 0)
    refusal = rsvp_refusal(event=event, member=viewer, member_standing=member_standing, now=now)
    volunteering = volunteer_refusal(
        event=event, member=viewer, member_standing=member_standing, now=now
    )
    return AttendancePanel(
        my_rsvp=mine,
        going_count=counts.going,
        maybe_count=counts.maybe,
        waitlist_count=counts.waitlisted,
        seats_left=seats_left,
        my_waitlist_position=position,
        can_rsvp=refusal is None,
        why_not=refusal.message if refusal is not None else None,
        shifts=_shift_lines(event, member, now),
        can_volunteer=volunteering is None,
        why_not_volunteer=volunteering.message if volunteering is not None else None,
        can_manage=member_standing.has_role(*ORGANISING_ROLES),
        is_signed_in=member is not None,
    )


@dataclass(frozen=True)
class AttendeeFilters:
    """Which RSVPs the door list shows, read from the query string (bad values ignored)."""

    status: str = Rsvp.Status.GOING
    q: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> "AttendeeFilters":
        status = query.get("status", "")
        if status not in Rsvp.Status.values:
            status = Rsvp.Status.GOING
        return cls(status=status, q=" ".join(query.get("q", "").split())[:SEARCH_MAX])


def attendees(event: Event, *, status: str = Rsvp.Status.GOING, q: str = "") -> QuerySet[Rsvp]:
    """RSVPs of `event` with one status, for its organisers: the waitlist in its order,
    the others by name (what a door volunteer looks for); `q` searches names."""
    rsvps = Rsvp.objects.filter(event=event, status=status).select_related(
        "member", "checked_in_by"
    )
    if q:
        rsvps = rsvps.filter(
            Q(member__display_name__icontains=q) | Q(member__username__icontains=q)
        )
    if status == Rsvp.Status.WAITLISTED:
        return rsvps.order_by("waitlisted_at", "pk")
    if status == Rsvp.Status.CANCELLED:
        return rsvps.order_by("-updated_at", "-pk")
    # The name people see: the display name, else the username.
    shown_name = Coalesce(NullIf("member__display_name", Value("")), "member__username")
    return rsvps.order_by(Lower(shown_name), "member__username", "pk")


@dataclass(frozen=True)
class MyEvents:
    rsvps: list[Rsvp]
    signups: list[ShiftSignup]


def my_events(member: User) -> MyEvents:
    """The member's upcoming events (going, maybe or waitlisted, with their place in the
    waitlist as `waitlist_position`) and volunteer shifts, soonest first: two queries."""
    now = timezone.now()
    ahead = (
        Rsvp.objects.filter(
            event_id=OuterRef("event_id"),
            status=Rsvp.Status.WAITLISTED,
        )
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("event_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rsvps = (
        Rsvp.objects.filter(
            member=member,
            status__in=ATTENDING,
            event__ends_at__gt=now,
            event__in=visible_events(member),
        )
        .select_related("event__network", "event__venue")
        .annotate(waitlist_position=Coalesce(Subquery(ahead, output_field=IntegerField()), 0) + 1)
        .order_by("event__starts_at", "event_id")[:MY_EVENTS_LIMIT]
    )
    signups = (
        ShiftSignup.objects.filter(
            volunteer=member,
            shift__ends_at__gt=now,
            shift__event__in=visible_events(member),
        )
        .select_related("shift__event__network")
        .order_by(F("shift__starts_at").asc(), "pk")[:MY_EVENTS_LIMIT]
    )
    return MyEvents(rsvps=list(rsvps), signups=list(signups))


def shifts_to_manage(event: Event) -> list[Shift]:
    """The event's shifts with their volunteers (prefetched: two queries)."""
    return list(
        Shift.objects.filter(event=event)
        .prefetch_related("signups__volunteer")
        .order_by("starts_at", "role", "pk")
    )
