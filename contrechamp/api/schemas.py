"""Schemas shared by several routers: short references to members, networks, films,
venues and events, and the types that guard what callers send."""

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated

from django.conf import settings
from django.db.models import TextChoices
from django.http import QueryDict
from ninja import Field, Path, Schema
from pydantic import BeforeValidator, StringConstraints, WithJsonSchema

from contrechamp.accounts.models import User
from contrechamp.events.models import Event
from contrechamp.venues.models import Venue

# Primary keys are 64-bit: a larger number is refused before it reaches the database.
MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Slug = Annotated[str, Path(min_length=1, max_length=140, pattern=r"^[-a-zA-Z0-9_]+$")]


# Text in request bodies is bounded and holds no NUL character (which no text means, and
# which PostgreSQL refuses).
NO_NUL = r"^[^\x00]*$"
Message = Annotated[str, StringConstraints(max_length=1000, pattern=NO_NUL)]
BodySlug = Annotated[
    str, StringConstraints(min_length=1, max_length=140, pattern=r"^[-a-zA-Z0-9_]+$")
]
Username = Annotated[str, StringConstraints(min_length=1, max_length=150, pattern=NO_NUL)]


def _iso_day(value: object) -> object:
    """Only a day written YYYY-MM-DD: pydantic would also read 0 as 1 January 1970."""
    if isinstance(value, date) or (
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    ):
        return value
    raise ValueError("Give a day as YYYY-MM-DD.")


Day = Annotated[date, BeforeValidator(_iso_day)]


def listed(choices: type[TextChoices]) -> WithJsonSchema:
    """The JSON schema of a model's choices, written inline. Many models name their
    choices `Kind` or `Status`: as shared components, one would overwrite another."""
    return WithJsonSchema({"type": "string", "enum": [str(value) for value in choices.values]})


def first_item_links(field: str, parameter: str, *operations: str) -> dict[str, object]:
    """OpenAPI links from a list's first item to the operations that take it: how a
    client (and the stateful fuzzer) goes from `GET /films` to `GET /films/{film_id}`."""
    expression = f"$response.body#/items/0/{field}"
    return {
        "responses": {
            200: {
                "links": {
                    operation: {"operationId": operation, "parameters": {parameter: expression}}
                    for operation in operations
                }
            }
        }
    }


def as_query(values: Mapping[str, object]) -> QueryDict:
    """Validated query parameters written back the way the site's filter forms write them
    (true as "1", dates in ISO, nothing for an empty value), for the apps' own
    `from_query` readers: one reading of the filters, shared with the pages."""
    query = QueryDict(mutable=True)
    for key, value in values.items():
        if value is None or value is False or value == "":
            continue
        query[key] = "1" if value is True else str(value)
    return query


def site_url(path: str) -> str:
    """The full address of a page of the site."""
    return settings.SITE_URL + path


class MemberRef(Schema):
    username: str
    name: str = Field(description="The name the member shows (display name or username).")

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.public_name


class NetworkRef(Schema):
    slug: str
    name: str


class FilmRef(Schema):
    id: int
    title: str
    year: int


class VenueRef(Schema):
    id: int
    name: str
    city: str

    @staticmethod
    def resolve_city(obj: Venue) -> str:
        return obj.city_name


class Point(Schema):
    """Approximate coordinates (a town, rounded to about a kilometre)."""

    latitude: float
    longitude: float


class EventRef(Schema):
    id: int
    title: str
    starts_at: datetime
    network: NetworkRef
    url: str

    @staticmethod
    def resolve_url(obj: Event) -> str:
        return site_url(obj.get_absolute_url())
