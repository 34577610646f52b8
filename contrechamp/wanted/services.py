"""What a member does with wanted requests: post one, say it was found, withdraw it.

Posting looks for matching offers at once (the author sees them on the request's page);
offers listed later are matched by `matching.offers_changed`, called by the offering apps.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.accounts import services as accounts
from contrechamp.accounts.models import User
from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.films import fields as film_fields
from contrechamp.films.models import Film
from contrechamp.networks.models import Network
from contrechamp.networks.permissions import ensure_can_act
from contrechamp.search.services import reindex_on_commit
from contrechamp.wanted import matching
from contrechamp.wanted.models import NOTE_MAX, Format, Match, WantedRequest, join_codes

SEARCH_KIND = "wanted"
MAX_OPEN_PER_MEMBER = 200


@dataclass(frozen=True)
class RequestDetails:
    """What the author says about the copy they look for (the fields of the form)."""

    film: Film
    formats: Sequence[str] = ()
    audio_languages: Sequence[str] = ()
    subtitle_languages: Sequence[str] = ()
    note: str = ""
    network: Network | None = None


def _ensure_can_write(actor: User) -> None:
    """A signed-in, open account that accepted the current code of conduct."""
    if not actor.is_authenticated or not actor.is_active or actor.is_deleted:
        raise PermissionDenied(_("Sign in to post a wanted request."))
    accounts.ensure_code_of_conduct_accepted(actor)


def _clean_formats(values: Sequence[str]) -> list[str]:
    chosen = list(dict.fromkeys(value.strip() for value in values if value.strip()))
    unknown = [value for value in chosen if value not in Format.values]
    if unknown:
        raise DomainError(
            _("Unknown format: %(formats)s. Use: %(known)s.")
            % {"formats": ", ".join(unknown[:3])[:100], "known": ", ".join(Format.values)}
        )
    # Stored in the list's order, whatever order they were given in.
    return [code for code in Format.values if code in chosen]


def _clean_note(note: str) -> str:
    cleaned = note.replace("\r\n", "\n").replace("\x00", "").strip()
    if len(cleaned) > NOTE_MAX:
        raise DomainError(
            _("The note is too long (%(limit)d characters at most).") % {"limit": NOTE_MAX}
        )
    return cleaned


@transaction.atomic
def post_request(*, actor: User, details: RequestDetails) -> WantedRequest:
    """Post a wanted request, shown to everyone or to the members of one network the
    author takes part in; the offers that already fit it are recorded at once."""
    _ensure_can_write(actor)
    if details.network is not None:
        ensure_can_act(actor, details.network)
    formats = _clean_formats(details.formats)
    audio = film_fields.clean_languages(list(details.audio_languages))
    subtitles = film_fields.clean_languages(list(details.subtitle_languages))
    note = _clean_note(details.note)
    # One author at a time: the count below cannot be raced past by a double submission.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    open_requests = WantedRequest.objects.filter(requester=actor, status=WantedRequest.Status.OPEN)
    if open_requests.count() >= MAX_OPEN_PER_MEMBER:
        raise DomainError(
            _("You have %(count)d open requests: close some before posting another.")
            % {"count": MAX_OPEN_PER_MEMBER}
        )
    if open_requests.filter(film=details.film).exists():
        raise Conflict(_("You already look for this film: change or close that request instead."))
    now = timezone.now()
    request = WantedRequest.objects.create(
        requester=actor,
        film=details.film,
        formats=join_codes(formats),
        audio_languages=join_codes(audio),
        subtitle_languages=join_codes(subtitles),
        note=note,
        network=details.network,
        created_at=now,
        updated_at=now,
    )
    matching.match_request(request, announce=False)
    reindex_on_commit(SEARCH_KIND, [request.pk])
    return request


def _own_open_request(actor: User, request: WantedRequest) -> WantedRequest:
    locked = WantedRequest.objects.select_for_update().get(pk=request.pk)
    if locked.requester_id != actor.pk:
        raise PermissionDenied(_("Only the author of this request can do this."))
    if locked.status != WantedRequest.Status.OPEN:
        raise InvalidTransition(_("This request is already closed."))
    return locked


@transaction.atomic
def resolve_request(
    *, actor: User, request: WantedRequest, match: Match | None = None
) -> WantedRequest:
    """The author found a copy, through one of the request's matches or elsewhere."""
    request = _own_open_request(actor, request)
    if match is not None and match.request_id != request.pk:
        raise DomainError(_("This offer was not found for this request."))
    now = timezone.now()
    request.status = WantedRequest.Status.FOUND
    request.found_match = match
    request.resolved_at = now
    request.updated_at = now
    request.save(update_fields=["status", "found_match", "resolved_at", "updated_at"])
    reindex_on_commit(SEARCH_KIND, [request.pk])
    return request


@transaction.atomic
def withdraw_request(*, actor: User, request: WantedRequest) -> WantedRequest:
    """The author no longer looks for this copy."""
    request = _own_open_request(actor, request)
    now = timezone.now()
    request.status = WantedRequest.Status.WITHDRAWN
    request.resolved_at = now
    request.updated_at = now
    request.save(update_fields=["status", "resolved_at", "updated_at"])
    reindex_on_commit(SEARCH_KIND, [request.pk])
    return request
