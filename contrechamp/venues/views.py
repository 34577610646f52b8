"""Venue pages: the directory with its map, a venue's page, and the forms to add and
correct one. A refusal from a service is shown beside the form (DomainError) or answered
with the designed 403 page (PermissionDenied)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.core.errors import DomainError
from contrechamp.core.pagination import paginate
from contrechamp.venues import queries, services
from contrechamp.venues.forms import VenueForm
from contrechamp.venues.models import Venue
from contrechamp.venues.permissions import can_add_venue, can_edit_venue, ensure_can_edit_venue


def _is_partial(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


@require_safe
def venue_list(request: HttpRequest) -> HttpResponse:
    """Find venues by name, town, type, equipment and distance: a list and a map of it."""
    filters = queries.VenueFilters.from_query(request.GET)
    found = queries.search_venues(filters)
    page = paginate(request, found.venues)
    context = {
        "filters": filters,
        "search": found,
        "page_obj": page,
        "map_points": queries.map_points(list(page.object_list)),
        "kinds": Venue.Kind.choices,
        "can_add": can_add_venue(request.user),
    }
    template = "venues/list.html"
    if _is_partial(request):
        template += "#results"
    return render(request, template, context)


@require_safe
def venue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    venue = get_object_or_404(queries.venue_page(pk))
    context = {
        "venue": venue,
        "events": queries.upcoming_events(request.user, venue),
        "can_edit": can_edit_venue(request.user, venue),
        "map_points": queries.map_points([venue]),
    }
    return render(request, "venues/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def venue_create(request: HttpRequest) -> HttpResponse:
    actor = signed_in_member(request)
    form = VenueForm(posted_data(request))
    duplicate: Venue | None = None
    if request.method == "POST" and form.is_valid():
        try:
            venue = services.create_venue(actor=actor, details=form.details())
        except services.DuplicateVenue as error:
            form.add_error("name", str(error.message))
            duplicate = error.venue
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The venue is in the directory. Thank you!"))
            return redirect(venue)
    context = {"form": form, "venue": None, "duplicate": duplicate}
    return render(request, "venues/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    venue = get_object_or_404(queries.venue_page(pk))
    ensure_can_edit_venue(actor, venue)
    form = VenueForm(posted_data(request), initial=VenueForm.initial_for(venue))
    duplicate: Venue | None = None
    if request.method == "POST" and form.is_valid():
        try:
            venue = services.update_venue(actor=actor, venue=venue, details=form.details())
        except services.DuplicateVenue as error:
            form.add_error("name", str(error.message))
            duplicate = error.venue
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The venue's page is up to date."))
            return redirect(venue)
    context = {"form": form, "venue": venue, "duplicate": duplicate}
    return render(request, "venues/form.html", context)
