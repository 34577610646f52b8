"""Scene for the API tests: Juliette (`member`) has tokens that read (`read_token`) and
write (`write_token`), Nora (`other_member`) one that writes (`other_token`); `api` is a
test client that sends a token in the Authorization header. Nora runs an open ciné-club
in Lyon (`club`); `film` and `venue` are there to be shown. Rate-limit counts start from
zero in every test."""

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.api import services
from contrechamp.api.models import ApiToken
from contrechamp.core import places
from contrechamp.events.models import Event, Screening
from contrechamp.films import services as film_services
from contrechamp.films.models import Film
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.venues.models import Venue


class ApiClient:
    """A test client for the API: JSON in and out, with an optional bearer token."""

    def __init__(self, client: Client) -> None:
        self.client = client

    @staticmethod
    def _headers(token: str | None, headers: dict[str, str] | None) -> dict[str, str]:
        found = dict(headers or {})
        if token is not None:
            found["Authorization"] = f"Bearer {token}"
        return found

    def get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        return self.client.get(path, params or {}, headers=self._headers(token, headers))

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        raw: str | None = None,
    ) -> Any:
        """A request with a JSON body (`body`), or the exact text `raw`."""
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.generic(
            method,
            path,
            data,
            content_type="application/json",
            headers=self._headers(token, headers),
        )

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.send("POST", path, body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.send("PUT", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.send("DELETE", path, raw="", **kwargs)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(client: Client) -> ApiClient:
    return ApiClient(client)


def make_token(member: User, scope: str = ApiToken.Scope.WRITE, name: str = "Phone") -> str:
    return services.create_token(actor=member, name=name, scope=scope).secret


@pytest.fixture
def write_token(member: User) -> str:
    return make_token(member, ApiToken.Scope.WRITE, "Phone app")


@pytest.fixture
def read_token(member: User) -> str:
    return make_token(member, ApiToken.Scope.READ, "Reader")


@pytest.fixture
def other_token(other_member: User) -> str:
    return make_token(other_member, ApiToken.Scope.WRITE, "Nora's app")


def city(name: str) -> places.Place:
    place = places.find_city(name)
    assert place is not None, name
    return place


@pytest.fixture
def club(other_member: User) -> Network:
    """Nora's open ciné-club in Lyon; she is its admin and organiser."""
    return network_services.create_network(
        actor=other_member,
        name="Ciné-club du jeudi",
        kind=Network.Kind.CINE_CLUB,
        join_policy=Network.JoinPolicy.OPEN,
        place=city("Lyon"),
    )


@pytest.fixture
def film(other_member: User) -> Film:
    return film_services.create_film(
        actor=other_member,
        title="Le Voyage dans la Lune",
        year=1902,
        directors=["Georges Méliès"],
        genres=["scifi"],
        countries=["FR"],
    )


@pytest.fixture
def venue(db: None) -> Venue:
    lyon = city("Lyon")
    return Venue.objects.create(
        name="Médiathèque du Bachut",
        dedupe_key=places.normalise("Médiathèque du Bachut Lyon"),
        name_normalised=places.normalise("Médiathèque du Bachut"),
        kind=Venue.Kind.MEDIATHEQUE,
        city_name="Lyon",
        latitude=lyon.latitude,
        longitude=lyon.longitude,
        has_dcp_projector=True,
    )


def make_event(
    club: Network,
    *,
    title: str = "Le Voyage dans la Lune",
    venue: Venue | None = None,
    film: Film | None = None,
    days: int = 7,
    visibility: str = Event.Visibility.PUBLIC,
    status: str = Event.Status.PUBLISHED,
    capacity: int | None = None,
) -> Event:
    """An event written directly: tests of event creation go through the events app."""
    starts_at = timezone.now() + timedelta(days=days)
    event = Event.objects.create(
        network=club,
        kind=Event.Kind.SCREENING,
        title=title,
        venue=venue,
        latitude=venue.latitude if venue else None,
        longitude=venue.longitude if venue else None,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        visibility=visibility,
        status=status,
        capacity=capacity,
        published_at=timezone.now() if status != Event.Status.DRAFT else None,
    )
    if film is not None:
        Screening.objects.create(event=event, film=film)
    return event
