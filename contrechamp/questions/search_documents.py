"""What the site's one search finds among questions: open questions (not closed as
duplicates) by their title, text, tags and the words of their answers; a network's
questions only for its members (see `contrechamp.search.registry`)."""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext_lazy as _

from contrechamp.questions.models import Answer, Question, QuestionTag
from contrechamp.search import registry

# How much of the answers' text a question's document keeps: enough to find it by a
# word of a good answer, bounded so that a question with 10,000 answers stays small.
ANSWERS_KEPT = 30
ANSWER_CHARS = 2_000


def question_entries(ids: Sequence[int]) -> Iterable[registry.Entry]:
    questions = list(
        Question.objects.filter(pk__in=ids, duplicate_of__isnull=True).only(
            "pk", "title", "body", "network_id"
        )
    )
    found = [q.pk for q in questions]
    tags: dict[int, list[str]] = defaultdict(list)
    for question_id, slug in QuestionTag.objects.filter(question_id__in=found).values_list(
        "question_id", "tag__slug"
    ):
        tags[question_id].append(slug.replace("-", " "))
    answers: dict[int, list[str]] = defaultdict(list)
    for question_id, body in (
        Answer.objects.filter(question_id__in=found)
        .order_by("question_id", "-is_accepted", "-score", "pk")
        .values_list("question_id", "body")
    ):
        if len(answers[question_id]) < ANSWERS_KEPT:
            answers[question_id].append(body[:ANSWER_CHARS])
    for question in questions:
        yield registry.Entry(
            object_id=question.pk,
            title=question.title,
            url=question.get_absolute_url(),
            words=[question.title, question.body, *tags[question.pk], *answers[question.pk]],
            text=" ".join(question.body.split())[:200],
            is_public=question.network_id is None,
            network_id=question.network_id,
        )


def register_search() -> None:
    registry.register(
        registry.Provider(
            kind="questions",
            label=_("Questions and answers"),
            position=70,
            entries=question_entries,
            all_ids=lambda: Question.objects.filter(duplicate_of__isnull=True).values_list(
                "pk", flat=True
            ),
        )
    )
