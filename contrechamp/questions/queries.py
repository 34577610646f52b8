"""Reads of questions and answers that the pages and the API share, each with its
`select_related`/`prefetch_related` so that a page's query count is set here, whatever
the number of questions, answers or votes."""

import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe

from contrechamp.accounts.models import User
from contrechamp.accounts.reputation import Reputation, reputation_of
from contrechamp.core.markdown import render_markdown
from contrechamp.core.pagination import LIST_CAP
from contrechamp.networks.models import Network
from contrechamp.questions import permissions
from contrechamp.questions.models import (
    Answer,
    AnswerVote,
    Category,
    Comment,
    Question,
    QuestionVote,
    Revision,
    Tag,
)
from contrechamp.search import engine
from contrechamp.search.models import Document

QUERY_MAX = 100
SORTS = ("newest", "unanswered", "votes")
ANSWERS_PER_PAGE = 20
SEARCH_KIND = "questions"


@dataclass(frozen=True)
class ListFilters:
    q: str = ""
    sort: str = "newest"
    category: str = ""
    tag: str = ""
    network: str = ""

    @classmethod
    def from_query(cls, params: QueryDict) -> "ListFilters":
        def word(name: str, limit: int = QUERY_MAX) -> str:
            return " ".join(params.get(name, "").replace("\x00", "").split())[:limit]

        sort = params.get("sort", "newest")
        return cls(
            q=word("q"),
            sort=sort if sort in SORTS else "newest",
            category=word("category", 60),
            tag=word("tag", 30),
            network=word("network", 140),
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.category or self.tag or self.network)


def _my_vote(model: type[QuestionVote] | type[AnswerVote], field: str, viewer: Any) -> Any:
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return Value(0, output_field=IntegerField())
    votes = model.objects.filter(**{field: OuterRef("pk")}, voter=viewer).values("value")[:1]
    return Subquery(votes, output_field=IntegerField())


def matching_ids(words: str) -> list[int]:
    """Questions whose indexed words (title, text, tags, answers) hold every word typed,
    through the site's French-aware search index; at most `LIST_CAP` of them."""
    terms = engine.terms(words)
    if not terms:
        return []
    found = engine.candidates(terms, [SEARCH_KIND], cap=LIST_CAP)
    if not found:
        return []
    return list(
        Document.objects.filter(pk__in=engine.among([c.id for c in found])).values_list(
            "object_id", flat=True
        )
    )


def question_list(viewer: User | AnonymousUser, filters: ListFilters) -> QuerySet[Question]:
    """Open questions (not closed as duplicates) the viewer may see, filtered and sorted."""
    # The audience as one expression rather than "public OR one of my networks": the
    # planners then walk an order's index and stop at the page instead of gathering every
    # public question through the network index and sorting them.
    questions = (
        Question.objects.alias(audience=Coalesce("network_id", Value(0)))
        .filter(audience__in=[0, *permissions.network_ids(viewer)], duplicate_of__isnull=True)
        .select_related("author", "category", "network")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("slug")))
    )
    if filters.category:
        questions = questions.filter(category__slug=filters.category)
    if filters.tag:
        questions = questions.filter(tags__slug=filters.tag)
    if filters.network:
        questions = questions.filter(network__slug=filters.network)
    if filters.q:
        questions = questions.filter(pk__in=engine.among(matching_ids(filters.q)))
    if filters.sort == "unanswered":
        return questions.filter(answer_count=0).order_by("-pk")
    if filters.sort == "votes":
        return questions.order_by("-score", "-pk")
    return questions.order_by("-pk")


def categories() -> list[Category]:
    return list(Category.objects.all())


def member_networks(viewer: User | AnonymousUser) -> list[Network]:
    """The networks the viewer may ask in or filter by (one query)."""
    ids = permissions.network_ids(viewer)
    if not ids:
        return []
    return list(Network.objects.filter(pk__in=ids).order_by("name"))


def question_page(viewer: User | AnonymousUser, pk: int) -> Question | None:
    """The question as its page shows it, or None when it does not exist or the viewer
    may not see it. A duplicate is returned too: its page leads to the original."""
    question = (
        Question.objects.filter(pk=pk)
        .select_related("author", "category", "network", "duplicate_of")
        .annotate(my_vote=_my_vote(QuestionVote, "question", viewer))
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("slug")),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
        )
        .first()
    )
    if question is None or not permissions.can_see(viewer, question):
        return None
    return question


class KnownCountPaginator(Paginator):  # type: ignore[type-arg]  # generic only in the stubs
    """Pages of a list whose length is already stored (a question's `answer_count`), so
    that showing page 1 of 100,000 answers does not count them."""

    def __init__(self, object_list: QuerySet[Answer], per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known = count

    @cached_property
    def count(self) -> int:
        return self._known


def answers(viewer: User | AnonymousUser, question: Question) -> QuerySet[Answer]:
    """The question's answers, accepted first, then by score, with comments and the
    viewer's vote (the `answer_page_order` index)."""
    return (
        Answer.objects.filter(question=question)
        .select_related("author")
        .annotate(my_vote=_my_vote(AnswerVote, "answer", viewer))
        .prefetch_related(Prefetch("comments", queryset=Comment.objects.select_related("author")))
        .order_by("-is_accepted", "-score", "pk")
    )


def answers_page(viewer: User | AnonymousUser, question: Question, number: str | None) -> Page:  # type: ignore[type-arg]  # generic only in the stubs
    paginator = KnownCountPaginator(
        answers(viewer, question), ANSWERS_PER_PAGE, count=question.answer_count
    )
    return paginator.get_page(number)


def reputations(members: Sequence[User]) -> dict[int, Reputation]:
    return reputation_of([member.pk for member in members])


def answer_for_edit(viewer: User | AnonymousUser, pk: int) -> Answer | None:
    answer = Answer.objects.select_related("question__network", "author").filter(pk=pk).first()
    if answer is None or not permissions.can_see(viewer, answer.question):
        return None
    return answer


@dataclass(frozen=True)
class RevisionView:
    revision: Revision
    # Lines of a unified diff against the previous revision (none for the first).
    diff: list[tuple[str, str]]


def _diff(before: Revision | None, after: Revision) -> list[tuple[str, str]]:
    if before is None:
        return []
    old = (f"# {before.title}\n\n" if before.title else "") + before.body
    new = (f"# {after.title}\n\n" if after.title else "") + after.body
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2)
    shown = []
    for line in list(lines)[2:]:
        kind = "added" if line.startswith("+") else "removed" if line.startswith("-") else ""
        if line.startswith("@@"):
            kind = "hunk"
        shown.append((kind, line))
    return shown


def history(**post: Question | Answer) -> list[RevisionView]:
    """Every revision of the post, newest first, each with its diff to the one before."""
    revisions = list(Revision.objects.filter(**post).select_related("editor").order_by("number"))
    views = [
        RevisionView(revision, _diff(revisions[index - 1] if index else None, revision))
        for index, revision in enumerate(revisions)
    ]
    return list(reversed(views))


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def qa_page_json_ld(question: Question, shown_answers: Sequence[Answer], *, url: str) -> SafeString:
    """schema.org `QAPage` of a public question with the answers shown on its page,
    escaped like `json_script` so that text holding "</script>" cannot close the element."""

    def answer_data(answer: Answer) -> dict[str, object]:
        return {
            "@type": "Answer",
            "text": answer.body,
            "upvoteCount": answer.score,
            "dateCreated": answer.created_at.isoformat(),
            "url": f"{url}#answer-{answer.pk}",
            "author": {"@type": "Person", "name": answer.author.public_name},
        }

    main: dict[str, object] = {
        "@type": "Question",
        "name": question.title,
        "text": question.body,
        "answerCount": question.answer_count,
        "upvoteCount": question.score,
        "dateCreated": question.created_at.isoformat(),
        "author": {"@type": "Person", "name": question.author.public_name},
    }
    accepted = [a for a in shown_answers if a.is_accepted]
    if accepted:
        main["acceptedAnswer"] = answer_data(accepted[0])
    others = [answer_data(a) for a in shown_answers if not a.is_accepted]
    if others:
        main["suggestedAnswer"] = others
    data = {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": main}
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - JSON with <, > and & escaped just above


def rendered(text: str) -> SafeString:
    return render_markdown(text)
