"""Reads shared by the wanted pages and the API, with their joins set here so a page's
query count does not grow with the data."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import QueryDict

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.films.models import Film
from contrechamp.networks.models import Membership, Network
from contrechamp.wanted.models import Format, Match, WantedRequest

QUERY_MAX = 100
STATUS_ANY = "any"


def _my_network_ids(viewer: User) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(user=viewer, status=Membership.Status.ACTIVE).values(
        "network_id"
    )


def visible_requests(viewer: User | AnonymousUser) -> QuerySet[WantedRequest]:
    """Requests shown to everyone, plus, for a member, those of their networks and their own."""
    requests = WantedRequest.objects.all()
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return requests.filter(network__isnull=True)
    mine = list(_my_network_ids(viewer).values_list("network_id", flat=True))
    return requests.filter(Q(network__isnull=True) | Q(network_id__in=mine) | Q(requester=viewer))


def _int(value: str) -> int | None:
    value = value.strip()
    if not value.isdigit() or len(value) > 18:
        return None
    return int(value)


@dataclass(frozen=True)
class WantedFilters:
    q: str = ""
    format: str = ""
    language: str = ""
    film: int | None = None
    network: str = ""
    status: str = WantedRequest.Status.OPEN
    mine: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> "WantedFilters":
        """Read the filters from a query string; anything unknown is ignored, not refused."""
        fmt = query.get("format", "").strip()
        language = query.get("language", "").strip().lower()
        status = query.get("status", "").strip() or WantedRequest.Status.OPEN
        if status not in (*WantedRequest.Status.values, STATUS_ANY):
            status = WantedRequest.Status.OPEN
        return cls(
            q=" ".join(query.get("q", "").replace("\x00", "").split())[:QUERY_MAX],
            format=fmt if fmt in Format.values else "",
            language=language if language.isalpha() and len(language) <= 3 else "",
            film=_int(query.get("film", "")),
            network=query.get("network", "").strip()[:140],
            status=status,
            mine=query.get("mine", "") in {"1", "true", "on"},
        )


def search_requests(
    viewer: User | AnonymousUser, filters: WantedFilters
) -> QuerySet[WantedRequest]:
    """The requests the viewer may see that pass the filters, newest first."""
    requests = visible_requests(viewer).select_related("requester", "film", "network")
    if filters.status != STATUS_ANY:
        requests = requests.filter(status=filters.status)
    if filters.q:
        # Titles are matched without case or accents ("jetee" finds "La Jetée").
        for word in filters.q.split()[:8]:
            plain = places.normalise(word)
            requests = requests.filter(
                Q(film__title_normalised__contains=plain)
                | Q(film__original_title_normalised__contains=plain)
                | Q(note__icontains=word)
            )
    if filters.format:
        requests = requests.filter(formats__contains=f" {filters.format} ")
    if filters.language:
        code = f" {filters.language} "
        requests = requests.filter(
            Q(audio_languages__contains=code) | Q(subtitle_languages__contains=code)
        )
    if filters.film is not None:
        requests = requests.filter(film_id=filters.film)
    if filters.network:
        requests = requests.filter(network__slug=filters.network)
    if filters.mine:
        if isinstance(viewer, User) and viewer.is_authenticated:
            requests = requests.filter(requester=viewer)
        else:
            requests = requests.none()
    return requests.order_by("-created_at", "-pk")


def request_page(viewer: User | AnonymousUser, pk: int) -> WantedRequest | None:
    return (
        visible_requests(viewer)
        .select_related("requester", "film", "network", "found_match")
        .filter(pk=pk)
        .first()
    )


def matches_of(request: WantedRequest, *, current_only: bool = True) -> QuerySet[Match]:
    matches = Match.objects.filter(request=request)
    if current_only:
        matches = matches.filter(is_current=True)
    return matches.order_by("-found_at", "-pk")


def networks_of(member: User) -> QuerySet[Network]:
    """The networks a member may show a request to."""
    return Network.objects.filter(
        memberships__user=member, memberships__status=Membership.Status.ACTIVE
    ).order_by("name")


def looking_for(film: Film) -> int:
    """How many members look for this film now (open requests, whoever may see them)."""
    return (
        WantedRequest.objects.filter(film=film, status=WantedRequest.Status.OPEN)
        .values("requester_id")
        .distinct()
        .count()
    )


def films_filter_choices(ids: list[int]) -> QuerySet[Film]:
    return Film.objects.filter(pk__in=ids).only("pk", "title", "year")
