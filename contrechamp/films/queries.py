"""Reads shared by the pages (and later the API): each sets its joins and prefetches so a
page's query count does not grow with the number of films, credits or entries."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.events.models import Event
from contrechamp.events.permissions import visible_events
from contrechamp.films import search
from contrechamp.films.models import (
    Availability,
    Credit,
    Film,
    FilmList,
    FilmListItem,
    Genre,
    Person,
    Rating,
    Reaction,
    Recommendation,
    WatchlistEntry,
)
from contrechamp.networks.models import Membership, Network
from contrechamp.notifications.newsletter import NewsletterItem

QUERY_MAX = 100
FIRST_DECADE = 1870
LAST_DECADE = 2030


def with_directors(queryset: QuerySet[Film]) -> QuerySet[Film]:
    """Films with their director credits (and people) prefetched as `director_credits`."""
    return queryset.prefetch_related(
        Prefetch(
            "credits",
            queryset=Credit.objects.filter(role=Credit.Role.DIRECTOR).select_related("person"),
            to_attr="director_credits",
        )
    )


@dataclass(frozen=True)
class CatalogueFilters:
    """The catalogue's filters as they came in the query string, cleaned without errors."""

    q: str = ""
    genre: str = ""
    decade: int | None = None
    country: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> "CatalogueFilters":
        genre = query.get("genre", "")
        country = query.get("country", "").strip().upper()
        decade: int | None = None
        raw_decade = query.get("decade", "").strip()
        if raw_decade.isdigit() and FIRST_DECADE <= int(raw_decade) <= LAST_DECADE:
            decade = int(raw_decade) // 10 * 10
        return cls(
            q=" ".join(query.get("q", "").split())[:QUERY_MAX],
            genre=genre if genre in Genre.values else "",
            decade=decade,
            country=country if len(country) == 2 and country.isalpha() else "",
        )


def decades() -> list[int]:
    return list(range(1890, LAST_DECADE, 10))


def catalogue(filters: CatalogueFilters) -> QuerySet[Film]:
    """Films matching the filters: best search matches first, else by title."""
    films = Film.objects.all()
    if filters.genre:
        films = films.filter(genres__contains=f" {filters.genre} ")
    if filters.country:
        films = films.filter(countries__contains=f" {filters.country} ")
    if filters.decade is not None:
        films = films.filter(year__gte=filters.decade, year__lt=filters.decade + 10)
    if filters.q:
        films = search.matching_films(filters.q, films)
    return with_directors(films)


def people_matching(q: str, *, limit: int = 8) -> list[Person]:
    if not q:
        return []
    return list(search.matching_people(q)[:limit])


def film_page(pk: int) -> QuerySet[Film]:
    """One film with its credits and its availability entries (and who added them)."""
    return Film.objects.filter(pk=pk).prefetch_related(
        Prefetch("credits", queryset=Credit.objects.select_related("person")),
        Prefetch(
            "availabilities",
            queryset=Availability.objects.select_related("added_by", "last_verified_by"),
        ),
    )


@dataclass(frozen=True)
class MyFilm:
    """What the signed-in member has to do with a film."""

    rating: Rating | None = None
    on_watchlist: bool = False


def my_film(user: User | None, film: Film) -> MyFilm:
    if user is None:
        return MyFilm()
    return MyFilm(
        rating=Rating.objects.filter(user=user, film=film).first(),
        on_watchlist=WatchlistEntry.objects.filter(user=user, film=film).exists(),
    )


def person_page(pk: int) -> QuerySet[Person]:
    return Person.objects.filter(pk=pk).prefetch_related(
        Prefetch(
            "credits",
            queryset=Credit.objects.select_related("film").order_by("film__year", "pk"),
        )
    )


def watchlist_of(user: User) -> QuerySet[WatchlistEntry]:
    return WatchlistEntry.objects.filter(user=user).prefetch_related(
        Prefetch("film", queryset=with_directors(Film.objects.all()))
    )


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def movie_json_ld(film: Film, *, url: str) -> SafeString:
    """schema.org `Movie` for search engines, escaped like `json_script` so a title
    holding "</script>" cannot close the element. Uses the prefetched credits."""
    credits = list(film.credits.all())
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": film.title,
        "url": url,
        "dateCreated": str(film.year),
        "director": [
            {"@type": "Person", "name": c.person.name}
            for c in credits
            if c.role == Credit.Role.DIRECTOR
        ],
        "actor": [
            {"@type": "Person", "name": c.person.name}
            for c in credits
            if c.role == Credit.Role.CAST
        ],
    }
    if film.shows_original_title:
        data["alternateName"] = film.original_title
    if film.runtime_minutes:
        data["duration"] = f"PT{film.runtime_minutes}M"
    if film.country_list:
        data["countryOfOrigin"] = [{"@type": "Country", "name": code} for code in film.country_list]
    if film.language_list:
        data["inLanguage"] = film.language_list
    if film.genre_list:
        data["genre"] = film.genre_labels
    if film.wikidata_id:
        data["sameAs"] = f"https://www.wikidata.org/wiki/{film.wikidata_id}"
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - JSON with <, > and & escaped just above


def visible_recommendations(viewer: User | None) -> QuerySet[Recommendation]:
    """The recommendations a person may see: public ones; to a network they are an
    active member of; to them; and their own. Anonymous visitors see public ones only."""
    public = Q(audience=Recommendation.Audience.PUBLIC)
    if viewer is None:
        return Recommendation.objects.filter(public)
    my_networks = Membership.objects.filter(user=viewer, status=Membership.Status.ACTIVE).values(
        "network_id"
    )
    return Recommendation.objects.filter(
        public
        | Q(audience=Recommendation.Audience.NETWORK, network_id__in=my_networks)
        | Q(audience=Recommendation.Audience.MEMBER, recipient=viewer)
        | Q(author=viewer)
    )


FEEDS = ("all", "mine", "networks", "public")


def _for_display(
    queryset: QuerySet[Recommendation], viewer: User | None
) -> QuerySet[Recommendation]:
    thanks = Count("reactions", filter=Q(reactions__kind=Reaction.Kind.THANKS), distinct=True)
    watched = Count("reactions", filter=Q(reactions__kind=Reaction.Kind.WATCHED), distinct=True)
    queryset = queryset.select_related("author", "network", "recipient").prefetch_related(
        Prefetch("film", queryset=with_directors(Film.objects.all()))
    )
    queryset = queryset.annotate(thanks_count=thanks, watched_count=watched)
    if viewer is not None:
        mine = Reaction.objects.filter(recommendation=OuterRef("pk"), user=viewer)
        queryset = queryset.annotate(
            i_thanked=Exists(mine.filter(kind=Reaction.Kind.THANKS)),
            i_watched=Exists(mine.filter(kind=Reaction.Kind.WATCHED)),
        )
    return queryset.order_by("-created_at", "-pk")


def recommendation_feed(viewer: User | None, feed: str) -> QuerySet[Recommendation]:
    """`mine`: written by or addressed to me; `networks`: to my networks; `public`;
    `all`: everything I may see."""
    visible = visible_recommendations(viewer)
    if viewer is not None and feed == "mine":
        visible = visible.filter(Q(author=viewer) | Q(recipient=viewer))
    elif viewer is not None and feed == "networks":
        visible = visible.filter(audience=Recommendation.Audience.NETWORK)
    elif feed == "public":
        visible = visible.filter(audience=Recommendation.Audience.PUBLIC)
    return _for_display(visible, viewer)


def film_recommendations(viewer: User | None, film: Film) -> QuerySet[Recommendation]:
    return _for_display(visible_recommendations(viewer).filter(film=film), viewer)


def can_edit_list(actor: User, film_list: FilmList) -> bool:
    """The owner edits a personal list; any active member edits their network's list."""
    if film_list.network_id is None:
        return film_list.owner_id == actor.pk
    return Membership.objects.filter(
        network_id=film_list.network_id, user=actor, status=Membership.Status.ACTIVE
    ).exists()


def _my_network_ids(viewer: User) -> QuerySet[Membership, int]:
    return Membership.objects.filter(user=viewer, status=Membership.Status.ACTIVE).values_list(
        "network_id", flat=True
    )


def visible_lists(viewer: User | None) -> QuerySet[FilmList]:
    """Personal lists are public; a network's lists are for its active members only."""
    personal = Q(network__isnull=True)
    lists = FilmList.objects.filter(
        personal if viewer is None else personal | Q(network_id__in=_my_network_ids(viewer))
    )
    return (
        lists.select_related("owner", "network")
        .annotate(film_count=Count("items"))
        .order_by("title", "pk")
    )


def editable_lists(viewer: User) -> QuerySet[FilmList]:
    return FilmList.objects.filter(
        Q(network__isnull=True, owner=viewer) | Q(network_id__in=_my_network_ids(viewer))
    ).select_related("network")


def list_page(viewer: User | None, pk: int) -> QuerySet[FilmList]:
    return (
        visible_lists(viewer)
        .filter(pk=pk)
        .prefetch_related(
            Prefetch(
                "items",
                queryset=FilmListItem.objects.select_related("added_by").prefetch_related(
                    Prefetch("film", queryset=with_directors(Film.objects.all()))
                ),
            )
        )
    )


MAX_NEWSLETTER_ITEMS = 12


def newsletter_recommendations(network: Network, since: datetime) -> list[NewsletterItem]:
    """What a network newsletter says of films: the recommendations made to the network
    since its last newsletter, newest first (one query)."""
    recommendations = (
        Recommendation.objects.filter(
            audience=Recommendation.Audience.NETWORK, network=network, created_at__gte=since
        )
        .select_related("film", "author")
        .order_by("-created_at", "-pk")[:MAX_NEWSLETTER_ITEMS]
    )
    return [
        NewsletterItem(
            title=f"{recommendation.film.title} ({recommendation.film.year})",
            url=recommendation.film.get_absolute_url(),
            text=_("recommended by %(name)s") % {"name": recommendation.author.public_name},
        )
        for recommendation in recommendations
    ]


UPCOMING_SCREENINGS_SHOWN = 5


def upcoming_screenings(viewer: User | AnonymousUser, film: Film) -> QuerySet[Event]:
    """The next published events showing the film that the viewer may see: a screening
    next month is a way to see it legally."""
    return (
        visible_events(viewer)
        .filter(screenings__film=film, status=Event.Status.PUBLISHED, ends_at__gte=timezone.now())
        .select_related("network", "venue")
        .order_by("starts_at", "pk")[:UPCOMING_SCREENINGS_SHOWN]
    )
