"""Reputation points earned in questions and answers (see `accounts.reputation`).

- An accepted answer: `ACCEPTED_ANSWER` points, unless the member answered their own
  question.
- A useful (+1) vote received: `ANSWER_UP_VOTE` points on an answer, `QUESTION_UP_VOTE`
  on a question. Down votes take nothing away: reputation counts help given.

Each source is one query for the whole set of members.
"""

from collections.abc import Mapping, Sequence

from django.db.models import Count, F

from contrechamp.questions.models import Answer, AnswerVote, QuestionVote, Vote

ACCEPTED_ANSWER = 15
ANSWER_UP_VOTE = 10
QUESTION_UP_VOTE = 5


def accepted_answer_points(user_ids: Sequence[int]) -> Mapping[int, int]:
    rows = (
        Answer.objects.filter(author_id__in=list(user_ids), is_accepted=True)
        .exclude(question__author_id=F("author_id"))
        .values("author_id")
        .annotate(count=Count("pk"))
        .values_list("author_id", "count")
    )
    return {author_id: count * ACCEPTED_ANSWER for author_id, count in rows}


def useful_vote_points(user_ids: Sequence[int]) -> Mapping[int, int]:
    ids = list(user_ids)
    points: dict[int, int] = {}
    on_answers = (
        AnswerVote.objects.filter(recipient_id__in=ids, value=Vote.UP)
        .values("recipient_id")
        .annotate(count=Count("pk"))
        .values_list("recipient_id", "count")
    )
    for user_id, count in on_answers:
        points[user_id] = count * ANSWER_UP_VOTE
    on_questions = (
        QuestionVote.objects.filter(question__author_id__in=ids, value=Vote.UP)
        .values("question__author_id")
        .annotate(count=Count("pk"))
        .values_list("question__author_id", "count")
    )
    for user_id, count in on_questions:
        points[user_id] = points.get(user_id, 0) + count * QUESTION_UP_VOTE
    return points
