"""The library as a source of offers for wanted requests (see `contrechamp.wanted.matching`).

A library item is an offer for a request when it holds the requested film in a form that
can be watched (a disc, a tape, a reel), is in the library (not withdrawn, not out of
order), and its requester may see it: a public item, or one shown to "members of my
networks" of an owner who shares an active network with them, or of a network they are
an active member of. A member's own items are never offers for them. Items do not state
their languages: a language wish is shown as "to check with the owner".
"""

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from django.utils.translation import gettext_lazy as _

from contrechamp.lending.models import Item
from contrechamp.networks.models import Membership
from contrechamp.wanted import matching
from contrechamp.wanted.models import Format, WantedRequest

KIND = "library"

FORMATS_OF_KIND: dict[str, frozenset[str]] = {
    Item.Kind.DVD: frozenset({Format.DVD}),
    Item.Kind.BLU_RAY: frozenset({Format.BLU_RAY}),
    Item.Kind.VHS: frozenset({Format.VHS}),
    Item.Kind.LASERDISC: frozenset({Format.LASERDISC}),
    # "16/35 mm reel": the item does not say which gauge.
    Item.Kind.FILM_REEL: frozenset({Format.FILM_16, Format.FILM_35}),
}


def _offer(item: Item) -> matching.Offer:
    assert item.film_id is not None  # noqa: S101 - filtered on film__in
    return matching.Offer(
        source=KIND,
        offer_id=item.pk,
        film_id=item.film_id,
        title=item.title,
        url=item.get_absolute_url(),
        formats=FORMATS_OF_KIND[item.kind],
        where=f"{item.owner_name}, {item.city_name}",
    )


def _may_see(item: Item, requester_id: int, networks_of: Mapping[int, set[int]]) -> bool:
    if item.owner_user_id == requester_id:
        return False
    if item.visibility == Item.Visibility.PUBLIC:
        return True
    mine = networks_of.get(requester_id, set())
    if item.owner_network_id is not None:
        return item.owner_network_id in mine
    assert item.owner_user_id is not None  # noqa: S101 - guaranteed by item_one_owner
    return bool(mine & networks_of.get(item.owner_user_id, set()))


def candidates(
    requests: Sequence[WantedRequest], only: Collection[int] | None
) -> dict[int, list[matching.Offer]]:
    """Three queries whatever the numbers: the items, then the active memberships of the
    requesters and owners concerned (for items shown to members of their networks)."""
    films = {request.film_id for request in requests}
    items_query = Item.objects.filter(
        film_id__in=films,
        kind__in=list(FORMATS_OF_KIND),
        is_withdrawn=False,
        is_out_of_order=False,
    ).select_related("owner_user", "owner_network")
    if only is not None:
        items_query = items_query.filter(pk__in=only)
    items = list(items_query)
    if not items:
        return {}
    people = {request.requester_id for request in requests}
    if any(item.visibility != Item.Visibility.PUBLIC for item in items):
        people |= {item.owner_user_id for item in items if item.owner_user_id is not None}
        rows = Membership.objects.filter(
            user_id__in=people, status=Membership.Status.ACTIVE
        ).values_list("user_id", "network_id")
    else:
        rows = Membership.objects.none().values_list("user_id", "network_id")
    networks_of: dict[int, set[int]] = defaultdict(set)
    for user_id, network_id in rows:
        networks_of[user_id].add(network_id)
    by_film: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        assert item.film_id is not None  # noqa: S101 - filtered on film__in
        by_film[item.film_id].append(item)
    found: dict[int, list[matching.Offer]] = {}
    for request in requests:
        found[request.pk] = [
            _offer(item)
            for item in by_film.get(request.film_id, [])
            if _may_see(item, request.requester_id, networks_of)
        ]
    return found


def films_of(ids: Collection[int]) -> list[int]:
    return list(
        Item.objects.filter(pk__in=ids, film__isnull=False)
        .values_list("film_id", flat=True)
        .distinct()
    )


def register() -> None:
    matching.register(
        matching.OfferSource(
            kind=KIND,
            label=_("Library"),
            candidates=candidates,
            films_of=films_of,
        )
    )
