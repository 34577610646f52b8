"""The calendars (global and per network) and the event's own pages: read, create, edit,
publish, cancel, delete a draft.

Each view finds the event through `queries.event_page`, which answers 404 for an unknown
number or a draft the person does not organise and 403 (the designed page, saying why)
for a members-only event; binds the form; calls a service. A service's refusal is shown
beside the form or as a message on the event page; a publication lacking screening rights
gets a confirmation page instead.
"""

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contrechamp.accounts.models import User
from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.core import places
from contrechamp.core.errors import DomainError
from contrechamp.core.pagination import paginate_capped
from contrechamp.events import recurrence
from contrechamp.events.forms.events import CancelForm, DeleteForm, EventForm, PublishForm
from contrechamp.events.models import Event
from contrechamp.events.permissions import (
    ORGANISING_ROLES,
    SHOWN,
    can_organise,
    ensure_can_organise,
)
from contrechamp.events.queries import events as queries
from contrechamp.events.queries.attendance import attendance_panel
from contrechamp.events.queries.rights import rights_panel
from contrechamp.events.services import events as services
from contrechamp.networks.models import Network
from contrechamp.networks.permissions import standing

PER_PAGE = 30


def _calendar_context(filters: queries.AgendaFilters, page: Page) -> dict[str, Any]:  # type: ignore[type-arg]
    events = list(page.object_list)
    return {
        "filters": filters,
        "page_obj": page,
        "days": queries.by_day(events),
        "map_points": queries.map_points(events),
        "kinds": Event.Kind.choices,
        "suggestions": places.suggest_cities(filters.near) if filters.near_unknown else [],
    }


@require_GET
def agenda(request: HttpRequest) -> HttpResponse:
    """Every event the person may see, soonest first, grouped by day: by text, type,
    network, distance from a city and dates; past events on request."""
    filters = queries.AgendaFilters.from_query(request.GET)
    page = paginate_capped(request, queries.agenda(request.user, filters), per_page=PER_PAGE)
    context = _calendar_context(filters, page)
    context["network"] = (
        Network.objects.filter(slug=filters.network).first() if filters.network else None
    )
    context["is_network_calendar"] = False
    return render(request, "events/agenda.html", context)


@require_GET
def network_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """One network's calendar; its organisers also see its drafts and may add an event."""
    network = get_object_or_404(Network, slug=slug)
    filters = queries.AgendaFilters.from_query(request.GET)
    events = queries.network_calendar(request.user, network, filters)
    context = _calendar_context(filters, paginate_capped(request, events, per_page=PER_PAGE))
    me = standing(request.user, network)
    context |= {
        "network": network,
        "me": me,
        "is_network_calendar": True,
        "organises": me.has_role(*ORGANISING_ROLES),
    }
    return render(request, "events/agenda.html", context)


def _event(request: HttpRequest, pk: int) -> Event:
    event = queries.event_page(request.user, pk)
    if event is None:
        raise Http404
    return event


def _organised_event(request: HttpRequest, pk: int) -> tuple[User, Event]:
    actor = signed_in_member(request)
    event = _event(request, pk)
    ensure_can_organise(actor, event.network)
    return actor, event


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    viewer = request.user
    organises = can_organise(viewer, event.network)
    screenings = list(event.screenings.all())
    context: dict[str, Any] = {
        "event": event,
        "screenings": screenings,
        "organises": organises,
        "attendance": attendance_panel(event=event, viewer=viewer),
        "rights": rights_panel(event=event, viewer=viewer),
        "programme": (
            queries.programme(viewer, event) if event.kind == Event.Kind.FESTIVAL else []
        ),
        "other_dates": queries.other_dates(viewer, event),
        "series_rule": (
            recurrence.describe(event.series.rule, ZoneInfo(event.time_zone))
            if event.series is not None
            else ""
        ),
        "json_ld": (
            queries.event_json_ld(event, absolute=request.build_absolute_uri)
            if event.is_public and event.status in SHOWN
            else None
        ),
        "is_open": not event.has_ended and not event.is_cancelled,
    }
    if organises and event.status == Event.Status.DRAFT and context["is_open"]:
        context["publish_form"] = PublishForm(auto_id="publish_%s")
    return render(request, "events/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """A new event of one of the networks the member organises (`?network=<slug>` picks
    it), saved as a draft."""
    actor = signed_in_member(request)
    networks = list(queries.organised_networks(actor))
    if not networks:
        raise PermissionDenied(
            _("Only the organisers and admins of a network can create its events.")
        )
    wanted = request.GET.get("network", "")
    chosen = next((n for n in networks if n.slug == wanted), networks[0])
    form = EventForm(
        posted_data(request),
        networks=networks,
        festivals=queries.festivals_of(networks),
        initial={"network": chosen.slug},
    )
    if request.method == "POST" and form.is_valid():
        network = form.chosen_network()
        assert network is not None  # noqa: S101 - the field's choices are these networks
        try:
            event = services.create_event(
                actor=actor,
                network=network,
                details=form.details(),
                films=form.cleaned_data["films"],
                recurrence=form.cleaned_data["recurrence"],
                festival=form.cleaned_data.get("festival"),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("Your event is saved as a draft: check it, then publish it.")
            )
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": None})


def _warn_about_rights(request: HttpRequest, event: Event) -> None:
    """After films change on a public event already announced, say which still lack rights."""
    if not event.is_public or event.status != Event.Status.PUBLISHED:
        return
    missing = [s.film.title for s in event.screenings.all() if not s.cleared_for_public]
    if missing:
        messages.warning(
            request,
            _("The rights to show these films in public are not recorded yet: %(films)s.")
            % {"films": ", ".join(missing)},
        )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor, event = _organised_event(request, pk)
    films = [screening.film for screening in event.screenings.all()]
    form = EventForm(posted_data(request), event=event, initial=EventForm.initial_for(event, films))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(
                actor=actor,
                event=event,
                details=form.details(),
                scope=form.cleaned_data.get("scope") or services.OCCURRENCE,
                films=form.cleaned_data["films"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The event is up to date."))
            updated = queries.event_page(actor, event.pk)
            if updated is not None:
                _warn_about_rights(request, updated)
            return redirect(event)
    context = {
        "form": form,
        "event": event,
        "is_open": not event.has_ended and not event.is_cancelled,
    }
    return render(request, "events/event_form.html", context)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a draft (and, for a series, its later drafts on request). When films lack
    their rights for a public showing, a page lists them and asks for confirmation."""
    actor, event = _organised_event(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose this date or the whole series."))
        return redirect(event)
    scope = form.cleaned_data["scope"] or services.OCCURRENCE
    try:
        services.publish_event(
            actor=actor,
            event=event,
            acknowledge_missing_rights=form.cleaned_data["acknowledge_missing_rights"],
            scope=scope,
        )
    except services.MissingRights as missing:
        context = {"event": event, "missing": missing.screenings, "scope": scope}
        return render(request, "events/publish_confirm.html", context)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(event)
    if scope == services.SERIES:
        messages.success(request, _("Published, with the following dates of the series."))
    else:
        messages.success(request, _("Published: the event is in the calendars."))
    return redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a published event, saying why; everyone who planned to come is told."""
    actor, event = _organised_event(request, pk)
    form = CancelForm(posted_data(request), event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_event(
                actor=actor,
                event=event,
                reason=form.cleaned_data["reason"],
                scope=form.cleaned_data.get("scope") or services.OCCURRENCE,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The event is cancelled; the people coming are told."))
            return redirect(event)
    return render(request, "events/cancel.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft, after a confirmation page."""
    actor, event = _organised_event(request, pk)
    form = DeleteForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_draft(
                actor=actor, event=event, scope=form.cleaned_data["scope"] or services.OCCURRENCE
            )
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect(event)
        messages.success(request, _("The draft is deleted."))
        return redirect("events:network_calendar", slug=event.network.slug)
    return render(request, "events/delete.html", {"form": form, "event": event})
