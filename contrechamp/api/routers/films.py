"""Films: the catalogue and its search, a film's page with where to see it legally, and
what a member does with a film (rate it, keep it on the watchlist, recommend it). The same
queries and services as the site's film pages."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import StrictFloat, StringConstraints

from contrechamp.accounts.models import User
from contrechamp.api import auth
from contrechamp.api.errors import documented, invalid_field
from contrechamp.api.pagination import Page, PageParams, paginate
from contrechamp.api.schemas import (
    NO_NUL,
    BodySlug,
    Id,
    MemberRef,
    Username,
    as_query,
    first_item_links,
    listed,
    site_url,
)
from contrechamp.films import queries, services
from contrechamp.films.models import (
    Availability,
    Credit,
    Film,
    Genre,
    Rating,
    Recommendation,
    WatchlistEntry,
)
from contrechamp.films.services import WHY_MAX
from contrechamp.networks.models import Network

router = Router(tags=["Films"])

AvailabilityKind = Annotated[Availability.Kind, listed(Availability.Kind)]
GenreCode = Annotated[Genre, listed(Genre)]
RecommendationTag = Annotated[Recommendation.Tag, listed(Recommendation.Tag)]
RecommendationAudience = Annotated[Recommendation.Audience, listed(Recommendation.Audience)]


class FilmOut(Schema):
    id: int
    title: str
    original_title: str
    year: int
    runtime_minutes: int | None
    genres: list[str] = Field(description="GenreCode codes (drama, noir, scifi…).")
    countries: list[str] = Field(description="ISO 3166 country codes.")
    languages: list[str] = Field(description="ISO 639 language codes.")
    directors: list[str]
    poster_url: str | None
    url: str = Field(description="The film's page on the site.")

    @staticmethod
    def resolve_genres(obj: Film) -> list[str]:
        return obj.genre_list

    @staticmethod
    def resolve_countries(obj: Film) -> list[str]:
        return obj.country_list

    @staticmethod
    def resolve_languages(obj: Film) -> list[str]:
        return obj.language_list

    @staticmethod
    def resolve_directors(obj: Film) -> list[str]:
        credits = getattr(obj, "director_credits", None)
        if credits is None:  # a film page: every credit is prefetched
            credits = [c for c in obj.credits.all() if c.role == Credit.Role.DIRECTOR]
        return [credit.person.name for credit in credits]

    @staticmethod
    def resolve_poster_url(obj: Film) -> str | None:
        return site_url(obj.poster_thumbnail.url) if obj.poster_thumbnail else None

    @staticmethod
    def resolve_url(obj: Film) -> str:
        return site_url(obj.get_absolute_url())


class CastMemberOut(Schema):
    name: str
    character: str

    @staticmethod
    def resolve_name(obj: Credit) -> str:
        return obj.person.name


class AvailabilityOut(Schema):
    kind: AvailabilityKind
    place: str
    url: str
    territory: str = Field(description="ISO 3166 code; empty means anywhere.")
    audio_languages: list[str]
    subtitle_languages: list[str]
    last_verified_at: datetime
    is_stale: bool = Field(description="Reported outdated, or not confirmed for 6 months.")

    @staticmethod
    def resolve_audio_languages(obj: Availability) -> list[str]:
        return obj.audio_language_list

    @staticmethod
    def resolve_subtitle_languages(obj: Availability) -> list[str]:
        return obj.subtitle_language_list


class MyFilmOut(Schema):
    stars: float | None = Field(description="The caller's rating, 0.5 to 5; null if none.")
    on_watchlist: bool


class FilmDetailOut(FilmOut):
    synopsis: str
    cast: list[CastMemberOut]
    availabilities: list[AvailabilityOut] = Field(description="Where to see it legally.")
    mine: MyFilmOut | None = Field(
        description="The caller's rating and watchlist; null when anonymous."
    )

    @staticmethod
    def resolve_cast(obj: Film) -> list[Credit]:
        return [credit for credit in obj.credits.all() if credit.role == Credit.Role.CAST]

    @staticmethod
    def resolve_availabilities(obj: Film) -> list[Availability]:
        return list(obj.availabilities.all())

    @staticmethod
    def resolve_mine(obj: Film, context: dict[str, HttpRequest]) -> MyFilmOut | None:
        member = auth.caller(context["request"]).member
        if member is None:
            return None
        mine = queries.my_film(member, obj)
        return MyFilmOut(
            stars=mine.rating.stars if mine.rating is not None else None,
            on_watchlist=mine.on_watchlist,
        )


class CatalogueQuery(Schema):
    q: str = Field("", max_length=100, description="Words of a title or a director's name.")
    genre: GenreCode | None = None
    decade: int | None = Field(None, ge=1870, le=2030, description="1960 for the sixties.")
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$", description="ISO 3166 code.")


class RatingIn(Schema):
    stars: StrictFloat = Field(ge=0.5, le=5, multiple_of=0.5, description="0.5 to 5, by halves.")


class RatingOut(Schema):
    film_id: int
    stars: float
    rated_at: datetime


class WatchlistOut(Schema):
    film: FilmOut
    added_at: datetime


Why = Annotated[str, StringConstraints(min_length=1, max_length=WHY_MAX, pattern=NO_NUL)]


class RecommendationIn(Schema):
    why: Why
    tags: list[RecommendationTag] = Field(default_factory=list, max_length=7)
    audience: RecommendationAudience
    network: BodySlug | None = Field(None, description="With audience `network`: its slug.")
    recipient: Username | None = Field(None, description="With audience `member`: a username.")


class RecommendationOut(Schema):
    id: int
    film_id: int
    author: MemberRef
    why: str
    tags: list[RecommendationTag]
    audience: RecommendationAudience
    network: str | None = Field(description="The network's slug, for audience `network`.")
    recipient: MemberRef | None
    created_at: datetime

    @staticmethod
    def resolve_tags(obj: Recommendation) -> list[str]:
        return obj.tag_list

    @staticmethod
    def resolve_network(obj: Recommendation) -> str | None:
        return obj.network.slug if obj.network is not None else None


def _film(pk: int) -> Film:
    return get_object_or_404(Film, pk=pk)


@router.get(
    "/films",
    auth=auth.PUBLIC,
    openapi_extra={
        **auth.OPTIONAL_AUTH,
        **first_item_links(
            "id",
            "film_id",
            "get_film",
            "rate_film",
            "clear_rating",
            "add_to_watchlist",
            "remove_from_watchlist",
            "recommend_film",
        ),
    },
    response={200: Page[FilmOut], **documented(401, 422)},
)
def list_films(
    request: HttpRequest, filters: Query[CatalogueQuery], page: Query[PageParams]
) -> dict[str, object]:
    """The catalogue: best matches first for `q` (titles, original titles, directors;
    accents, case and plurals ignored), else by title."""
    return paginate(
        queries.catalogue(
            queries.CatalogueFilters.from_query(as_query(filters.model_dump(by_alias=True)))
        ),
        page,
    )


@router.get(
    "/films/{film_id}",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: FilmDetailOut, **documented(401, 404, 422)},
)
def get_film(request: HttpRequest, film_id: Id) -> Film:
    """A film, its credits and where to see it legally; for a member, their rating and
    whether it is on their watchlist."""
    return get_object_or_404(queries.film_page(film_id))


@router.put(
    "/films/{film_id}/rating",
    auth=auth.WRITE,
    response={200: RatingOut, **documented(400, 401, 403, 404, 422)},
)
def rate_film(request: HttpRequest, film_id: Id, payload: RatingIn) -> Rating:
    """Rate the film from 0.5 to 5 stars, by halves; rating again replaces the rating."""
    return services.rate_film(actor=auth.member(request), film=_film(film_id), stars=payload.stars)


@router.delete(
    "/films/{film_id}/rating",
    auth=auth.WRITE,
    response={204: None, **documented(401, 403, 404, 422)},
)
def clear_rating(request: HttpRequest, film_id: Id) -> Status[None]:
    """Take the rating back (nothing happens when there is none)."""
    services.clear_rating(actor=auth.member(request), film=_film(film_id))
    return Status(204, None)


@router.get(
    "/me/watchlist",
    auth=auth.MEMBERS,
    response={200: Page[WatchlistOut], **documented(401, 422)},
)
def my_watchlist(request: HttpRequest, page: Query[PageParams]) -> dict[str, object]:
    """The films the caller wants to see, last added first."""
    return paginate(queries.watchlist_of(auth.member(request)), page)


@router.put(
    "/films/{film_id}/watchlist",
    auth=auth.WRITE,
    response={200: WatchlistOut, **documented(401, 403, 404, 422)},
)
def add_to_watchlist(request: HttpRequest, film_id: Id) -> WatchlistEntry:
    """Put the film on the caller's watchlist (where it stays if it already is)."""
    film = get_object_or_404(queries.with_directors(Film.objects.filter(pk=film_id)))
    entry = services.add_to_watchlist(actor=auth.member(request), film=film)
    entry.film = film
    return entry


@router.delete(
    "/films/{film_id}/watchlist",
    auth=auth.WRITE,
    response={204: None, **documented(401, 403, 404, 422)},
)
def remove_from_watchlist(request: HttpRequest, film_id: Id) -> Status[None]:
    """Take the film off the caller's watchlist (nothing happens if it is not there)."""
    services.remove_from_watchlist(actor=auth.member(request), film=_film(film_id))
    return Status(204, None)


@router.post(
    "/films/{film_id}/recommendations",
    auth=auth.WRITE,
    response={201: RecommendationOut, **documented(400, 401, 403, 404, 422)},
)
def recommend_film(
    request: HttpRequest, film_id: Id, payload: RecommendationIn
) -> Status[Recommendation]:
    """Recommend the film, saying why, to everyone (`public`), to a network the caller
    belongs to (`network`, with its slug) or to one member (`member`, with a username),
    who is told. The same recommendation again within minutes is not made twice."""
    actor = auth.member(request)
    film = _film(film_id)
    network = recipient = None
    if payload.audience == Recommendation.Audience.NETWORK and payload.network:
        network = Network.objects.filter(slug=payload.network).first()
        if network is None:
            raise invalid_field("network", _("No network has this address."))
    if payload.audience == Recommendation.Audience.MEMBER and payload.recipient:
        recipient = User.objects.filter(
            username__iexact=payload.recipient, is_active=True, deleted_at__isnull=True
        ).first()
        if recipient is None:
            raise invalid_field("recipient", _("No member has this username."))
    recommendation = services.recommend_film(
        actor=actor,
        film=film,
        why=payload.why,
        tags=[str(tag) for tag in payload.tags],
        audience=payload.audience,
        network=network,
        recipient=recipient,
    )
    return Status(201, recommendation)
