from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "contrechamp.venues"
    label = "venues"
    verbose_name = _("Venues")

    def ready(self) -> None:
        from contrechamp.accounts import registry
        from contrechamp.venues import member_data

        registry.register(
            registry.MemberDataContributor(name="venues", export=member_data.export_member_venues)
        )
