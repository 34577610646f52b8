"""What the site's one search finds among venues: every venue of the shared directory, by
its name, street and town (see `contrechamp.search.registry`)."""

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext_lazy as _

from contrechamp.search import registry
from contrechamp.venues.models import Venue


def venue_entries(ids: Sequence[int]) -> Iterable[registry.Entry]:
    venues = Venue.objects.filter(pk__in=ids).only(
        "pk", "name", "kind", "address", "postcode", "city_name"
    )
    for venue in venues:
        town = " ".join(part for part in (venue.postcode, venue.city_name) if part)
        yield registry.Entry(
            object_id=venue.pk,
            title=venue.name,
            url=venue.get_absolute_url(),
            words=[venue.name, venue.city_name, venue.address],
            text=", ".join(part for part in (venue.address, town) if part),
            category=venue.kind,
        )


def register_search() -> None:
    registry.register(
        registry.Provider(
            kind="venues",
            label=_("Venues"),
            position=40,
            entries=venue_entries,
            all_ids=lambda: Venue.objects.values_list("pk", flat=True),
            categories=dict(Venue.Kind.choices),
        )
    )
