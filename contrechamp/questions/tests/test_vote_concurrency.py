"""Real threads released together: the stored score always equals the sum of the votes.
On PostgreSQL the voters queue on the post's row lock; on SQLite on the write lock, with
`serialised` retrying (see mentoring's concurrency tests for the in-memory database)."""

import pytest
from django.db import connection
from zeal import zeal_ignore

from contrechamp.core import transactions
from contrechamp.events.tests.test_rsvp_concurrency import (
    SQLITE_RETRIES_FOR_BUSY_TIMEOUT,
    crowd,
    run_at_once,
)
from contrechamp.questions import services
from contrechamp.questions.models import AnswerVote, QuestionVote
from contrechamp.questions.tests.conftest import answer, ask, refresh

pytestmark = pytest.mark.django_db(transaction=True)

VOTERS = 20


@pytest.fixture(autouse=True)
def _sqlite_waits_like_its_file_database(monkeypatch):
    if connection.vendor == "sqlite":
        monkeypatch.setattr(transactions, "LOCK_RETRIES", SQLITE_RETRIES_FOR_BUSY_TIMEOUT)


def test_simultaneous_votes_on_a_question_keep_its_score_exact(member):
    question = ask(member)
    people = crowd(VOTERS)

    outcomes = run_at_once(
        VOTERS,
        lambda n: services.vote_question(
            actor=people[n], question=question, value=1 if n % 4 else -1
        ),
    )

    assert outcomes == ["ok"] * VOTERS
    with zeal_ignore():
        total = sum(QuestionVote.objects.values_list("value", flat=True))
    assert refresh(question).score == total == 15 - 5


def test_simultaneous_votes_on_an_answer_keep_its_score_exact(member, other_member):
    reply = answer(other_member, ask(member))
    people = crowd(VOTERS)

    outcomes = run_at_once(
        VOTERS, lambda n: services.vote_answer(actor=people[n], answer=reply, value=1)
    )

    assert outcomes == ["ok"] * VOTERS
    assert refresh(reply).score == AnswerVote.objects.count() == VOTERS
