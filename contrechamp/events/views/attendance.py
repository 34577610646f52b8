"""Answering an event, the door list, volunteer shifts and a member's own events.

Each view finds the event (a 403 page when the person may not see it), calls a service
and comes back to the page the person acted from, with the outcome or the reason for a
refusal as a message. An htmx request from the event page gets the attendance panel
back, with the outcome in it, instead of a redirect.
"""

from datetime import datetime
from typing import Any, TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contrechamp.accounts.models import User
from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.core.errors import DomainError
from contrechamp.core.pagination import paginate
from contrechamp.events.forms.attendance import RsvpForm, ShiftForm, WalkInForm
from contrechamp.events.models import Event, Rsvp, Shift, ShiftSignup
from contrechamp.events.permissions import ensure_can_organise, ensure_can_see
from contrechamp.events.queries import attendance as queries
from contrechamp.events.services import attendance as services
from contrechamp.notifications.links import safe_local_path

ATTENDEES_PER_PAGE = 50
PANEL = "events/attendance/_panel.html"


def _event_for(request: HttpRequest, pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("network", "venue"), pk=pk)
    ensure_can_see(request.user, event)
    return event


def _organised_event(request: HttpRequest, pk: int) -> tuple[User, Event]:
    actor = signed_in_member(request)
    event = _event_for(request, pk)
    ensure_can_organise(actor, event.network)
    return actor, event


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the page the form was on (a path on this site), else to `fallback`."""
    return redirect(safe_local_path(request.POST.get("next", "")) or fallback)


def _answer(request: HttpRequest, event: Event, *, ok: bool, text: str) -> HttpResponse:
    """The outcome of an action taken from the event page: the refreshed panel for htmx,
    otherwise a message and a redirect back."""
    if request.headers.get("HX-Request") == "true":
        context = {
            "event": event,
            "attendance": queries.attendance_panel(event=event, viewer=request.user),
            "feedback": text,
            "feedback_level": "success" if ok else "error",
        }
        return render(request, PANEL, context)
    if ok:
        messages.success(request, text)
    else:
        messages.error(request, text)
    return _back(request, event.get_absolute_url())


def _rsvp_outcome(answer: Rsvp) -> str:
    if answer.status == Rsvp.Status.GOING:
        return _("You are going: see you there!")
    if answer.status == Rsvp.Status.WAITLISTED:
        position = queries.waitlist_position(answer)
        return _(
            "The event is full: you are number %(position)s on the waitlist. "
            "If a seat frees up, it is yours and we tell you."
        ) % {"position": position}
    if answer.status == Rsvp.Status.MAYBE:
        return _("Noted: you might come.")
    return _("Noted: you are not going.")


@login_required
@require_POST
def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer going, maybe or not going for an event."""
    actor = signed_in_member(request)
    event = _event_for(request, pk)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        return _answer(request, event, ok=False, text=_("Answer going, maybe or not going."))
    try:
        answer = services.rsvp(actor=actor, event=event, status=form.cleaned_data["status"])
    except DomainError as error:
        return _answer(request, event, ok=False, text=str(error.message))
    return _answer(request, event, ok=True, text=_rsvp_outcome(answer))


# --- The door


@login_required
@require_http_methods(["GET", "POST"])
def attendees(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendee list for organisers, by status, searchable by name, with the check-in
    buttons: the door view, made for a phone. Posting records a walk-in."""
    actor, event = _organised_event(request, pk)
    form = WalkInForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            walk_in = services.check_in_walk_in(
                actor=actor, event=event, member=form.cleaned_data["username"]
            )
        except DomainError as error:
            form.add_error("username", str(error.message))
        else:
            messages.success(
                request, _("%(name)s is checked in.") % {"name": walk_in.member.public_name}
            )
            return redirect("events:attendees", event.pk)
    filters = queries.AttendeeFilters.from_query(request.GET)
    door = queries.door_refusal(event=event, now=timezone.now())
    context: dict[str, Any] = {
        "event": event,
        "filters": filters,
        "counts": queries.rsvp_counts(event),
        "statuses": Rsvp.Status.choices,
        "page_obj": paginate(
            request,
            queries.attendees(event, status=filters.status, q=filters.q),
            per_page=ATTENDEES_PER_PAGE,
        ),
        "door_closed": door.message if door is not None else None,
        "walk_in_form": form,
    }
    return render(request, "events/attendance/attendees.html", context)


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int, rsvp_pk: int) -> HttpResponse:
    """Check someone in at the door, or undo it (`undo` posted)."""
    actor = signed_in_member(request)
    event = _event_for(request, pk)
    answer = get_object_or_404(Rsvp.objects.select_related("member"), pk=rsvp_pk, event=event)
    undo = "undo" in request.POST
    name = answer.member.public_name
    try:
        if undo:
            services.undo_check_in(actor=actor, rsvp=answer)
        else:
            services.check_in(actor=actor, rsvp=answer)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        if undo:
            messages.success(request, _("%(name)s is no longer checked in.") % {"name": name})
        else:
            messages.success(request, _("%(name)s is checked in.") % {"name": name})
    return _back(request, reverse("events:attendees", args=[event.pk]))


# --- Volunteer shifts


class ShiftFields(TypedDict):
    role: str
    label: str
    starts_at: datetime
    ends_at: datetime
    slots: int


def _shift_fields(form: ShiftForm) -> ShiftFields:
    data = form.cleaned_data
    return ShiftFields(
        role=data["role"],
        label=data["label"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        slots=data["slots"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def shifts(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's shifts with their volunteers, for organisers; posting adds a shift."""
    actor, event = _organised_event(request, pk)
    form = ShiftForm(posted_data(request), event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_shift(actor=actor, event=event, **_shift_fields(form))
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The shift is added."))
            return redirect("events:shifts", event.pk)
    context = {
        "event": event,
        "shifts": queries.shifts_to_manage(event),
        "form": form,
        "is_open": not event.is_cancelled and not event.has_ended,
    }
    return render(request, "events/attendance/shifts.html", context)


def _managed_shift(request: HttpRequest, pk: int, shift_pk: int) -> tuple[User, Event, Shift]:
    actor, event = _organised_event(request, pk)
    shift = get_object_or_404(Shift, pk=shift_pk, event=event)
    return actor, event, shift


@login_required
@require_http_methods(["GET", "POST"])
def shift_edit(request: HttpRequest, pk: int, shift_pk: int) -> HttpResponse:
    actor, event, shift = _managed_shift(request, pk, shift_pk)
    form = ShiftForm(posted_data(request), initial=ShiftForm.initial_for(shift), event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_shift(actor=actor, shift=shift, **_shift_fields(form))
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The shift is up to date."))
            return redirect("events:shifts", event.pk)
    return render(
        request, "events/attendance/shift_form.html", {"event": event, "shift": shift, "form": form}
    )


@login_required
@require_POST
def shift_remove(request: HttpRequest, pk: int, shift_pk: int) -> HttpResponse:
    actor, event, shift = _managed_shift(request, pk, shift_pk)
    try:
        services.remove_shift(actor=actor, shift=shift)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The shift is removed; its volunteers are told."))
    return redirect("events:shifts", event.pk)


def _shift_for(request: HttpRequest, pk: int) -> Shift:
    shift = get_object_or_404(Shift.objects.select_related("event__network", "event__venue"), pk=pk)
    ensure_can_see(request.user, shift.event)
    return shift


@login_required
@require_POST
def shift_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    shift = _shift_for(request, pk)
    try:
        services.sign_up(actor=actor, shift=shift)
    except DomainError as error:
        return _answer(request, shift.event, ok=False, text=str(error.message))
    return _answer(
        request,
        shift.event,
        ok=True,
        text=_("Thank you: you are signed up for “%(role)s”.") % {"role": shift.get_role_display()},
    )


@login_required
@require_POST
def shift_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    shift = _shift_for(request, pk)
    signup = ShiftSignup.objects.filter(shift=shift, volunteer=actor).first()
    if signup is None:
        return _answer(
            request, shift.event, ok=False, text=_("You are not signed up for this shift.")
        )
    try:
        services.withdraw(actor=actor, signup=signup)
    except DomainError as error:
        return _answer(request, shift.event, ok=False, text=str(error.message))
    return _answer(request, shift.event, ok=True, text=_("You are no longer signed up."))


# --- My events


@login_required
@require_GET
def my_events(request: HttpRequest) -> HttpResponse:
    """The member's upcoming events and volunteer shifts."""
    mine = queries.my_events(signed_in_member(request))
    return render(request, "events/attendance/my_events.html", {"mine": mine})
