"""Who comes and who helps: RSVPs with their free waitlist, check-in at the door, volunteer
shifts, and the reminders sent the day before.

Seats are counted over the RSVPs that are "going". Every service that takes or frees a
seat locks the event row first (`select_for_update`) and only then counts: on PostgreSQL
concurrent RSVPs for the last seat queue on that lock, on SQLite the IMMEDIATE
transactions queue, and `serialised` retries a writer that found the database busy. So the
count never exceeds the capacity, and a freed seat goes to the first person on the
waitlist in the same transaction: nobody else can take it in between, nobody jumps the
queue, and nobody pays to.

Notifications are recorded inside the transaction (in the recipient's language) and
emailed after it commits.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.core.transactions import serialised
from contrechamp.events.models import Event, Rsvp, Shift, ShiftSignup
from contrechamp.events.permissions import ensure_can_organise, ensure_can_see
from contrechamp.events.queries.attendance import (
    ANSWERS,
    Refusal,
    door_refusal,
    rsvp_refusal,
    volunteer_refusal,
    waitlist,
)
from contrechamp.networks.permissions import standing
from contrechamp.notifications.services import in_language_of, notify

# Shifts happen around the event: setting up before, tidying up after.
SHIFT_WINDOW = timedelta(hours=12)
MAX_SLOTS = 100
LABEL_MAX = 100
# Reminders go to people whose event (or shift) starts within this time.
REMINDER_AHEAD = timedelta(hours=24)


def _raise(refusal: Refusal) -> None:
    if refusal.forbidden:
        raise PermissionDenied(refusal.message)
    raise Conflict(refusal.message)


def _lock_events() -> QuerySet[Event]:
    """Events read with a row lock that every seat change takes first: RSVPs for one
    event queue behind it. A lock on the row's columns only, not its key: it leaves free
    the rows pointing to the event (its screenings, shifts) that others write meanwhile."""
    return Event.objects.select_for_update(of=("self",), no_key=True).select_related("network")


def _locked_event(event: Event) -> Event:
    return _lock_events().get(pk=event.pk)


def _going_count(event: Event) -> int:
    return Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).count()


def _has_free_seat(event: Event) -> bool:
    return event.capacity is None or _going_count(event) < event.capacity


# --- RSVP and the waitlist


def promote_from_waitlist(event: Event) -> list[Rsvp]:
    """Give the event's free seats to the people first on its waitlist, and tell them.

    Call it inside a transaction while holding the event's row lock
    (`Event.objects.select_for_update().get(pk=…)`), after anything that frees seats or
    raises the capacity: a cancellation, going → maybe, a new capacity (None: no limit,
    everyone waiting gets a seat). Lowering the capacity takes no seat back. Returns the
    promoted RSVPs, first in line first."""
    chosen = waitlist(event).select_related("member__notification_language")
    if event.capacity is not None:
        free = event.capacity - _going_count(event)
        if free <= 0:
            return []
        chosen = chosen[:free]
    promoted = list(chosen)
    if not promoted:
        return []
    now = timezone.now()
    Rsvp.objects.filter(pk__in=[rsvp.pk for rsvp in promoted]).update(
        status=Rsvp.Status.GOING, promoted_at=now, updated_at=now
    )
    for rsvp in promoted:
        rsvp.status, rsvp.promoted_at, rsvp.updated_at = Rsvp.Status.GOING, now, now
        with in_language_of(rsvp.member):
            notify(
                recipient=rsvp.member,
                kind="events.waitlist_promoted",
                title=_("A seat is yours: “%(title)s” on %(when)s")
                % {"title": event.title, "when": event.local_time_text(event.starts_at)},
                body=_(
                    "A seat freed up and you were next on the waitlist. "
                    "If you can no longer come, cancel your answer so the next person "
                    "gets it."
                ),
                url=event.get_absolute_url(),
            )
    return promoted


@serialised
def rsvp(*, actor: User, event: Event, status: str) -> Rsvp:
    """Answer going, maybe or not going (`Rsvp.Status.CANCELLED`) for a published event
    that has not started.

    Anyone signed in may answer for a public event, the network's active members for a
    members-only one. "Going" takes a seat while one is free and nobody waits; otherwise
    the answer joins the END of the waitlist (`WAITLISTED`): check the returned status.
    Leaving a seat (maybe, not going) gives it to the first person waiting. Answering
    the same again changes nothing (a double submission); a waitlisted person who says
    "going" again keeps their place."""
    if status not in ANSWERS:
        raise DomainError(_("Answer going, maybe or not going."))
    event = _locked_event(event)
    ensure_can_see(actor, event)
    refusal = rsvp_refusal(
        event=event,
        member=actor,
        member_standing=standing(actor, event.network),
        now=timezone.now(),
    )
    if refusal is not None:
        _raise(refusal)
    mine = Rsvp.objects.filter(event=event, member=actor).first()
    if mine is None:
        if status == Rsvp.Status.CANCELLED:
            raise Conflict(_("You had not said you were coming: there is nothing to cancel."))
        mine = Rsvp(event=event, member=actor)
    elif mine.status == status or (
        mine.status == Rsvp.Status.WAITLISTED and status == Rsvp.Status.GOING
    ):
        return mine
    had_seat = mine.status == Rsvp.Status.GOING
    now = timezone.now()
    mine.updated_at = now
    if status == Rsvp.Status.GOING:
        # Seats freed without a promotion (a capacity raised by hand) go to the queue first.
        promote_from_waitlist(event)
        if not waitlist(event).exists() and _has_free_seat(event):
            mine.status, mine.waitlisted_at = Rsvp.Status.GOING, None
        else:
            mine.status, mine.waitlisted_at = Rsvp.Status.WAITLISTED, now
    else:
        mine.status, mine.waitlisted_at = status, None
    mine.save()
    if had_seat and mine.status != Rsvp.Status.GOING:
        promote_from_waitlist(event)
    return mine


def _ensure_door_open(event: Event) -> None:
    refusal = door_refusal(event=event, now=timezone.now())
    if refusal is not None:
        raise InvalidTransition(refusal.message)


def _seat_at_the_door(event: Event, rsvp: Rsvp, actor: User) -> None:
    """Check in `rsvp`; someone without a seat (maybe, waitlisted, cancelled at the door)
    takes a free one or is refused: the room holds what it holds."""
    now = timezone.now()
    if rsvp.status != Rsvp.Status.GOING:
        if not _has_free_seat(event):
            raise Conflict(
                _("The event is full: no seat is left for %(name)s.") % {"name": _name_of(rsvp)}
            )
        rsvp.status, rsvp.waitlisted_at = Rsvp.Status.GOING, None
    rsvp.checked_in_at, rsvp.checked_in_by, rsvp.updated_at = now, actor, now
    rsvp.save()


def _name_of(rsvp: Rsvp) -> str:
    return rsvp.member.public_name


def _locked_rsvp(rsvp: Rsvp) -> tuple[Event, Rsvp]:
    """The RSVP's event then the RSVP, locked in that order (as every seat change does)."""
    event_id = Rsvp.objects.filter(pk=rsvp.pk).values_list("event_id", flat=True).first()
    if event_id is None:
        raise Conflict(_("This answer no longer exists."))
    event = _lock_events().get(pk=event_id)
    locked = Rsvp.objects.select_for_update(of=("self",)).select_related("member").get(pk=rsvp.pk)
    return event, locked


@serialised
def check_in(*, actor: User, rsvp: Rsvp) -> Rsvp:
    """An organiser marks someone as arrived at the door. A person who said "maybe" or
    waits on the waitlist takes a free seat if there is one; a cancelled answer is
    refused (they said they would not come: record them as a walk-in)."""
    event, rsvp = _locked_rsvp(rsvp)
    ensure_can_organise(actor, event.network)
    _ensure_door_open(event)
    if rsvp.status == Rsvp.Status.CANCELLED:
        raise InvalidTransition(
            _("%(name)s cancelled their answer: check them in as a walk-in.")
            % {"name": _name_of(rsvp)}
        )
    if rsvp.checked_in_at is not None:
        raise Conflict(_("%(name)s is already checked in.") % {"name": _name_of(rsvp)})
    _seat_at_the_door(event, rsvp, actor)
    return rsvp


@serialised
def undo_check_in(*, actor: User, rsvp: Rsvp) -> Rsvp:
    """Take back a check-in made by mistake; the person keeps their seat."""
    event, rsvp = _locked_rsvp(rsvp)
    ensure_can_organise(actor, event.network)
    if rsvp.checked_in_at is None:
        raise Conflict(_("%(name)s is not checked in.") % {"name": _name_of(rsvp)})
    rsvp.checked_in_at, rsvp.checked_in_by, rsvp.updated_at = None, None, timezone.now()
    rsvp.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    return rsvp


@serialised
def check_in_walk_in(*, actor: User, event: Event, member: User) -> Rsvp:
    """An organiser checks in a member who turns up at the door: they take a free seat
    (their earlier answer, if any, becomes "going"). A members-only event admits only
    the network's active members; a full event refuses."""
    event = _locked_event(event)
    ensure_can_organise(actor, event.network)
    _ensure_door_open(event)
    if not member.is_active or member.is_deleted:
        raise DomainError(_("This account is closed."))
    if not event.is_public and not standing(member, event.network).is_member:
        raise PermissionDenied(
            _("%(name)s is not a member of this network, and this event is for its members.")
            % {"name": member.public_name}
        )
    mine = (
        Rsvp.objects.select_for_update(of=("self",))
        .select_related("member")
        .filter(event=event, member=member)
        .first()
    )
    if mine is None:
        mine = Rsvp(event=event, member=member, status=Rsvp.Status.CANCELLED)
    elif mine.checked_in_at is not None:
        raise Conflict(_("%(name)s is already checked in.") % {"name": member.public_name})
    _seat_at_the_door(event, mine, actor)
    return mine


# --- Volunteer shifts


def _check_shift(
    event: Event, *, role: str, label: str, starts_at: datetime, ends_at: datetime, slots: int
) -> str:
    """Validate a shift's fields against its event; returns the cleaned label."""
    if role not in Shift.Role.values:
        raise DomainError(_("Choose a role for this shift."))
    label = " ".join(label.split())
    if len(label) > LABEL_MAX:
        raise DomainError(
            _("The details are too long: %(max)s characters at most.") % {"max": LABEL_MAX}
        )
    if not 1 <= slots <= MAX_SLOTS:
        raise DomainError(_("A shift needs between 1 and %(max)s volunteers.") % {"max": MAX_SLOTS})
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise DomainError(_("Give the shift's times with their time zone."))
    if ends_at <= starts_at:
        raise DomainError(_("The shift must end after it starts."))
    earliest, latest = event.starts_at - SHIFT_WINDOW, event.ends_at + SHIFT_WINDOW
    if starts_at < earliest or ends_at > latest:
        raise DomainError(
            _("A shift takes place around its event: between %(earliest)s and %(latest)s.")
            % {"earliest": event.local_time_text(earliest), "latest": event.local_time_text(latest)}
        )
    return label


def _ensure_event_open(event: Event) -> None:
    if event.is_cancelled:
        raise InvalidTransition(_("This event is cancelled."))
    if event.has_ended:
        raise InvalidTransition(_("This event is over."))


@transaction.atomic
def add_shift(
    *,
    actor: User,
    event: Event,
    role: str,
    label: str,
    starts_at: datetime,
    ends_at: datetime,
    slots: int,
) -> Shift:
    """An organiser asks for volunteers: `slots` people for `role` from `starts_at` to
    `ends_at`, which lie between 12 hours before the event and 12 hours after it."""
    event = _locked_event(event)
    ensure_can_organise(actor, event.network)
    _ensure_event_open(event)
    label = _check_shift(
        event, role=role, label=label, starts_at=starts_at, ends_at=ends_at, slots=slots
    )
    return Shift.objects.create(
        event=event, role=role, label=label, starts_at=starts_at, ends_at=ends_at, slots=slots
    )


def _locked_shift(shift: Shift) -> Shift:
    locked = (
        Shift.objects.select_for_update(of=("self",), no_key=True)
        .select_related("event__network")
        .filter(pk=shift.pk)
        .first()
    )
    if locked is None:
        raise Conflict(_("This shift was removed meanwhile."))
    return locked


@transaction.atomic
def update_shift(
    *,
    actor: User,
    shift: Shift,
    role: str,
    label: str,
    starts_at: datetime,
    ends_at: datetime,
    slots: int,
) -> Shift:
    """Change a shift; it cannot need fewer volunteers than have already signed up."""
    shift = _locked_shift(shift)
    event = shift.event
    ensure_can_organise(actor, event.network)
    _ensure_event_open(event)
    label = _check_shift(
        event, role=role, label=label, starts_at=starts_at, ends_at=ends_at, slots=slots
    )
    taken = shift.signups.count()
    if slots < taken:
        raise Conflict(
            _(
                "%(count)s volunteers have signed up: the shift cannot need fewer. "
                "Ask some of them to withdraw first."
            )
            % {"count": taken}
        )
    shift.role, shift.label, shift.slots = role, label, slots
    shift.starts_at, shift.ends_at = starts_at, ends_at
    shift.save(update_fields=["role", "label", "slots", "starts_at", "ends_at"])
    return shift


@transaction.atomic
def remove_shift(*, actor: User, shift: Shift) -> None:
    """Remove a shift; the volunteers who signed up for it are told (if it has not
    happened yet)."""
    shift = _locked_shift(shift)
    event = shift.event
    ensure_can_organise(actor, event.network)
    if shift.ends_at > timezone.now():
        for signup in shift.signups.select_related("volunteer__notification_language"):
            _tell_volunteer(signup.volunteer, shift, event, actor)
    shift.delete()


def _tell_volunteer(volunteer: User, shift: Shift, event: Event, actor: User) -> None:
    with in_language_of(volunteer):
        notify(
            recipient=volunteer,
            kind="events.shift_removed",
            title=_("The “%(role)s” shift of “%(title)s” is cancelled")
            % {"role": shift.get_role_display(), "title": event.title},
            body=_("You had signed up for it on %(when)s. Thank you for offering your help.")
            % {"when": event.local_time_text(shift.starts_at)},
            url=event.get_absolute_url(),
            actor=actor,
        )


@serialised
def sign_up(*, actor: User, shift: Shift) -> ShiftSignup:
    """An active member of the organising network volunteers for a shift that has not
    started and still has a free slot (the shift row is locked: two volunteers cannot
    both take the last slot)."""
    shift = _locked_shift(shift)
    event = shift.event
    ensure_can_see(actor, event)
    refusal = volunteer_refusal(
        event=event,
        member=actor,
        member_standing=standing(actor, event.network),
        now=timezone.now(),
    )
    if refusal is not None:
        _raise(refusal)
    if shift.starts_at <= timezone.now():
        raise InvalidTransition(_("This shift has already started."))
    if shift.signups.filter(volunteer=actor).exists():
        raise Conflict(_("You have already signed up for this shift."))
    if shift.signups.count() >= shift.slots:
        raise Conflict(_("This shift is full: thank you all the same."))
    return ShiftSignup.objects.create(shift=shift, volunteer=actor)


@serialised
def withdraw(*, actor: User, signup: ShiftSignup) -> None:
    """A volunteer takes back their sign-up, before the shift starts."""
    locked = (
        ShiftSignup.objects.select_for_update(of=("self",))
        .select_related("shift")
        .filter(pk=signup.pk)
        .first()
    )
    if locked is None:
        raise Conflict(_("You are no longer signed up for this shift."))
    if locked.volunteer_id != actor.pk:
        raise PermissionDenied(_("Only the volunteer can withdraw from their shift."))
    if locked.shift.starts_at <= timezone.now():
        raise InvalidTransition(
            _("This shift has already started: tell the organisers if you cannot stay.")
        )
    locked.delete()


# --- Reminders (periodic jobs: idempotent, they return how many were sent)


@transaction.atomic
def send_event_reminders() -> int:
    """Remind the people going to a published event that starts within 24 hours, once
    (`Rsvp.reminded_at`). A constant number of queries per person reminded."""
    now = timezone.now()
    due = list(
        Rsvp.objects.select_for_update(of=("self",))
        .filter(
            status=Rsvp.Status.GOING,
            reminded_at__isnull=True,
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + REMINDER_AHEAD,
        )
        .select_related("event__venue", "member__notification_language")
        .order_by("event__starts_at", "pk")
    )
    for rsvp in due:
        event = rsvp.event
        with in_language_of(rsvp.member):
            place = event.venue.name if event.venue is not None else _("online")
            notify(
                recipient=rsvp.member,
                kind="events.event_reminder",
                title=_("Reminder: “%(title)s” on %(when)s")
                % {"title": event.title, "when": event.local_time_text(event.starts_at)},
                body=_(
                    "Where: %(place)s. If you can no longer come, cancel your answer so "
                    "someone on the waitlist gets your seat."
                )
                % {"place": place},
                url=event.get_absolute_url(),
            )
    Rsvp.objects.filter(pk__in=[rsvp.pk for rsvp in due]).update(reminded_at=now)
    return len(due)


@transaction.atomic
def send_shift_reminders() -> int:
    """Remind volunteers of a shift that starts within 24 hours, at a published event,
    once (`ShiftSignup.reminded_at`). A constant number of queries per volunteer."""
    now = timezone.now()
    due = list(
        ShiftSignup.objects.select_for_update(of=("self",))
        .filter(
            reminded_at__isnull=True,
            shift__event__status=Event.Status.PUBLISHED,
            shift__starts_at__gt=now,
            shift__starts_at__lte=now + REMINDER_AHEAD,
        )
        .select_related("shift__event", "volunteer__notification_language")
        .order_by("shift__starts_at", "pk")
    )
    for signup in due:
        shift, event = signup.shift, signup.shift.event
        with in_language_of(signup.volunteer):
            notify(
                recipient=signup.volunteer,
                kind="events.shift_reminder",
                title=_("Your “%(role)s” shift at “%(title)s” starts on %(when)s")
                % {
                    "role": shift.get_role_display(),
                    "title": event.title,
                    "when": event.local_time_text(shift.starts_at),
                },
                body=shift.label,
                url=event.get_absolute_url(),
            )
    ShiftSignup.objects.filter(pk__in=[signup.pk for signup in due]).update(reminded_at=now)
    return len(due)
