"""Catalogue pages: find the film, check who is asking, bind the form, call a service.

A refusal from a service is shown beside the form (DomainError) or answered with the
designed 403 page (PermissionDenied); a page never writes to a model itself.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from contrechamp.accounts.models import User
from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.core.errors import DomainError
from contrechamp.core.pagination import paginate
from contrechamp.films import discovery, fields, queries, services
from contrechamp.films.forms import (
    AddToListForm,
    AvailabilityForm,
    CatalogueImportForm,
    FilmForm,
    FilmListForm,
    PosterForm,
    RatingForm,
    RecommendationForm,
    SynopsisForm,
    UploadForm,
)
from contrechamp.films.models import Availability, Film, FilmListItem, Genre
from contrechamp.films.services import ImportReport

RECOMMENDATIONS_SHOWN = 20
DISCOVER_LIMIT = 20


def _film(pk: int) -> Film:
    return get_object_or_404(Film, pk=pk)


def film_list(request: HttpRequest) -> HttpResponse:
    """The catalogue: search by title or director, filter by genre, decade and country."""
    filters = queries.CatalogueFilters.from_query(request.GET)
    page = paginate(request, queries.catalogue(filters))
    context = {
        "filters": filters,
        "page_obj": page,
        "people": queries.people_matching(filters.q),
        "genres": Genre.choices,
        "decades": queries.decades(),
    }
    return render(request, "films/list.html", context)


def _detail_context(request: HttpRequest, film_pk: int, **forms: object) -> dict[str, object]:
    film = get_object_or_404(queries.film_page(film_pk))
    user = request.user if isinstance(request.user, User) else None
    mine = queries.my_film(user, film)
    initial_stars = {"stars": f"{mine.rating.stars:g}"} if mine.rating else None
    credits = list(film.credits.all())
    return {
        "film": film,
        "directors": [c for c in credits if c.role == c.Role.DIRECTOR],
        "cast": [c for c in credits if c.role == c.Role.CAST],
        "availabilities": list(film.availabilities.all()),
        "screenings": list(queries.upcoming_screenings(request.user, film)),
        "mine": mine,
        "json_ld": queries.movie_json_ld(
            film, url=request.build_absolute_uri(film.get_absolute_url())
        ),
        "availability_form": forms.get("availability_form") or AvailabilityForm(),
        "rating_form": forms.get("rating_form") or RatingForm(initial=initial_stars),
        "recommendations": list(queries.film_recommendations(user, film)[:RECOMMENDATIONS_SHOWN]),
        "recommendation_form": (
            forms.get("recommendation_form") or (RecommendationForm(member=user) if user else None)
        ),
        "add_to_list_form": (
            forms.get("add_to_list_form")
            or (AddToListForm(lists=queries.editable_lists(user)) if user else None)
        ),
    }


def film_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "films/detail.html", _detail_context(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def film_create(request: HttpRequest) -> HttpResponse:
    actor = signed_in_member(request)
    form = FilmForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            film = services.create_film(
                actor=actor,
                title=data["title"],
                original_title=data["original_title"],
                year=data["year"],
                directors=fields.split_list(data["directors"]),
                cast=fields.split_list(data["cast"]),
                countries=fields.split_list(data["countries"]),
                languages=fields.split_list(data["languages"]),
                genres=data["genres"],
                runtime_minutes=data["runtime_minutes"],
                synopsis=data["synopsis"],
                wikidata_id=data["wikidata_id"],
                imdb_id=data["imdb_id"],
                tmdb_id=data["tmdb_id"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The film is in the catalogue."))
            return redirect(film)
    return render(request, "films/film_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def edit_synopsis(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    film = _film(pk)
    form = SynopsisForm(posted_data(request), initial={"synopsis": film.synopsis})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_synopsis(actor=actor, film=film, synopsis=form.cleaned_data["synopsis"])
        except DomainError as error:
            form.add_error("synopsis", str(error.message))
        else:
            messages.success(request, _("The synopsis is saved."))
            return redirect(film)
    return render(request, "films/synopsis_form.html", {"form": form, "film": film})


@login_required
@require_http_methods(["GET", "POST"])
def edit_poster(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    film = _film(pk)
    form = PosterForm(posted_data(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_poster(actor=actor, film=film, upload=form.cleaned_data["poster"])
        except DomainError as error:
            form.add_error("poster", str(error.message))
        else:
            messages.success(request, _("The poster is saved."))
            return redirect(film)
    return render(request, "films/poster_form.html", {"form": form, "film": film})


@login_required
@require_POST
def add_availability(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    film = _film(pk)
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_availability(
                actor=actor,
                film=film,
                kind=data["kind"],
                place=data["place"],
                url=data["url"],
                territory=data["territory"],
                audio_languages=fields.split_list(data["audio_languages"]),
                subtitle_languages=fields.split_list(data["subtitle_languages"]),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Thank you: the place is listed."))
            return redirect(f"{film.get_absolute_url()}#where")
    context = _detail_context(request, film.pk, availability_form=form)
    return render(request, "films/detail.html", context, status=400)


def _availability(film_pk: int, availability_pk: int) -> Availability:
    return get_object_or_404(Availability, pk=availability_pk, film_id=film_pk)


@login_required
@require_POST
def confirm_availability(request: HttpRequest, pk: int, availability_pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    services.confirm_availability(actor=actor, availability=_availability(pk, availability_pk))
    messages.success(request, _("Thank you for checking: the entry is marked as verified today."))
    return redirect(f"{Film(pk=pk).get_absolute_url()}#where")


@login_required
@require_POST
def report_availability(request: HttpRequest, pk: int, availability_pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    services.report_availability_outdated(
        actor=actor, availability=_availability(pk, availability_pk)
    )
    messages.success(request, _("Thank you: the entry is marked as possibly outdated."))
    return redirect(f"{Film(pk=pk).get_absolute_url()}#where")


@login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    film = _film(pk)
    if "clear" in request.POST:
        services.clear_rating(actor=actor, film=film)
        messages.success(request, _("Your rating is removed."))
        return redirect(film)
    form = RatingForm(request.POST)
    if form.is_valid():
        services.rate_film(actor=actor, film=film, stars=form.cleaned_data["stars"])
        messages.success(request, _("Your rating is saved."))
        return redirect(film)
    context = _detail_context(request, film.pk, rating_form=form)
    return render(request, "films/detail.html", context, status=400)


@login_required
@require_POST
def watchlist_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    film = _film(pk)
    if request.POST.get("action") == "remove":
        services.remove_from_watchlist(actor=actor, film=film)
        messages.success(request, _("The film left your watchlist."))
    else:
        services.add_to_watchlist(actor=actor, film=film)
        messages.success(request, _("The film is on your watchlist."))
    return redirect(film)


@login_required
def watchlist(request: HttpRequest) -> HttpResponse:
    actor = signed_in_member(request)
    page = paginate(request, queries.watchlist_of(actor))
    return render(request, "films/watchlist.html", {"page_obj": page})


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(queries.person_page(pk))
    return render(request, "films/person.html", {"person": person, "credits": person.credits.all()})


def _report_page(
    request: HttpRequest, *, template_form: UploadForm, report: ImportReport | None, kind: str
) -> HttpResponse:
    status = 400 if report is not None and not report.applied else 200
    context = {"form": template_form, "report": report, "kind": kind}
    return render(request, "films/import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_catalogue(request: HttpRequest) -> HttpResponse:
    """Staff import films from a catalogue CSV or a Wikidata entity JSON file."""
    actor = signed_in_member(request)
    if not actor.is_staff:
        raise PermissionDenied(_("Only the site's staff can import films into the catalogue."))
    form = CatalogueImportForm(
        posted_data(request), request.FILES if request.method == "POST" else None
    )
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        if form.cleaned_data["format"] == "wikidata":
            report = services.import_wikidata(actor=actor, data=data)
        else:
            report = services.import_catalogue_csv(actor=actor, data=data)
    return _report_page(request, template_form=form, report=report, kind="catalogue")


@login_required
@require_http_methods(["GET", "POST"])
def import_letterboxd(request: HttpRequest) -> HttpResponse:
    """A member brings their ratings and watchlist from a Letterboxd export."""
    actor = signed_in_member(request)
    form = UploadForm(posted_data(request), request.FILES if request.method == "POST" else None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.import_letterboxd(
            actor=actor, filename=upload.name or "", data=upload.read()
        )
    return _report_page(request, template_form=form, report=report, kind="letterboxd")


@login_required
@require_POST
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    film = _film(pk)
    form = RecommendationForm(request.POST, member=actor)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.recommend_film(
                actor=actor,
                film=film,
                why=data["why"],
                tags=data["tags"],
                audience=data["audience"],
                network=data.get("network"),
                recipient=data.get("recipient_member"),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your recommendation is shared."))
            return redirect(f"{film.get_absolute_url()}#recommendations")
    context = _detail_context(request, film.pk, recommendation_form=form)
    return render(request, "films/detail.html", context, status=400)


def recommendations(request: HttpRequest) -> HttpResponse:
    """Feeds: everything I may see, mine (written by or for me), my networks, public."""
    user = request.user if isinstance(request.user, User) else None
    feed = request.GET.get("feed", "all")
    if feed not in queries.FEEDS or (user is None and feed in ("mine", "networks")):
        feed = "all"
    page = paginate(request, queries.recommendation_feed(user, feed))
    return render(request, "films/recommendations.html", {"page_obj": page, "feed": feed})


@login_required
@require_POST
def react(request: HttpRequest, recommendation_pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    recommendation = get_object_or_404(queries.visible_recommendations(actor), pk=recommendation_pk)
    try:
        services.toggle_reaction(
            actor=actor, recommendation=recommendation, kind=request.POST.get("kind", "")
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("films:recommendations")


@login_required
def discover(request: HttpRequest) -> HttpResponse:
    """Suggestions from the community's ratings, biased toward hidden gems, each with its
    reason."""
    actor = signed_in_member(request)
    context = {"suggestions": discovery.suggestions_for(actor, limit=DISCOVER_LIMIT)}
    return render(request, "films/discover.html", context)


def film_lists(request: HttpRequest) -> HttpResponse:
    """Lists anyone can read, the lists of my networks, and a form to start one."""
    user = request.user if isinstance(request.user, User) else None
    form = None
    if user is not None:
        form = FilmListForm(posted_data(request), member=user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                film_list = services.create_list(
                    actor=user,
                    title=data["title"],
                    description=data["description"],
                    network=data["network"],
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Your list is ready: add films from their pages."))
                return redirect(film_list)
    elif request.method == "POST":
        raise PermissionDenied(_("Sign in to do this."))
    page = paginate(request, queries.visible_lists(user))
    return render(request, "films/lists.html", {"page_obj": page, "form": form})


def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user if isinstance(request.user, User) else None
    film_list = get_object_or_404(queries.list_page(user, pk))
    editable = user is not None and queries.can_edit_list(user, film_list)
    context = {"film_list": film_list, "items": film_list.items.all(), "editable": editable}
    return render(request, "films/list_detail.html", context)


@login_required
@require_POST
def add_to_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    film = _film(pk)
    form = AddToListForm(request.POST, lists=queries.editable_lists(actor))
    if form.is_valid():
        film_list = form.cleaned_data["film_list"]
        try:
            services.add_to_list(
                actor=actor, film_list=film_list, film=film, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The film is on the list."))
            return redirect(film_list)
    context = _detail_context(request, film.pk, add_to_list_form=form)
    return render(request, "films/detail.html", context, status=400)


@login_required
@require_POST
def list_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Move a film up or down the list, or take it off."""
    actor = signed_in_member(request)
    item = get_object_or_404(
        FilmListItem.objects.select_related("film_list"), pk=item_pk, film_list_id=pk
    )
    action = request.POST.get("action")
    if action == "remove":
        services.remove_from_list(actor=actor, item=item)
    elif action in ("up", "down"):
        services.move_in_list(actor=actor, item=item, up=action == "up")
    return redirect(item.film_list)
