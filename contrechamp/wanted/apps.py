from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WantedConfig(AppConfig):
    name = "contrechamp.wanted"
    label = "wanted"
    verbose_name = _("Wanted requests")

    def ready(self) -> None:
        from contrechamp.accounts import registry
        from contrechamp.notifications.kinds import Delivery, Kind, register
        from contrechamp.wanted import matching, member_data

        register(
            Kind(
                slug=matching.NOTIFICATION_KIND,
                label=_("A copy of a film you are looking for is offered"),
                default_delivery=Delivery.IMMEDIATE,
            )
        )
        registry.register(
            registry.MemberDataContributor(
                name="wanted",
                export=member_data.export_member_wanted,
                anonymise=member_data.withdraw_member_wanted,
            )
        )
