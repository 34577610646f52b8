"""Practical questions and answers: categories, tags, questions scoped to everyone or to
one network, answers, votes, comments and the history of every edit.

Scores and answer counts are stored on the rows so that lists sort and page on an index;
the services recompute them from the votes and answers inside the transaction that
changed them, while holding the row's lock.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contrechamp.networks.models import Network


class Category(models.Model):
    """A seeded area of know-how (migration 0001): finding a print, formats, rights…"""

    slug = models.SlugField(max_length=60, unique=True)
    name_fr = models.CharField(max_length=80)
    name_en = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["position", "slug"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class Tag(models.Model):
    """A free word members attach to questions, kept normalised (see `tags.normalise`)."""

    slug = models.SlugField(max_length=30, unique=True)

    class Meta:
        ordering: ClassVar = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.slug


class Question(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="questions")
    # None: public. Otherwise only the network's active members see it, everywhere.
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, related_name="questions"
    )
    title = models.CharField(max_length=200)
    body = models.TextField()
    tags = models.ManyToManyField(Tag, through="QuestionTag", related_name="questions")
    score = models.IntegerField(default=0)
    answer_count = models.PositiveIntegerField(default=0)
    accepted_answer = models.ForeignKey(
        "Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        # The lists read open questions (not closed as duplicates) newest first, most
        # voted, or unanswered; each order has its index.
        indexes: ClassVar = [
            models.Index(
                F("id").desc(), name="question_open_newest", condition=Q(duplicate_of=None)
            ),
            models.Index(
                F("score").desc(),
                F("id").desc(),
                name="question_open_score",
                condition=Q(duplicate_of=None),
            ),
            models.Index(
                F("id").desc(),
                name="question_unanswered",
                condition=Q(duplicate_of=None, answer_count=0),
            ),
            models.Index("category", F("id").desc(), name="question_category_newest"),
            models.Index("network", F("id").desc(), name="question_network_newest"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~Q(duplicate_of=F("id")), name="question_not_duplicate_of_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("questions:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.network_id is None

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of_id is not None


class QuestionTag(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tag", "question"], name="question_tag_once"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}:{self.tag_id}"


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answers"
    )
    body = models.TextField()
    score = models.IntegerField(default=0)
    # Mirrors `question.accepted_answer`, so that the page orders on one index.
    is_accepted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes: ClassVar = [
            models.Index(
                "question",
                F("is_accepted").desc(),
                F("score").desc(),
                "id",
                name="answer_page_order",
            ),
            models.Index("author", "is_accepted", name="answer_author_accepted"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["question"], condition=Q(is_accepted=True), name="one_accepted_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.title} ({self.pk})"

    def get_absolute_url(self) -> str:
        return f"{reverse('questions:detail', args=[self.question_id])}#answer-{self.pk}"


class Vote(models.IntegerChoices):
    UP = 1, _("Useful")
    DOWN = -1, _("Not useful")


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(choices=Vote.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["question", "voter"], name="question_vote_once"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="question_vote_value"),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} on question {self.question_id}"


class AnswerVote(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The answer's author, copied so that reputation counts votes received on one index.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    value = models.SmallIntegerField(choices=Vote.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["answer", "voter"], name="answer_vote_once"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="answer_vote_value"),
        ]
        indexes: ClassVar = [models.Index("recipient", "value", name="answer_vote_recipient")]

    def __str__(self) -> str:
        return f"{self.value:+d} on answer {self.answer_id}"


class Comment(models.Model):
    """A short remark under a question or an answer (exactly one of them)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="question_comments"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="comment_on_one_post",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class Revision(models.Model):
    """One version of a question or an answer; the first is the post as written."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["number"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="revision_of_one_post",
            ),
            models.UniqueConstraint(
                fields=["question", "number"],
                condition=Q(question__isnull=False),
                name="question_revision_number",
            ),
            models.UniqueConstraint(
                fields=["answer", "number"],
                condition=Q(answer__isnull=False),
                name="answer_revision_number",
            ),
        ]

    def __str__(self) -> str:
        return f"version {self.number}"
