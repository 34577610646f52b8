"""Everything a member does with questions and answers. Each function checks who acts
before changing anything, runs in one transaction, and queues its side effects
(notifications are recorded in the transaction; search indexing runs after the commit)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.core.errors import DomainError, InvalidTransition
from contrechamp.core.transactions import serialised
from contrechamp.networks.models import Network
from contrechamp.networks.permissions import ensure_can_act
from contrechamp.notifications.services import in_language_of, notify
from contrechamp.questions import permissions
from contrechamp.questions.models import (
    Answer,
    AnswerVote,
    Category,
    Comment,
    Question,
    QuestionTag,
    QuestionVote,
    Revision,
    Tag,
)
from contrechamp.search.services import reindex_on_commit

TITLE_MIN = 8
TITLE_MAX = 200
BODY_MAX = 20_000
COMMENT_MAX = 1_000
TAGS_MAX = 5
TAG_MAX = 30
SEARCH_KIND = "questions"


@dataclass(frozen=True)
class QuestionDetails:
    title: str
    body: str
    category: Category
    tags: Sequence[str] = ()


def _text(value: str, *, label: str, maximum: int, minimum: int = 1) -> str:
    cleaned = value.replace("\x00", "").strip()
    if len(cleaned) < minimum:
        if minimum <= 1:
            raise DomainError(_("%(field)s cannot be empty.") % {"field": label})
        raise DomainError(
            _("%(field)s needs at least %(min)d characters.") % {"field": label, "min": minimum}
        )
    if len(cleaned) > maximum:
        raise DomainError(
            _("%(field)s is too long: %(max)d characters at most (it has %(count)d).")
            % {"field": label, "max": maximum, "count": len(cleaned)}
        )
    return cleaned


def normalise_tags(words: Sequence[str]) -> list[str]:
    """Tags as stored: lower case, no accents, words joined by hyphens, each once."""
    found: list[str] = []
    for word in words:
        raw = word.strip()
        if not raw:
            continue
        if len(raw) > TAG_MAX:
            raise DomainError(
                _("A tag has %(max)d characters at most: “%(tag)s” is too long.")
                % {"max": TAG_MAX, "tag": raw[:40]}
            )
        slug = slugify(raw)[:TAG_MAX].strip("-")
        if slug and slug not in found:
            found.append(slug)
    if len(found) > TAGS_MAX:
        raise DomainError(_("A question has %(max)d tags at most.") % {"max": TAGS_MAX})
    return found


def _set_tags(question: Question, slugs: Sequence[str]) -> None:
    existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=slugs)}
    missing = [Tag(slug=slug) for slug in slugs if slug not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=slugs)}
    QuestionTag.objects.filter(question=question).exclude(tag__slug__in=list(slugs)).delete()
    QuestionTag.objects.bulk_create(
        [QuestionTag(question=question, tag=existing[slug]) for slug in slugs],
        ignore_conflicts=True,
    )


def _clean_details(details: QuestionDetails) -> tuple[str, str, list[str]]:
    title = _text(details.title, label=_("The title"), maximum=TITLE_MAX, minimum=TITLE_MIN)
    body = _text(details.body, label=_("The question"), maximum=BODY_MAX)
    return title, body, normalise_tags(details.tags)


def _ensure_can_post(actor: User, network: Network | None) -> None:
    if not actor.is_authenticated or not actor.is_active or actor.is_deleted:
        raise PermissionDenied(_("Sign in to take part."))
    if network is not None:
        ensure_can_act(actor, network)


@transaction.atomic
def ask_question(
    *, actor: User, details: QuestionDetails, network: Network | None = None
) -> Question:
    """Ask a question, public or (with `network`) for that network's members only."""
    _ensure_can_post(actor, network)
    title, body, tags = _clean_details(details)
    question = Question.objects.create(
        author=actor, category=details.category, network=network, title=title, body=body
    )
    _set_tags(question, tags)
    Revision.objects.create(question=question, number=1, editor=actor, title=title, body=body)
    reindex_on_commit(SEARCH_KIND, [question.pk])
    return question


def _next_number(**post: Question | Answer) -> int:
    last = Revision.objects.filter(**post).order_by("-number").values_list("number", flat=True)
    return (last.first() or 0) + 1


@transaction.atomic
def edit_question(*, actor: User, question: Question, details: QuestionDetails) -> Question:
    """The author, or a moderator, rewrites the question; the old text stays in its history."""
    question = _open_question(question.pk)
    permissions.ensure_can_edit_question(actor, question)
    title, body, tags = _clean_details(details)
    changed = (title, body, details.category.pk) != (
        question.title,
        question.body,
        question.category_id,
    )
    if changed:
        question.title, question.body, question.category = title, body, details.category
        question.edited_at = timezone.now()
        question.save(update_fields=["title", "body", "category", "edited_at"])
        Revision.objects.create(
            question=question,
            number=_next_number(question=question),
            editor=actor,
            title=title,
            body=body,
        )
    _set_tags(question, tags)
    reindex_on_commit(SEARCH_KIND, [question.pk])
    return question


def _open_question(question_id: int) -> Question:
    """The question, locked, with its author and network."""
    return (
        Question.objects.select_for_update(of=("self",))
        .select_related("author", "network")
        .get(pk=question_id)
    )


@transaction.atomic
def answer_question(*, actor: User, question: Question, body: str) -> Answer:
    """Answer a question the actor may see; its asker hears of it."""
    question = _open_question(question.pk)
    _ensure_can_post(actor, question.network)
    permissions.ensure_can_see(actor, question)
    if question.is_duplicate:
        raise InvalidTransition(_("This question is closed: answer the original one."))
    text = _text(body, label=_("The answer"), maximum=BODY_MAX)
    answer = Answer.objects.create(question=question, author=actor, body=text)
    Revision.objects.create(answer=answer, number=1, editor=actor, body=text)
    question.answer_count = Answer.objects.filter(question=question).count()
    question.save(update_fields=["answer_count"])
    asker = question.author
    with in_language_of(asker):
        notify(
            recipient=asker,
            kind="questions.answer",
            title=_("%(name)s answered your question “%(title)s”")
            % {"name": actor.public_name, "title": question.title},
            body=text[:300],
            url=answer.get_absolute_url(),
            actor=actor,
        )
    reindex_on_commit(SEARCH_KIND, [question.pk])
    return answer


@transaction.atomic
def edit_answer(*, actor: User, answer: Answer, body: str) -> Answer:
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("question__network")
        .get(pk=answer.pk)
    )
    permissions.ensure_can_edit_answer(actor, answer)
    text = _text(body, label=_("The answer"), maximum=BODY_MAX)
    if text != answer.body:
        answer.body = text
        answer.edited_at = timezone.now()
        answer.save(update_fields=["body", "edited_at"])
        Revision.objects.create(
            answer=answer, number=_next_number(answer=answer), editor=actor, body=text
        )
        reindex_on_commit(SEARCH_KIND, [answer.question_id])
    return answer


def _vote_value(value: int) -> int:
    if value not in (1, 0, -1):
        raise DomainError(_("A vote is +1, -1, or 0 to take it back."))
    return value


@serialised
def vote_question(*, actor: User, question: Question, value: int) -> Question:
    """Vote a question up (1) or down (-1), change one's vote, or take it back (0). The
    score is recounted from the votes while the question's row is locked."""
    value = _vote_value(value)
    question = _open_question(question.pk)
    _ensure_can_post(actor, question.network)
    permissions.ensure_can_see(actor, question)
    if question.author_id == actor.pk:
        raise DomainError(_("You cannot vote on your own question."))
    if value:
        QuestionVote.objects.update_or_create(
            question=question, voter=actor, defaults={"value": value}
        )
    else:
        QuestionVote.objects.filter(question=question, voter=actor).delete()
    total = QuestionVote.objects.filter(question=question).aggregate(total=Sum("value"))["total"]
    question.score = total or 0
    question.save(update_fields=["score"])
    return question


@serialised
def vote_answer(*, actor: User, answer: Answer, value: int) -> Answer:
    """`vote_question` for an answer; the lock is the answer's row."""
    value = _vote_value(value)
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("question__network")
        .get(pk=answer.pk)
    )
    _ensure_can_post(actor, answer.question.network)
    permissions.ensure_can_see(actor, answer.question)
    if answer.author_id == actor.pk:
        raise DomainError(_("You cannot vote on your own answer."))
    if value:
        AnswerVote.objects.update_or_create(
            answer=answer,
            voter=actor,
            defaults={"value": value, "recipient_id": answer.author_id},
        )
    else:
        AnswerVote.objects.filter(answer=answer, voter=actor).delete()
    total = AnswerVote.objects.filter(answer=answer).aggregate(total=Sum("value"))["total"]
    answer.score = total or 0
    answer.save(update_fields=["score"])
    return answer


@transaction.atomic
def accept_answer(*, actor: User, answer: Answer) -> Answer:
    """The asker accepts one answer (replacing an earlier choice); its author hears of it.
    Accepting the accepted answer again takes the acceptance back."""
    answer = Answer.objects.select_related("author").get(pk=answer.pk)
    question = _open_question(answer.question_id)
    if question.author_id != actor.pk:
        raise PermissionDenied(_("Only the person who asked can accept an answer."))
    if question.is_duplicate:
        raise InvalidTransition(_("This question is closed: answers are on the original one."))
    Answer.objects.filter(question=question, is_accepted=True).update(is_accepted=False)
    if question.accepted_answer_id == answer.pk:
        question.accepted_answer = None
        question.save(update_fields=["accepted_answer"])
        answer.is_accepted = False
        return answer
    answer.is_accepted = True
    answer.save(update_fields=["is_accepted"])
    question.accepted_answer = answer
    question.save(update_fields=["accepted_answer"])
    with in_language_of(answer.author):
        notify(
            recipient=answer.author,
            kind="questions.accepted",
            title=_("Your answer to “%(title)s” was accepted") % {"title": question.title},
            url=answer.get_absolute_url(),
            actor=actor,
        )
    return answer


def _comment(actor: User, question: Question, body: str) -> str:
    _ensure_can_post(actor, question.network)
    permissions.ensure_can_see(actor, question)
    return _text(body, label=_("The comment"), maximum=COMMENT_MAX)


def _tell_comment(comment: Comment, recipient: User, actor: User, question: Question) -> None:
    post: Question | Answer = comment.answer if comment.answer is not None else question
    with in_language_of(recipient):
        notify(
            recipient=recipient,
            kind="questions.comment",
            title=_("%(name)s commented on your post in “%(title)s”")
            % {"name": actor.public_name, "title": question.title},
            body=comment.body[:300],
            url=post.get_absolute_url(),
            actor=actor,
        )


@transaction.atomic
def comment_question(*, actor: User, question: Question, body: str) -> Comment:
    question = Question.objects.select_related("author", "network").get(pk=question.pk)
    text = _comment(actor, question, body)
    comment = Comment.objects.create(question=question, author=actor, body=text)
    _tell_comment(comment, question.author, actor, question)
    return comment


@transaction.atomic
def comment_answer(*, actor: User, answer: Answer, body: str) -> Comment:
    answer = Answer.objects.select_related("author", "question__network").get(pk=answer.pk)
    text = _comment(actor, answer.question, body)
    comment = Comment.objects.create(answer=answer, author=actor, body=text)
    _tell_comment(comment, answer.author, actor, answer.question)
    return comment


@transaction.atomic
def close_as_duplicate(*, actor: User, question: Question, original: Question) -> Question:
    """A moderator closes `question` as a duplicate of `original`: its answers and
    comments move to the original (keeping their votes, losing any acceptance, which is
    the original asker's to give); its address then leads to the original."""
    first, second = sorted([question.pk, original.pk])
    locked = {
        q.pk: q
        for q in Question.objects.select_for_update(of=("self",))
        .select_related("network")
        .filter(pk__in=[first, second])
        .order_by("pk")
    }
    if question.pk == original.pk:
        raise DomainError(_("A question cannot be a duplicate of itself."))
    question, original = locked[question.pk], locked[original.pk]
    permissions.ensure_moderator(actor, question)
    if question.is_duplicate:
        raise InvalidTransition(_("This question is already closed as a duplicate."))
    if original.is_duplicate:
        raise DomainError(_("That question is itself closed: choose the one it points to."))
    if original.network_id is not None and original.network_id != question.network_id:
        raise DomainError(
            _(
                "The original must be public or in the same network, so that everyone who saw "
                "this question can read it."
            )
        )
    moved = Answer.objects.filter(question=question)
    moved.update(question=original, is_accepted=False)
    Comment.objects.filter(question=question).update(question=original)
    question.duplicate_of = original
    question.closed_by = actor
    question.closed_at = timezone.now()
    question.accepted_answer = None
    question.answer_count = 0
    question.save(
        update_fields=["duplicate_of", "closed_by", "closed_at", "accepted_answer", "answer_count"]
    )
    original.answer_count = Answer.objects.filter(question=original).count()
    original.save(update_fields=["answer_count"])
    reindex_on_commit(SEARCH_KIND, [question.pk, original.pk])
    return question
