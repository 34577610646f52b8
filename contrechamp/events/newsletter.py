"""The "upcoming events" section of a network newsletter."""

from datetime import datetime, timedelta

from django.utils import timezone

from contrechamp.events.models import Event
from contrechamp.networks.models import Network
from contrechamp.notifications.newsletter import NewsletterItem

HORIZON = timedelta(days=45)
MAX_ITEMS = 20


def upcoming_events(network: Network, since: datetime) -> list[NewsletterItem]:
    """The network's published events of the coming weeks, soonest first (one query).

    A newsletter goes to members only, so members-only events are included; what was
    already announced is announced again while it is still to come: that is a reminder."""
    now = timezone.now()
    events = (
        Event.objects.filter(
            network=network,
            status=Event.Status.PUBLISHED,
            ends_at__gte=now,
            starts_at__lte=now + HORIZON,
        )
        .select_related("venue")
        .order_by("starts_at", "pk")[:MAX_ITEMS]
    )
    items = []
    for event in events:
        when = event.local_time_text(event.starts_at)
        where = f"{event.venue.name}, {event.venue.city_name}" if event.venue else ""
        items.append(
            NewsletterItem(
                title=event.title,
                url=event.get_absolute_url(),
                text=" · ".join(part for part in (when, where) if part),
            )
        )
    return items
