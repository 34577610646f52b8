"""How wanted requests meet the offers of other apps: one small interface.

An app that has copies of films to offer (the library of `lending`, the availability
entries of `films`; later perhaps `projects` or `events`) implements an `OfferSource` in
its own `wanted_offers.py` and registers it in its `AppConfig.ready()`:

    from contrechamp.wanted import matching

    matching.register(matching.OfferSource(
        kind="library",                   # one word; stored in Match.source
        label=_("Library"),
        candidates=library_candidates,    # (requests, only) -> {request id: [Offer, ...]}
        films_of=library_films,           # offer ids -> ids of their films
    ))

`candidates(requests, only)` receives open requests (with `requester` and `film` loaded)
and returns, for each request id, the offers of that request's film that its requester
may see and use now: not withdrawn, not out of order, not hidden from them (a
"members of my networks" item of someone who shares no network with them is not an offer
for them), not their own. When `only` is given, only those offer ids are considered. It
must answer in a fixed number of queries whatever the number of requests and offers:
batch, do not loop over requests with a query each.

Each `Offer` says what it is (its title, its page, who or where it is) and what it
carries: the `Format` values it can satisfy and its audio and subtitle languages (empty
when the offer does not say). Whether an offer fits a request's wishes is decided here,
once, by `fits()`: the same rules for every source.

`films_of(ids)` gives the films of those offers, so that a change can be matched against
the open requests of those films.

When its service adds or changes offers, the app calls, inside its transaction,

    matching.offers_changed_on_commit("library", [item.pk])

which runs `offers_changed()` once the change is committed: it records a `Match` per
request and offer that now fits (one row ever per pair: editing an offer twice never
announces it twice), tells each requester of their new matches, and marks as no longer
current the matches of offers that stopped fitting. A failure there is logged and never
undoes nor breaks the offering app's change.
"""

import functools
import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from contrechamp.notifications.services import in_language_of, notify
from contrechamp.wanted.models import Match, WantedRequest, join_codes

logger = logging.getLogger(__name__)

NOTIFICATION_KIND = "wanted.match"


@dataclass(frozen=True)
class Offer:
    """One copy of a film another app offers, as a requester would see it."""

    source: str
    offer_id: int
    film_id: int
    title: str
    url: str
    formats: frozenset[str]
    audio_languages: frozenset[str] = frozenset()
    subtitle_languages: frozenset[str] = frozenset()
    # Who or where: "Nora, Lyon", "Médiathèque de Grenoble", "arte.tv".
    where: str = ""


type Candidates = Callable[
    [Sequence[WantedRequest], Collection[int] | None], Mapping[int, list[Offer]]
]


@dataclass(frozen=True)
class OfferSource:
    kind: str
    label: str | Promise
    candidates: Candidates
    films_of: Callable[[Collection[int]], Collection[int]]


_sources: dict[str, OfferSource] = {}


def register(source: OfferSource) -> None:
    """Add (or replace, by kind) a source of offers."""
    if not source.kind.isalpha() or not source.kind.islower():
        raise ValueError(f"{source.kind!r}: a kind is one word of lower-case letters.")
    _sources[source.kind] = source


def sources() -> list[OfferSource]:
    return list(_sources.values())


def source_label(kind: str) -> str:
    source = _sources.get(kind)
    return str(source.label) if source is not None else kind


@dataclass(frozen=True)
class Fit:
    """Why an offer fits a request."""

    format: str
    audio_languages: list[str] = field(default_factory=list)
    subtitle_languages: list[str] = field(default_factory=list)
    languages_unstated: bool = False


def _languages_fit(wished: list[str], offered: frozenset[str]) -> tuple[bool, list[str]]:
    """No wish: anything fits. A wish and languages stated: one of them must be wished.
    A wish and nothing stated: it may fit (the requester asks)."""
    if not wished or not offered:
        return True, [code for code in wished if code in offered] or sorted(offered)
    common = [code for code in wished if code in offered]
    return bool(common), common


def fits(request: WantedRequest, offer: Offer) -> Fit | None:
    """Whether the offer answers the request: same film, one of the wished formats (any
    when none is wished), and languages as `_languages_fit` says, for audio and subtitles."""
    if offer.film_id != request.film_id:
        return None
    wished_formats = request.format_list
    if wished_formats:
        common = [code for code in wished_formats if code in offer.formats]
        if not common:
            return None
        chosen = common[0]
    else:
        chosen = sorted(offer.formats)[0] if offer.formats else ""
    audio_ok, audio = _languages_fit(request.audio_language_list, offer.audio_languages)
    subtitles_ok, subtitles = _languages_fit(
        request.subtitle_language_list, offer.subtitle_languages
    )
    if not (audio_ok and subtitles_ok):
        return None
    unstated = bool(
        (request.audio_language_list and not offer.audio_languages)
        or (request.subtitle_language_list and not offer.subtitle_languages)
    )
    return Fit(
        format=chosen,
        audio_languages=audio,
        subtitle_languages=subtitles,
        languages_unstated=unstated,
    )


def _match_fields(offer: Offer, fit: Fit) -> dict[str, object]:
    return {
        "title": offer.title[:300],
        "url": offer.url[:500],
        "format": fit.format,
        "audio_languages": join_codes(fit.audio_languages),
        "subtitle_languages": join_codes(fit.subtitle_languages),
        "where": offer.where[:300],
        "languages_unstated": fit.languages_unstated,
    }


def _record(
    requests: Sequence[WantedRequest],
    source: OfferSource,
    only: Collection[int] | None,
) -> list[Match]:
    """Record the fitting offers of `source` for `requests` (restricted to `only` when
    given); returns the matches that are new, or current again after having stopped."""
    if not requests:
        return []
    found = source.candidates(requests, only)
    by_id = {request.pk: request for request in requests}
    fitting: dict[tuple[int, int], tuple[Offer, Fit]] = {}
    for request_id, offers in found.items():
        request = by_id.get(request_id)
        if request is None:
            continue
        for offer in offers:
            fit = fits(request, offer)
            if fit is not None:
                fitting[(request_id, offer.offer_id)] = (offer, fit)
    existing_rows = Match.objects.select_for_update().filter(
        request_id__in=by_id, source=source.kind
    )
    if only is not None:
        existing_rows = existing_rows.filter(offer_id__in=only)
    existing = {(match.request_id, match.offer_id): match for match in existing_rows}
    now = timezone.now()
    announced: list[Match] = []
    changed: list[Match] = []
    created: list[Match] = []
    for key, (offer, fit) in fitting.items():
        match = existing.get(key)
        if match is None:
            created.append(
                Match(
                    request=by_id[key[0]],
                    source=source.kind,
                    offer_id=offer.offer_id,
                    found_at=now,
                    updated_at=now,
                    **_match_fields(offer, fit),
                )
            )
            continue
        for name, value in _match_fields(offer, fit).items():
            setattr(match, name, value)
        match.updated_at = now
        match.is_current = True
        changed.append(match)
    for key, match in existing.items():
        if key not in fitting and match.is_current:
            match.is_current = False
            match.updated_at = now
            changed.append(match)
    if changed:
        Match.objects.bulk_update(
            changed,
            [*_match_fields_names(), "is_current", "updated_at"],
        )
    if created:
        # Two commits racing on the same offer: the unique constraint keeps one row, the
        # loser's insert is ignored and announces nothing.
        Match.objects.bulk_create(created, ignore_conflicts=True)
        stored = {
            (match.request_id, match.offer_id): match
            for match in Match.objects.filter(
                request_id__in={match.request_id for match in created},
                source=source.kind,
                offer_id__in={match.offer_id for match in created},
                found_at=now,
            )
        }
        announced = [
            stored[(match.request_id, match.offer_id)]
            for match in created
            if (match.request_id, match.offer_id) in stored
        ]
        for match in announced:
            match.request = by_id[match.request_id]
    return announced


def _match_fields_names() -> list[str]:
    return [
        "title",
        "url",
        "format",
        "audio_languages",
        "subtitle_languages",
        "where",
        "languages_unstated",
    ]


def _announce(matches: Iterable[Match]) -> None:
    """One notification per request, however many offers were found for it at once."""
    by_request: dict[int, list[Match]] = defaultdict(list)
    for match in matches:
        by_request[match.request_id].append(match)
    for found in by_request.values():
        request = found[0].request
        with in_language_of(request.requester):
            notify(
                recipient=request.requester,
                kind=NOTIFICATION_KIND,
                title=_("A copy of “%(film)s” you are looking for is offered")
                % {"film": request.film.title},
                body="\n".join(f"{match.title} · {match.where}".strip(" ·") for match in found),
                url=request.get_absolute_url(),
            )


def match_request(request: WantedRequest, *, announce: bool) -> list[Match]:
    """Look for offers of every source for a request (just posted, or changed); call
    inside the caller's transaction. Its author is told only when `announce` is set (an
    author who just posted sees the matches on the page)."""
    found: list[Match] = []
    for source in sources():
        found.extend(_record([request], source, None))
    if announce:
        _announce(found)
    return found


def open_requests_for(source: str, offer_ids: Collection[int]) -> list[WantedRequest]:
    """The open requests an offer change may concern: those of the offers' films, and
    those these offers matched until now (their film may have changed)."""
    films = set(_sources[source].films_of(offer_ids))
    matched = Match.objects.filter(source=source, offer_id__in=offer_ids).values("request_id")
    return list(
        WantedRequest.objects.filter(status=WantedRequest.Status.OPEN)
        .filter(Q(film_id__in=films) | Q(pk__in=matched))
        .select_related("requester", "film")
        .order_by("pk")
    )


@transaction.atomic
def offers_changed(kind: str, offer_ids: Iterable[int]) -> list[Match]:
    """Offers of `kind` were added or changed: record the matches they make now with the
    open requests, tell the requesters of new ones, retire those that stopped fitting.
    Returns the new matches. Call it after the offering change is committed (see
    `offers_changed_on_commit`)."""
    ids = sorted(set(offer_ids))
    if kind not in _sources or not ids:
        return []
    requests = open_requests_for(kind, ids)
    announced = _record(requests, _sources[kind], ids)
    _announce(announced)
    return announced


def _run_after_commit(kind: str, offer_ids: list[int]) -> None:
    try:
        offers_changed(kind, offer_ids)
    except Exception:
        # The offer is saved whatever happens here: a failed match is logged, not raised
        # into the page that saved the offer.
        logger.exception("Matching wanted requests with %s %s failed", kind, offer_ids)


def offers_changed_on_commit(kind: str, offer_ids: Iterable[int]) -> None:
    """Run `offers_changed(kind, offer_ids)` once the current transaction commits."""
    transaction.on_commit(functools.partial(_run_after_commit, kind, list(offer_ids)))
