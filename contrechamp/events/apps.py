from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "contrechamp.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from contrechamp.events import attendance_setup, newsletter
        from contrechamp.notifications import newsletter as newsletters
        from contrechamp.notifications.kinds import Delivery, Kind, register

        register(
            Kind(
                slug="events.event_cancelled",
                label=_("An event you planned to attend is cancelled"),
                default_delivery=Delivery.IMMEDIATE,
            )
        )
        register(
            Kind(
                slug="events.event_changed",
                label=_("An event you planned to attend changes its date or place"),
                default_delivery=Delivery.IMMEDIATE,
            )
        )
        attendance_setup.register()
        newsletters.register_section(
            newsletters.Section(
                slug="events.upcoming",
                title=_("Coming up"),
                items=newsletter.upcoming_events,
                position=10,
            )
        )
