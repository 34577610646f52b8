import pytest
from django.core.exceptions import PermissionDenied

from contrechamp.core.errors import DomainError
from contrechamp.notifications.models import Notification
from contrechamp.questions import services
from contrechamp.questions.models import AnswerVote, QuestionVote
from contrechamp.questions.tests.conftest import answer, refresh

pytestmark = pytest.mark.django_db


def test_a_vote_counts_once_and_can_change_or_be_taken_back(other_member, question):
    services.vote_question(actor=other_member, question=question, value=1)
    services.vote_question(actor=other_member, question=question, value=1)
    assert refresh(question).score == 1

    services.vote_question(actor=other_member, question=question, value=-1)
    assert refresh(question).score == -1
    assert QuestionVote.objects.count() == 1

    services.vote_question(actor=other_member, question=question, value=0)
    assert refresh(question).score == 0
    assert not QuestionVote.objects.exists()


def test_nobody_votes_on_their_own_posts(member, other_member, question):
    reply = answer(other_member, question)

    with pytest.raises(DomainError, match="own question"):
        services.vote_question(actor=member, question=question, value=1)
    with pytest.raises(DomainError, match="own answer"):
        services.vote_answer(actor=other_member, answer=reply, value=1)

    assert not QuestionVote.objects.exists()
    assert not AnswerVote.objects.exists()


def test_a_vote_of_any_other_value_is_refused(other_member, question):
    with pytest.raises(DomainError):
        services.vote_question(actor=other_member, question=question, value=5)

    assert refresh(question).score == 0


def test_answer_scores_add_up_the_votes(member, other_member, outsider, question):
    reply = answer(other_member, question)

    services.vote_answer(actor=member, answer=reply, value=1)
    services.vote_answer(actor=outsider, answer=reply, value=1)
    services.vote_answer(actor=outsider, answer=reply, value=-1)

    assert refresh(reply).score == 0
    assert AnswerVote.objects.get(voter=member).recipient == other_member


def test_the_asker_accepts_one_answer_and_may_change_it(member, other_member, outsider, question):
    first = answer(other_member, question, "Congélation.")
    second = answer(outsider, question, "Tamis moléculaire.")

    services.accept_answer(actor=member, answer=first)
    services.accept_answer(actor=member, answer=second)

    assert refresh(question).accepted_answer == second
    assert not refresh(first).is_accepted
    assert refresh(second).is_accepted
    assert Notification.objects.filter(kind="questions.accepted").count() == 2

    services.accept_answer(actor=member, answer=second)
    assert refresh(question).accepted_answer is None
    assert not refresh(second).is_accepted


def test_only_the_asker_accepts(other_member, outsider, question):
    reply = answer(other_member, question)

    with pytest.raises(PermissionDenied):
        services.accept_answer(actor=outsider, answer=reply)
    with pytest.raises(PermissionDenied):
        services.accept_answer(actor=other_member, answer=reply)

    assert not refresh(reply).is_accepted


def test_the_asker_hears_of_answers_and_authors_of_comments(member, other_member, question):
    reply = answer(other_member, question)
    services.comment_answer(actor=member, answer=reply, body="Merci, et pour le 35 mm ?")
    services.comment_question(actor=other_member, question=question, body="Quelle marque ?")

    kinds = sorted(Notification.objects.values_list("recipient__username", "kind"))
    assert kinds == [
        ("juliette", "questions.answer"),
        ("juliette", "questions.comment"),
        ("nora", "questions.comment"),
    ]


def test_an_empty_or_long_comment_is_refused(other_member, question):
    with pytest.raises(DomainError):
        services.comment_question(actor=other_member, question=question, body="  ")
    with pytest.raises(DomainError, match="too long"):
        services.comment_question(actor=other_member, question=question, body="a" * 1001)

    assert not question.comments.exists()
