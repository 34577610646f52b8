"""What the site's one search finds among networks: every network, by its name and town
(see `contrechamp.search.registry`). Their pages are public."""

from collections.abc import Iterable, Sequence

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from contrechamp.networks.models import Network
from contrechamp.search import registry

DESCRIPTION_SHOWN = 160


def network_entries(ids: Sequence[int]) -> Iterable[registry.Entry]:
    networks = Network.objects.filter(pk__in=ids).only(
        "pk", "name", "slug", "kind", "city_name", "description"
    )
    for network in networks:
        facts = [
            network.city_name,
            Truncator(" ".join(network.description.split())).chars(DESCRIPTION_SHOWN),
        ]
        yield registry.Entry(
            object_id=network.pk,
            title=network.name,
            url=network.get_absolute_url(),
            words=[network.name, network.city_name],
            text=" · ".join(fact for fact in facts if fact),
            category=network.kind,
        )


def register_search() -> None:
    registry.register(
        registry.Provider(
            kind="networks",
            label=_("Networks"),
            position=30,
            entries=network_entries,
            all_ids=lambda: Network.objects.values_list("pk", flat=True),
            categories=dict(Network.Kind.choices),
        )
    )
