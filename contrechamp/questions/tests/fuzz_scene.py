"""The API fuzzing scene's questions: one public question of `owner` with an answer by
`caller` and one by `owner`, and a question of `caller`, so that every endpoint has
something to read, vote on and accept."""

from contrechamp.accounts.models import User
from contrechamp.questions import services
from contrechamp.questions.models import Category


def build(*, owner: User, caller: User) -> None:
    category, _ = Category.objects.get_or_create(
        slug="materiel", defaults={"name_fr": "Matériel", "name_en": "Equipment"}
    )
    theirs = services.ask_question(
        actor=owner,
        details=services.QuestionDetails(
            title="Quelle lampe pour un projecteur 16 mm ?",
            body="Une **Bauer P8** de 1975.",
            category=category,
            tags=["16mm", "lampe"],
        ),
    )
    services.answer_question(actor=caller, question=theirs, body="Une lampe halogène 24 V.")
    mine = services.ask_question(
        actor=caller,
        details=services.QuestionDetails(
            title="Comment ranger des bobines au frais ?", body="Dans une cave ?", category=category
        ),
    )
    services.answer_question(actor=owner, question=mine, body="Au sec, surtout.")
