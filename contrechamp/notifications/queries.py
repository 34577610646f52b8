"""Reads shared by the notification pages (and later the API)."""

from django.db.models import QuerySet

from contrechamp.accounts.models import User
from contrechamp.networks.models import Network
from contrechamp.notifications import kinds
from contrechamp.notifications.kinds import Delivery
from contrechamp.notifications.models import Newsletter, Notification, Preference

# The bell shows "99+" beyond: counting further costs time and tells nobody anything.
BELL_LIMIT = 99


def inbox(member: User) -> QuerySet[Notification]:
    """The member's notifications, newest first, with who caused each one."""
    return Notification.objects.filter(recipient=member).select_related("actor")


def unread_count(member: User) -> int:
    """Unread notifications, counted up to `BELL_LIMIT + 1`, in one query."""
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True)
    return unread.values("pk")[: BELL_LIMIT + 1].count()


def preferences(member: User) -> dict[str, Delivery]:
    """Every registered kind's delivery for the member (their choice, else the default)."""
    chosen = dict(Preference.objects.filter(user=member).values_list("kind", "delivery"))
    return {
        kind.slug: Delivery(chosen[kind.slug])
        if chosen.get(kind.slug) in Delivery.values
        else kind.default_delivery
        for kind in kinds.all_kinds()
    }


def newsletters(network: Network) -> QuerySet[Newsletter]:
    """The network's sent newsletters, newest first, with who sent each."""
    return Newsletter.objects.filter(network=network).select_related("network", "sent_by")
