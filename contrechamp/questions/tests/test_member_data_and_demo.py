from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from zeal import zeal_ignore

from contrechamp.accounts.models import User
from contrechamp.accounts.services import delete_account
from contrechamp.demo.people import MEMBERS, NETWORKS
from contrechamp.networks.models import Membership, Network
from contrechamp.questions import demo, services
from contrechamp.questions.member_data import export_member_questions
from contrechamp.questions.models import Answer, AnswerVote, Comment, Question, QuestionVote
from contrechamp.questions.tests.conftest import answer, category

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_members_posts_and_votes(member, other_member, question):
    reply = answer(other_member, question)
    services.vote_answer(actor=member, answer=reply, value=1)
    services.comment_answer(actor=member, answer=reply, body="Merci !")

    data: Any = export_member_questions(member)

    assert [q["title"] for q in data["questions"]] == [question.title]
    assert data["questions"][0]["tags"] == ["16mm", "vinaigre"]
    assert data["comments"][0]["body"] == "Merci !"
    assert data["votes"] == [{"answer": reply.pk, "value": 1, "at": data["votes"][0]["at"]}]
    theirs: Any = export_member_questions(other_member)
    assert theirs["answers"][0]["question"] == question.pk


def test_after_deletion_posts_stay_from_a_former_member(client, member, other_member, question):
    answer(other_member, question, "Toujours utile.")

    with zeal_ignore():
        delete_account(actor=other_member, member=other_member)

    content = client.get(question.get_absolute_url()).content.decode()
    assert "Toujours utile." in content
    assert "Former member" in content
    assert "nora" not in content.lower()


def demo_members():
    people = {}
    with zeal_ignore():
        for person in MEMBERS:
            people[person.username] = get_user_model().objects.create(
                username=person.username, display_name=person.display_name
            )
        for spec in NETWORKS:
            if spec.name not in (demo.CLUB, demo.FORUM):
                continue
            network = Network.objects.create(
                name=spec.name,
                name_normalised=spec.name.lower(),
                slug=spec.name.lower().replace(" ", "-").replace("é", "e"),
                kind=spec.kind,
                join_policy=spec.join_policy,
                is_online=True,
                created_by=people[spec.admin],
            )
            for username in (spec.admin, *spec.members):
                Membership.objects.create(
                    network=network,
                    user=people[username],
                    status=Membership.Status.ACTIVE,
                    joined_at=timezone.now(),
                )
            for username in spec.moderators:
                network.role_assignments.create(user=people[username], role="moderator")
    return people


def counts():
    return [
        model.objects.count() for model in (Question, Answer, QuestionVote, AnswerVote, Comment)
    ]


def test_the_demo_tells_the_story_and_seeds_once(client):
    for slug in (
        "formats-et-restauration",
        "organiser-une-projection",
        "droits-et-legalite",
        "realisation",
    ):
        category(slug)
    members = demo_members()

    with zeal_ignore():
        demo.seed(members)
    first = counts()
    with zeal_ignore():
        demo.seed(members)

    assert counts() == first
    vinegar = Question.objects.get(title=demo.VINEGAR)
    assert vinegar.accepted_answer is not None
    assert vinegar.accepted_answer.author.username == "sebastien"
    assert vinegar.answer_count == 4
    assert Question.objects.get(title=demo.DUPLICATE).duplicate_of == vinegar
    club_question = Question.objects.select_related("network").get(title=demo.CLUB_QUESTION)
    assert club_question.network is not None
    assert club_question.network.name == demo.CLUB
    assert client.get(vinegar.get_absolute_url()).status_code == 200


def test_user_model_is_the_accounts_one():
    assert get_user_model() is User
