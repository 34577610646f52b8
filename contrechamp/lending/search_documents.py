"""What the site's one search finds in the library (see `contrechamp.search.registry`):
items that have not been withdrawn, by their title, their film and their pickup area, seen
by whoever `queries.visible_items` lets see them: everyone for a public item; the owning
network's members; the owner, and members of a network the owner belongs to, for an item
shown to "members of my networks"."""

from collections.abc import Iterable, Sequence

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from contrechamp.lending.models import Item
from contrechamp.search import registry


def _findable() -> QuerySet[Item]:
    return Item.objects.filter(is_withdrawn=False)


def item_entries(ids: Sequence[int]) -> Iterable[registry.Entry]:
    items = _findable().filter(pk__in=ids).select_related("film", "owner_network")
    for item in items:
        film = item.film
        network = item.owner_network
        facts = [
            f"{film.title} ({film.year})" if film is not None and film.title != item.title else "",
            item.city_name,
            network.name if network is not None else "",
        ]
        yield registry.Entry(
            object_id=item.pk,
            title=item.title,
            url=item.get_absolute_url(),
            words=[
                item.title,
                film.title if film is not None else "",
                film.original_title if film is not None else "",
                item.city_name,
            ],
            text=" · ".join(fact for fact in facts if fact),
            category=item.kind,
            is_public=item.visibility == Item.Visibility.PUBLIC,
            network_id=item.owner_network_id,
            owner_id=item.owner_user_id,
            owner_circle=(
                item.owner_user_id is not None and item.visibility == Item.Visibility.NETWORKS
            ),
        )


def items_of_networks(network_ids: Sequence[int]) -> Iterable[int]:
    return _findable().filter(owner_network_id__in=network_ids).values_list("pk", flat=True)


def items_of_films(film_ids: Sequence[int]) -> Iterable[int]:
    return _findable().filter(film_id__in=film_ids).values_list("pk", flat=True)


def register_search() -> None:
    registry.register(
        registry.Provider(
            kind="items",
            label=_("Library"),
            position=60,
            entries=item_entries,
            all_ids=lambda: _findable().values_list("pk", flat=True),
            categories=dict(Item.Kind.choices),
            follows={"networks": items_of_networks, "films": items_of_films},
        )
    )
