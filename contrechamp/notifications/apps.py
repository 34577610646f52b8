from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "contrechamp.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from contrechamp.accounts import registry
        from contrechamp.core import periodic
        from contrechamp.notifications import emails, kinds, member_data, newsletter

        registry.register(
            registry.MemberDataContributor(
                name="notifications",
                export=member_data.export_member_notifications,
                anonymise=member_data.delete_member_notifications,
            )
        )
        kinds.register(newsletter.NEWSLETTER_KIND)
        periodic.register(
            periodic.Job(
                name="notifications.daily_digest",
                every=timedelta(days=1),
                run=emails.send_digests,
            )
        )
