"""Availability entries as a source of offers for wanted requests (see
`contrechamp.wanted.matching`).

Availability entries are public facts of the catalogue: every member sees them. One
reported as outdated (and not confirmed since) is not offered, nor one the requester
added themselves. What an entry can give
depends on its kind: a platform streams, a médiathèque or a shop has discs, a
cinémathèque keeps prints; an independent cinema shows the film but has no copy, so it
only answers requests that wish no particular format. An entry's languages are those it
states.
"""

from collections import defaultdict
from collections.abc import Collection, Sequence

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contrechamp.films.models import Availability
from contrechamp.wanted import matching
from contrechamp.wanted.models import Format, WantedRequest

KIND = "availability"

FORMATS_OF_KIND: dict[str, frozenset[str]] = {
    Availability.Kind.VOD: frozenset({Format.STREAMING}),
    Availability.Kind.TV_REPLAY: frozenset({Format.STREAMING}),
    Availability.Kind.PUBLIC_DOMAIN: frozenset({Format.STREAMING, Format.FILE}),
    Availability.Kind.MEDIATHEQUE: frozenset({Format.DVD, Format.BLU_RAY}),
    Availability.Kind.COMMUNITY_COPY: frozenset({Format.DVD, Format.BLU_RAY, Format.VHS}),
    Availability.Kind.PURCHASE: frozenset({Format.DVD, Format.BLU_RAY}),
    Availability.Kind.CINEMATHEQUE: frozenset({Format.FILM_16, Format.FILM_35}),
    Availability.Kind.INDEPENDENT_CINEMA: frozenset(),
}


def _offer(entry: Availability) -> matching.Offer:
    where = entry.place or entry.url
    return matching.Offer(
        source=KIND,
        offer_id=entry.pk,
        film_id=entry.film_id,
        title=f"{entry.get_kind_display()} · {where}",
        url=reverse("films:detail", args=[entry.film_id]) + "#where",
        formats=FORMATS_OF_KIND.get(entry.kind, frozenset()),
        audio_languages=frozenset(entry.audio_language_list),
        subtitle_languages=frozenset(entry.subtitle_language_list),
        where=where,
    )


def candidates(
    requests: Sequence[WantedRequest], only: Collection[int] | None
) -> dict[int, list[matching.Offer]]:
    """One query whatever the numbers."""
    entries = Availability.objects.filter(
        film_id__in={request.film_id for request in requests},
        reported_outdated_at__isnull=True,
    )
    if only is not None:
        entries = entries.filter(pk__in=only)
    by_film: dict[int, list[tuple[int | None, matching.Offer]]] = defaultdict(list)
    for entry in entries:
        by_film[entry.film_id].append((entry.added_by_id, _offer(entry)))
    # The requester's own entries are no news to them.
    return {
        request.pk: [
            offer
            for added_by, offer in by_film.get(request.film_id, [])
            if added_by != request.requester_id
        ]
        for request in requests
    }


def films_of(ids: Collection[int]) -> list[int]:
    return list(
        Availability.objects.filter(pk__in=ids).values_list("film_id", flat=True).distinct()
    )


def register() -> None:
    matching.register(
        matching.OfferSource(
            kind=KIND,
            label=_("Where to see it"),
            candidates=candidates,
            films_of=films_of,
        )
    )
