from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "contrechamp.stories"
    label = "stories"
    verbose_name = _("Community stories")

    def ready(self) -> None:
        from contrechamp.accounts import registry
        from contrechamp.notifications.kinds import Delivery, Kind, register
        from contrechamp.stories import member_data

        for slug, label, delivery in (
            (
                "tag_request",
                _("Someone names you in a story and asks whether you agree"),
                Delivery.IMMEDIATE,
            ),
            ("comment", _("Someone comments on your story"), Delivery.DIGEST),
            (
                "endorsement",
                _("Someone recommends a network you run"),
                Delivery.DIGEST,
            ),
        ):
            register(Kind(slug=f"stories.{slug}", label=label, default_delivery=delivery))
        registry.register(
            registry.MemberDataContributor(
                name="stories",
                export=member_data.export_member_stories,
                anonymise=member_data.remove_member_stories,
            )
        )
