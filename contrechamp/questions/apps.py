from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "contrechamp.questions"
    label = "questions"
    verbose_name = _("Questions and answers")

    def ready(self) -> None:
        from contrechamp.accounts import registry, reputation
        from contrechamp.notifications.kinds import Delivery, Kind, register
        from contrechamp.questions import member_data
        from contrechamp.questions import reputation as points

        for slug, label, delivery in (
            ("answer", _("Someone answers your question"), Delivery.IMMEDIATE),
            ("accepted", _("The asker accepts your answer"), Delivery.IMMEDIATE),
            ("comment", _("Someone comments on your question or answer"), Delivery.DIGEST),
        ):
            register(Kind(slug=f"questions.{slug}", label=label, default_delivery=delivery))

        reputation.register(
            reputation.Source(
                name="questions.accepted_answers",
                label=_("Accepted answers"),
                points=points.accepted_answer_points,
            )
        )
        reputation.register(
            reputation.Source(
                name="questions.useful_votes",
                label=_("Useful votes on answers and questions"),
                points=points.useful_vote_points,
            )
        )
        registry.register(
            registry.MemberDataContributor(
                name="questions",
                export=member_data.export_member_questions,
            )
        )
