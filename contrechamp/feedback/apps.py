from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "contrechamp.feedback"
    label = "feedback"
    verbose_name = _("Screenplay and cut feedback")

    def ready(self) -> None:
        from contrechamp.accounts import registry
        from contrechamp.feedback import member_data
        from contrechamp.notifications.kinds import Delivery, Kind, register

        for slug, label, delivery in (
            (
                "comment",
                _("Someone comments on the screenplay or a cut of a project you are on"),
                Delivery.DIGEST,
            ),
            (
                "reply",
                _("Someone replies to your comment on a screenplay or a cut"),
                Delivery.IMMEDIATE,
            ),
            (
                "request",
                _("A project asks for your feedback on its screenplay or cut"),
                Delivery.IMMEDIATE,
            ),
        ):
            register(Kind(slug=f"feedback.{slug}", label=label, default_delivery=delivery))

        registry.register(
            registry.MemberDataContributor(
                name="feedback",
                export=member_data.export_member_feedback,
                anonymise=member_data.withdraw_member_feedback,
            )
        )
