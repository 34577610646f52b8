from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "contrechamp.live"
    label = "live"
    verbose_name = _("Live rooms")

    def ready(self) -> None:
        from contrechamp.accounts import registry
        from contrechamp.core import periodic
        from contrechamp.live import member_data, services

        periodic.register(
            periodic.Job(
                name="live.stale_presences",
                every=timedelta(minutes=5),
                run=services.forget_stale_presences,
            )
        )
        registry.register(
            registry.MemberDataContributor(
                name="live",
                export=member_data.export_member_live,
                anonymise=member_data.erase_member_live,
            )
        )
