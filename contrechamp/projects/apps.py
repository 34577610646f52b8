from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "contrechamp.projects"
    label = "projects"
    verbose_name = _("Creative projects")

    def ready(self) -> None:
        from contrechamp.accounts import registry
        from contrechamp.notifications.kinds import Delivery, Kind, register
        from contrechamp.projects import member_data

        for slug, label, delivery in (
            (
                "application_received",
                _("Someone applies to a role call of your project"),
                Delivery.IMMEDIATE,
            ),
            (
                "application_decided",
                _("Your application to a role call is shortlisted, accepted or declined"),
                Delivery.IMMEDIATE,
            ),
            ("invited", _("A project invites you to apply to a role call"), Delivery.IMMEDIATE),
            ("team_joined", _("You are added to a project's team"), Delivery.IMMEDIATE),
            ("call_sheet", _("A call sheet calls you on a shooting day"), Delivery.IMMEDIATE),
            ("task_assigned", _("A task of a project is assigned to you"), Delivery.DIGEST),
        ):
            register(Kind(slug=f"projects.{slug}", label=label, default_delivery=delivery))

        registry.register(
            registry.MemberDataContributor(
                name="projects",
                export=member_data.export_member_projects,
                anonymise=member_data.withdraw_member_projects,
            )
        )
