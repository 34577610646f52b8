"""Questions and answers: lists with the site's filters, a question with its answers,
asking, answering, voting and accepting. The same queries and services as the pages: a
network's question is shown only to its members, everywhere."""

from datetime import datetime
from typing import Annotated, Literal

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import StringConstraints

from contrechamp.accounts.models import User
from contrechamp.api import auth
from contrechamp.api.errors import documented, invalid_field
from contrechamp.api.pagination import Page, PageParams, paginate
from contrechamp.api.schemas import NO_NUL, Id, MemberRef, NetworkRef, as_query, site_url
from contrechamp.networks.models import Network
from contrechamp.questions import queries, services
from contrechamp.questions.models import Answer, Category, Question

router = Router(tags=["Questions and answers"])

Title = Annotated[str, StringConstraints(max_length=services.TITLE_MAX, pattern=NO_NUL)]
Body = Annotated[str, StringConstraints(max_length=services.BODY_MAX, pattern=NO_NUL)]
TagWord = Annotated[str, StringConstraints(max_length=services.TAG_MAX, pattern=NO_NUL)]


class CategoryOut(Schema):
    slug: str
    name: str


class QuestionOut(Schema):
    id: int
    title: str
    category: CategoryOut
    tags: list[str]
    network: NetworkRef | None = Field(description="Set for a question its members only see.")
    author: MemberRef
    score: int
    answer_count: int
    accepted_answer_id: int | None
    duplicate_of_id: int | None = Field(
        description="Set when closed as a duplicate: its answers are on that question."
    )
    created_at: datetime
    url: str = Field(description="The question's page on the site.")

    @staticmethod
    def resolve_tags(obj: Question) -> list[str]:
        return [tag.slug for tag in obj.tags.all()]

    @staticmethod
    def resolve_url(obj: Question) -> str:
        return site_url(obj.get_absolute_url())


class QuestionDetailOut(QuestionOut):
    body: str = Field(description="Markdown.")
    edited_at: datetime | None


class AnswerOut(Schema):
    id: int
    question_id: int
    author: MemberRef
    body: str = Field(description="Markdown.")
    score: int
    is_accepted: bool
    created_at: datetime
    edited_at: datetime | None


class QuestionsQuery(Schema):
    q: str = Field("", max_length=100, description="Words of the question or its answers.")
    sort: Literal["newest", "unanswered", "votes"] = "newest"
    category: str = Field("", max_length=60, description="A category's slug.")
    tag: str = Field("", max_length=30, description="A tag.")
    network: str = Field("", max_length=140, description="Questions of this network (slug).")


class QuestionIn(Schema):
    title: Title
    body: Body = Field(description="Markdown.")
    category: str = Field(max_length=60, description="A category's slug.")
    tags: list[TagWord] = Field(default_factory=list, max_length=services.TAGS_MAX)
    network: str | None = Field(
        None, max_length=140, description="A network's slug: only its members will see it."
    )


class AnswerIn(Schema):
    body: Body = Field(description="Markdown.")


class VoteIn(Schema):
    value: int = Field(
        strict=True, ge=-1, le=1, description="1 useful, -1 not useful, 0 takes it back."
    )


class ScoreOut(Schema):
    score: int


def _question(viewer: User | AnonymousUser, pk: int) -> Question:
    question = queries.question_page(viewer, pk)
    if question is None:
        raise Http404
    return question


def _answer(viewer: User | AnonymousUser, pk: int) -> Answer:
    answer = queries.answer_for_edit(viewer, pk)
    if answer is None:
        raise Http404
    return answer


@router.get(
    "/questions",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: Page[QuestionOut], **documented(401, 422)},
)
def list_questions(
    request: HttpRequest, filters: Query[QuestionsQuery], page: Query[PageParams]
) -> dict[str, object]:
    """Open questions the caller may see (not those closed as duplicates): newest first,
    unanswered only, or most voted."""
    found = queries.ListFilters.from_query(as_query(filters.model_dump()))
    return paginate(queries.question_list(auth.viewer(request), found), page)


@router.get(
    "/questions/categories",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: list[CategoryOut], **documented(401)},
)
def list_categories(request: HttpRequest) -> list[Category]:
    """The categories a question belongs to."""
    return queries.categories()


@router.get(
    "/questions/{question_id}",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: QuestionDetailOut, **documented(401, 404, 422)},
)
def get_question(request: HttpRequest, question_id: Id) -> Question:
    """A question; 404 when it is not shown to the caller."""
    return _question(auth.viewer(request), question_id)


@router.get(
    "/questions/{question_id}/answers",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: Page[AnswerOut], **documented(401, 404, 422)},
)
def list_answers(
    request: HttpRequest, question_id: Id, page: Query[PageParams]
) -> dict[str, object]:
    """The question's answers: the accepted one first, then by score."""
    viewer = auth.viewer(request)
    question = _question(viewer, question_id)
    return paginate(queries.answers(viewer, question), page)


@router.post(
    "/questions",
    auth=auth.WRITE,
    response={201: QuestionDetailOut, **documented(400, 401, 403, 404, 422)},
)
def ask_question(request: HttpRequest, payload: QuestionIn) -> Status[Question]:
    """Ask a question, public or for one of the caller's networks."""
    actor = auth.member(request)
    category = Category.objects.filter(slug=payload.category).first()
    if category is None:
        raise invalid_field("category", _("No category has this slug."))
    network = None
    if payload.network:
        network = get_object_or_404(Network, slug=payload.network)
    details = services.QuestionDetails(
        title=payload.title, body=payload.body, category=category, tags=payload.tags
    )
    question = services.ask_question(actor=actor, details=details, network=network)
    return Status(201, _question(actor, question.pk))


@router.post(
    "/questions/{question_id}/answers",
    auth=auth.WRITE,
    response={201: AnswerOut, **documented(400, 401, 403, 404, 409, 422)},
)
def answer_question(request: HttpRequest, question_id: Id, payload: AnswerIn) -> Status[Answer]:
    """Answer a question; its asker is notified."""
    actor = auth.member(request)
    question = _question(actor, question_id)
    answer = services.answer_question(actor=actor, question=question, body=payload.body)
    return Status(201, answer)


@router.put(
    "/questions/{question_id}/vote",
    auth=auth.WRITE,
    response={200: ScoreOut, **documented(400, 401, 403, 404, 409, 422)},
)
def vote_question(request: HttpRequest, question_id: Id, payload: VoteIn) -> Question:
    """Vote on a question (not one's own); voting again replaces the vote."""
    actor = auth.member(request)
    question = _question(actor, question_id)
    return services.vote_question(actor=actor, question=question, value=payload.value)


@router.put(
    "/questions/answers/{answer_id}/vote",
    auth=auth.WRITE,
    response={200: ScoreOut, **documented(400, 401, 403, 404, 409, 422)},
)
def vote_answer(request: HttpRequest, answer_id: Id, payload: VoteIn) -> Answer:
    """Vote on an answer (not one's own); voting again replaces the vote."""
    actor = auth.member(request)
    answer = _answer(actor, answer_id)
    return services.vote_answer(actor=actor, answer=answer, value=payload.value)


@router.post(
    "/questions/answers/{answer_id}/accept",
    auth=auth.WRITE,
    response={200: AnswerOut, **documented(401, 403, 404, 409, 422)},
)
def accept_answer(request: HttpRequest, answer_id: Id) -> Answer:
    """The asker accepts this answer (replacing an earlier choice); accepting the accepted
    answer again takes the acceptance back (`is_accepted` false)."""
    actor = auth.member(request)
    answer = _answer(actor, answer_id)
    return services.accept_answer(actor=actor, answer=answer)
