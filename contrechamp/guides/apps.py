from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    name = "contrechamp.guides"
    label = "guides"
    verbose_name = _("Guides and technical sheets")

    def ready(self) -> None:
        from contrechamp.accounts import registry, reputation
        from contrechamp.guides import member_data
        from contrechamp.notifications.kinds import Delivery, Kind, register

        register(
            Kind(
                slug="guides.edited",
                label=_("Another editor changes a guide you edit"),
                default_delivery=Delivery.DIGEST,
            )
        )
        register(
            Kind(
                slug="guides.editor_added",
                label=_("You are added as an editor of a guide"),
                default_delivery=Delivery.IMMEDIATE,
            )
        )
        registry.register(
            registry.MemberDataContributor(
                name="guides",
                export=member_data.export_member_guides,
                anonymise=member_data.withdraw_member_guides,
            )
        )
        reputation.register(
            reputation.Source(
                name="guides.helped",
                label=_("Guides that helped others"),
                points=member_data.helped_points,
            )
        )
