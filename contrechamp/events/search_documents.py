"""What the site's one search finds among events (see `contrechamp.search.registry`):
published events that have not ended, by their title, their films and directors, their
venue, town and network. A members-only event is found by the network's active members
only; drafts and cancelled events are never found (the agenda and the event page tell of
a cancellation).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrechamp.events.models import Event, Screening
from contrechamp.films.models import Credit
from contrechamp.search import registry


def _findable() -> QuerySet[Event]:
    return Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gt=timezone.now())


def event_entries(ids: Sequence[int]) -> Iterable[registry.Entry]:
    events = list(
        _findable()
        .filter(pk__in=ids)
        .select_related("network", "venue")
        .prefetch_related(
            Prefetch(
                "screenings",
                queryset=Screening.objects.select_related("film").order_by("position", "pk"),
            )
        )
    )
    directors: dict[int, list[str]] = defaultdict(list)
    for film_id, name in Credit.objects.filter(
        film__screenings__event__in=events, role=Credit.Role.DIRECTOR
    ).values_list("film_id", "person__name"):
        directors[film_id].append(name)
    for event in events:
        films = [screening.film for screening in event.screenings.all()]
        venue = event.venue
        place = f"{venue.name}, {venue.city_name}" if venue is not None else ""
        yield registry.Entry(
            object_id=event.pk,
            title=event.title,
            url=event.get_absolute_url(),
            words=[
                event.title,
                *(film.title for film in films),
                *(film.original_title for film in films),
                *(name for film in films for name in directors[film.pk]),
                venue.name if venue is not None else "",
                venue.city_name if venue is not None else "",
                event.network.name,
            ],
            text=" · ".join(part for part in (event.network.name, place) if part),
            category=event.kind,
            is_public=event.is_public,
            network_id=event.network_id,
            happens_at=event.starts_at,
            expires_at=event.ends_at,
        )


def events_at_venues(venue_ids: Sequence[int]) -> Iterable[int]:
    return _findable().filter(venue_id__in=venue_ids).values_list("pk", flat=True)


def events_of_networks(network_ids: Sequence[int]) -> Iterable[int]:
    return _findable().filter(network_id__in=network_ids).values_list("pk", flat=True)


def events_showing(film_ids: Sequence[int]) -> Iterable[int]:
    return (
        _findable()
        .filter(screenings__film_id__in=film_ids)
        .values_list("pk", flat=True)
        .distinct()
        .order_by()
    )


def register_search() -> None:
    registry.register(
        registry.Provider(
            kind="events",
            label=_("Events"),
            position=50,
            entries=event_entries,
            all_ids=lambda: _findable().values_list("pk", flat=True),
            categories=dict(Event.Kind.choices),
            follows={
                "venues": events_at_venues,
                "networks": events_of_networks,
                "films": events_showing,
            },
        )
    )
