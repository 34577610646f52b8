from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "contrechamp.mentoring"
    label = "mentoring"
    verbose_name = _("Skills and mentoring")

    def ready(self) -> None:
        from contrechamp.accounts import registry
        from contrechamp.core import periodic
        from contrechamp.mentoring import member_data, services
        from contrechamp.notifications.kinds import Delivery, Kind, register

        for slug, label, delivery in (
            (
                "request_received",
                _("Someone asks you for a mentorship, or offers to mentor you"),
                Delivery.IMMEDIATE,
            ),
            (
                "request_answered",
                _("Your mentorship request is accepted or declined"),
                Delivery.IMMEDIATE,
            ),
            (
                "check_in",
                _("A mentorship you take part in asks how it is going"),
                Delivery.IMMEDIATE,
            ),
            ("ended", _("A mentorship you take part in ends"), Delivery.DIGEST),
        ):
            register(Kind(slug=f"mentoring.{slug}", label=label, default_delivery=delivery))

        periodic.register(
            periodic.Job(
                name="mentoring.check_ins",
                every=timedelta(hours=1),
                run=services.send_check_ins,
            )
        )
        registry.register(
            registry.MemberDataContributor(
                name="mentoring",
                export=member_data.export_member_mentoring,
                anonymise=member_data.withdraw_member_mentoring,
            )
        )
