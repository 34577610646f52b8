"""Wanted pages: find the request (among those the visitor may see), bind the form, call
a service. A service's refusal is shown beside the form that was sent, with what was typed
(DomainError), or as the designed 403 page (PermissionDenied)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contrechamp.accounts.models import User
from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.core.errors import DomainError
from contrechamp.core.pagination import paginate
from contrechamp.films.models import Film
from contrechamp.wanted import queries, services
from contrechamp.wanted.forms import ResolveForm, WantedRequestForm
from contrechamp.wanted.models import Format, WantedRequest

PER_PAGE = 20


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """Requests the visitor may see: by words, format, language, film, network, status."""
    filters = queries.WantedFilters.from_query(request.GET)
    page = paginate(request, queries.search_requests(request.user, filters), per_page=PER_PAGE)
    networks = list(queries.networks_of(request.user)) if isinstance(request.user, User) else []
    context = {
        "filters": filters,
        "page_obj": page,
        "formats": Format.choices,
        "statuses": WantedRequest.Status.choices,
        "networks": networks,
        "film": Film.objects.filter(pk=filters.film).first() if filters.film else None,
    }
    return render(request, "wanted/list.html", context)


def _initial_film(request: HttpRequest) -> dict[str, str]:
    """`?film=<id>` from a film's page fills in its title."""
    raw = request.GET.get("film", "")
    if not raw.isdigit() or len(raw) > 18:
        return {}
    film = Film.objects.filter(pk=int(raw)).only("title", "year").first()
    return {"film": f"{film.title} {film.year}"} if film else {}


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    actor = signed_in_member(request)
    form = WantedRequestForm(posted_data(request), member=actor, initial=_initial_film(request))
    if request.method == "POST" and form.is_valid():
        try:
            wanted = services.post_request(actor=actor, details=form.details())
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your request is posted."))
            return redirect(wanted)
    return render(request, "wanted/form.html", {"form": form})


def _visible_request(request: HttpRequest, pk: int) -> WantedRequest:
    wanted = queries.request_page(request.user, pk)
    if wanted is None:
        raise Http404
    return wanted


@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A request; its author also sees the offers found for it and closes it here."""
    wanted = _visible_request(request, pk)
    is_author = isinstance(request.user, User) and request.user.pk == wanted.requester_id
    matches = list(queries.matches_of(wanted)) if is_author else []
    context = {
        "wanted": wanted,
        "is_author": is_author,
        "matches": matches,
        "resolve_form": ResolveForm(matches=matches) if is_author and wanted.is_open else None,
    }
    return render(request, "wanted/detail.html", context)


def _own_request(request: HttpRequest, pk: int) -> tuple[User, WantedRequest]:
    actor = signed_in_member(request)
    wanted = _visible_request(request, pk)
    if wanted.requester_id != actor.pk:
        raise PermissionDenied(_("Only the author of this request can do this."))
    return actor, wanted


@login_required
@require_POST
def request_found(request: HttpRequest, pk: int) -> HttpResponse:
    actor, wanted = _own_request(request, pk)
    form = ResolveForm(request.POST, matches=list(queries.matches_of(wanted)))
    if not form.is_valid():
        messages.error(request, _("Choose one of the offers listed, or “Elsewhere”."))
        return redirect(wanted)
    try:
        services.resolve_request(actor=actor, request=wanted, match=form.chosen_match())
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Marked as found. Enjoy the film!"))
    return redirect(wanted)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor, wanted = _own_request(request, pk)
    try:
        services.withdraw_request(actor=actor, request=wanted)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Withdrawn: nobody will be pointed to it any more."))
    return redirect(wanted)
