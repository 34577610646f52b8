"""Wanted requests: members looking for a copy of a film (a format, languages), the
requests the caller may see, posting one, and closing it (found or withdrawn). The same
queries and services as the wanted pages: a request shown to a network's members is
hidden from everyone else, and the offers found for a request are shown to its author only.
"""

from datetime import datetime
from typing import Annotated

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import StringConstraints

from contrechamp.accounts.models import User
from contrechamp.api import auth
from contrechamp.api.errors import documented, invalid_field
from contrechamp.api.pagination import Page, PageParams, paginate
from contrechamp.api.schemas import (
    NO_NUL,
    FilmRef,
    Id,
    MemberRef,
    NetworkRef,
    as_query,
    first_item_links,
    listed,
    site_url,
)
from contrechamp.films.models import Film
from contrechamp.networks.models import Network
from contrechamp.wanted import queries, services
from contrechamp.wanted.models import NOTE_MAX, Format, Match, WantedRequest

router = Router(tags=["Wanted requests"])

WantedFormat = Annotated[Format, listed(Format)]
WantedStatus = Annotated[WantedRequest.Status, listed(WantedRequest.Status)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
Note = Annotated[str, StringConstraints(max_length=NOTE_MAX, pattern=NO_NUL)]


class MatchOut(Schema):
    id: int
    source: str = Field(description="`library` (an item to borrow) or `availability`.")
    title: str
    where: str = Field(description="Who offers it, or where it is.")
    format: str = Field(description="The wished format it has; empty when none was wished.")
    audio_languages: list[str]
    subtitle_languages: list[str]
    languages_unstated: bool = Field(
        description="The offer does not state its languages: ask before counting on it."
    )
    found_at: datetime
    url: str

    @staticmethod
    def resolve_audio_languages(obj: Match) -> list[str]:
        return obj.audio_language_list

    @staticmethod
    def resolve_subtitle_languages(obj: Match) -> list[str]:
        return obj.subtitle_language_list

    @staticmethod
    def resolve_url(obj: Match) -> str:
        return site_url(obj.url)


class WantedOut(Schema):
    id: int
    film: FilmRef
    requester: MemberRef
    formats: list[WantedFormat] = Field(description="Empty: any format.")
    audio_languages: list[str] = Field(description="Empty: any language.")
    subtitle_languages: list[str] = Field(description="Empty: with or without subtitles.")
    network: NetworkRef | None = Field(description="Shown only to this network's members.")
    status: WantedStatus
    created_at: datetime
    resolved_at: datetime | None
    url: str = Field(description="The request's page on the site.")

    @staticmethod
    def resolve_formats(obj: WantedRequest) -> list[str]:
        return obj.format_list

    @staticmethod
    def resolve_audio_languages(obj: WantedRequest) -> list[str]:
        return obj.audio_language_list

    @staticmethod
    def resolve_subtitle_languages(obj: WantedRequest) -> list[str]:
        return obj.subtitle_language_list

    @staticmethod
    def resolve_url(obj: WantedRequest) -> str:
        return site_url(obj.get_absolute_url())


class WantedDetailOut(WantedOut):
    note: str
    found_match_id: int | None = Field(description="The offer its author found it through.")
    matches: list[MatchOut] = Field(
        description="The offers found for it, shown to its author only (empty for others)."
    )

    @staticmethod
    def resolve_matches(obj: WantedRequest, context: dict[str, HttpRequest]) -> list[Match]:
        member = auth.caller(context["request"]).member
        if member is None or member.pk != obj.requester_id:
            return []
        return list(queries.matches_of(obj))


class WantedQuery(Schema):
    q: str = Field("", max_length=100, description="Words of the film's title or the note.")
    format: WantedFormat | None = None
    language: str = Field(
        "", max_length=3, pattern=r"^([a-z]{2,3})?$", description="Audio or subtitles (code)."
    )
    film: int | None = Field(None, ge=1, le=10**11 - 1, description="Requests for this film.")
    network: str = Field("", max_length=140, description="Requests of this network (slug).")
    status: WantedStatus | None = Field(None, description="Open ones when not given.")
    mine: bool = Field(False, description="Only the caller's own requests (any status).")


class WantedIn(Schema):
    film: int = Field(ge=1, le=2**63 - 1, description="The catalogue film (id).")
    formats: list[WantedFormat] = Field(default_factory=list, max_length=8)
    audio_languages: list[LanguageCode] = Field(default_factory=list, max_length=12)
    subtitle_languages: list[LanguageCode] = Field(default_factory=list, max_length=12)
    note: Note = ""
    network: str | None = Field(
        None,
        min_length=1,
        max_length=140,
        pattern=r"^[-a-zA-Z0-9_]+$",
        description="Show it to this network's members only (slug); everyone when null.",
    )


class FoundIn(Schema):
    match_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="The offer (one of its matches) it was found through."
    )


def _visible_request(viewer: User | AnonymousUser, pk: int) -> WantedRequest:
    wanted = queries.request_page(viewer, pk)
    if wanted is None:
        raise Http404
    return wanted


@router.get(
    "/wanted",
    auth=auth.PUBLIC,
    openapi_extra={
        **auth.OPTIONAL_AUTH,
        **first_item_links("id", "request_id", "get_wanted_request"),
    },
    response={200: Page[WantedOut], **documented(401, 422)},
)
def list_wanted_requests(
    request: HttpRequest, filters: Query[WantedQuery], page: Query[PageParams]
) -> dict[str, object]:
    """Requests the caller may see, newest first; open ones unless `status` says otherwise."""
    values = filters.model_dump()
    if filters.mine and filters.status is None:
        values["status"] = queries.STATUS_ANY
    wanted = queries.WantedFilters.from_query(as_query(values))
    return paginate(queries.search_requests(auth.viewer(request), wanted), page)


@router.get(
    "/wanted/{request_id}",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: WantedDetailOut, **documented(401, 404, 422)},
)
def get_wanted_request(request: HttpRequest, request_id: Id) -> WantedRequest:
    """A request; for its author, with the offers found for it. 404 when it is not shown
    to the caller."""
    return _visible_request(auth.viewer(request), request_id)


@router.post(
    "/wanted",
    auth=auth.WRITE,
    response={201: WantedDetailOut, **documented(400, 401, 403, 404, 409, 422)},
)
def post_wanted_request(request: HttpRequest, payload: WantedIn) -> Status[WantedRequest]:
    """Look for a copy of a film. The offers that already fit are found at once (see
    `matches`); those listed later are announced to the caller by a notification."""
    actor = auth.member(request)
    film = Film.objects.filter(pk=payload.film).first()
    if film is None:
        raise invalid_field("film", _("No film of the catalogue has this id."))
    network = None
    if payload.network is not None:
        network = Network.objects.filter(slug=payload.network).first()
        if network is None:
            raise invalid_field("network", _("No network has this slug."))
    wanted = services.post_request(
        actor=actor,
        details=services.RequestDetails(
            film=film,
            formats=[str(code) for code in payload.formats],
            audio_languages=payload.audio_languages,
            subtitle_languages=payload.subtitle_languages,
            note=payload.note,
            network=network,
        ),
    )
    return Status(201, _visible_request(actor, wanted.pk))


@router.post(
    "/wanted/{request_id}/found",
    auth=auth.WRITE,
    response={200: WantedDetailOut, **documented(400, 401, 403, 404, 409, 422)},
)
def resolve_wanted_request(request: HttpRequest, request_id: Id, payload: FoundIn) -> WantedRequest:
    """Its author found a copy, through one of its matches (`match_id`) or elsewhere."""
    actor = auth.member(request)
    wanted = _visible_request(actor, request_id)
    match = None
    if payload.match_id is not None:
        match = Match.objects.filter(pk=payload.match_id, request=wanted).first()
        if match is None:
            raise invalid_field("match_id", _("This offer was not found for this request."))
    services.resolve_request(actor=actor, request=wanted, match=match)
    return _visible_request(actor, request_id)


@router.post(
    "/wanted/{request_id}/withdraw",
    auth=auth.WRITE,
    response={200: WantedDetailOut, **documented(401, 403, 404, 409, 422)},
)
def withdraw_wanted_request(request: HttpRequest, request_id: Id) -> WantedRequest:
    """Its author no longer looks for the film."""
    actor = auth.member(request)
    services.withdraw_request(actor=actor, request=_visible_request(actor, request_id))
    return _visible_request(actor, request_id)
