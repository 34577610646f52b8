"""The notification kinds and periodic jobs of RSVPs and volunteer shifts, registered by
`events.apps.EventsConfig.ready()` through `register()`."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _


def register() -> None:
    """Register the kinds and jobs; calling it again changes nothing (both registries
    replace an entry by its name)."""
    from contrechamp.core import periodic
    from contrechamp.events.services import attendance
    from contrechamp.notifications.kinds import Delivery, Kind
    from contrechamp.notifications.kinds import register as register_kind

    for slug, label in (
        ("waitlist_promoted", _("A seat frees up for you at an event you waited for")),
        ("event_reminder", _("An event you are going to starts within a day")),
        ("shift_reminder", _("A volunteer shift you signed up for starts within a day")),
        ("shift_removed", _("A volunteer shift you signed up for is cancelled")),
    ):
        register_kind(Kind(slug=f"events.{slug}", label=label, default_delivery=Delivery.IMMEDIATE))

    periodic.register(
        periodic.Job(
            name="events.event_reminders",
            every=timedelta(hours=1),
            run=attendance.send_event_reminders,
        )
    )
    periodic.register(
        periodic.Job(
            name="events.shift_reminders",
            every=timedelta(hours=1),
            run=attendance.send_shift_reminders,
        )
    )
