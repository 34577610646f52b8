import pytest
from zeal import zeal_ignore

from contrechamp.api.models import ApiToken
from contrechamp.api.tests.conftest import make_token
from contrechamp.networks import services as network_services
from contrechamp.questions import services
from contrechamp.questions.models import Answer, Category, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def materiel(db):
    found, _ = Category.objects.get_or_create(
        slug="materiel", defaults={"name_fr": "Matériel", "name_en": "Equipment"}
    )
    return found


def ask(author, category, title="Quelle lampe pour un projecteur 16 mm ?", network=None):
    with zeal_ignore():
        return services.ask_question(
            actor=author,
            details=services.QuestionDetails(
                title=title, body="Une Bauer P8.", category=category, tags=["16mm"]
            ),
            network=network,
        )


def test_anyone_lists_and_reads_public_questions_and_answers(api, member, other_member, materiel):
    question = ask(other_member, materiel)
    with zeal_ignore():
        services.answer_question(actor=member, question=question, body="Une halogène 24 V.")

    listed = api.get("/api/questions", {"tag": "16mm", "sort": "unanswered"}).json()
    assert listed["total"] == 0
    listed = api.get("/api/questions", {"category": "materiel"}).json()
    assert [q["title"] for q in listed["items"]] == [question.title]
    assert listed["items"][0]["tags"] == ["16mm"]
    detail = api.get(f"/api/questions/{question.pk}").json()
    assert detail["body"] == "Une Bauer P8."
    answers = api.get(f"/api/questions/{question.pk}/answers").json()
    assert answers["items"][0]["author"]["username"] == "juliette"
    assert api.get("/api/questions/categories").json()[0]["slug"]


def test_members_only_questions_are_hidden_from_others(
    api, member, other_member, club, materiel, read_token
):
    hidden = ask(other_member, materiel, network=club)

    assert api.get(f"/api/questions/{hidden.pk}", token=read_token).status_code == 404
    assert api.get("/api/questions", token=read_token).json()["total"] == 0
    with zeal_ignore():
        network_services.join_network(actor=member, network=club, accept_charter=True)
    assert api.get(f"/api/questions/{hidden.pk}", token=read_token).status_code == 200


def test_a_member_asks_answers_votes_and_accepts(
    api, member, other_member, materiel, write_token, other_token
):
    created = api.post(
        "/api/questions",
        {
            "title": "Comment ranger des bobines ?",
            "body": "Au frais ?",
            "category": "materiel",
            "tags": ["Bobines"],
        },
        token=write_token,
    )
    assert created.status_code == 201, created.content
    question_id = created.json()["id"]
    assert created.json()["tags"] == ["bobines"]

    answered = api.post(
        f"/api/questions/{question_id}/answers", {"body": "Au sec."}, token=other_token
    )
    assert answered.status_code == 201
    answer_id = answered.json()["id"]

    assert api.put(
        f"/api/questions/{question_id}/vote", {"value": 1}, token=other_token
    ).json() == {"score": 1}
    assert api.put(
        f"/api/questions/answers/{answer_id}/vote", {"value": -1}, token=write_token
    ).json() == {"score": -1}
    accepted = api.post(f"/api/questions/answers/{answer_id}/accept", token=write_token)
    assert accepted.status_code == 200
    assert accepted.json()["is_accepted"] is True


def test_bad_requests_get_clear_refusals(
    api, member, other_member, materiel, write_token, other_token
):
    question = ask(member, materiel)
    with zeal_ignore():
        answer = services.answer_question(actor=other_member, question=question, body="Oui.")

    self_vote = api.put(f"/api/questions/{question.pk}/vote", {"value": 1}, token=write_token)
    assert self_vote.status_code == 422
    assert (
        api.put(f"/api/questions/{question.pk}/vote", {"value": 2}, token=other_token).status_code
        == 422
    )
    as_bool = api.put(f"/api/questions/{question.pk}/vote", {"value": False}, token=other_token)
    assert as_bool.status_code == 422
    not_asker = api.post(f"/api/questions/answers/{answer.pk}/accept", token=other_token)
    assert not_asker.status_code == 403
    huge = api.post(
        "/api/questions",
        {"title": "Une question ?", "body": "x" * 200_000, "category": "materiel"},
        token=write_token,
    )
    assert huge.status_code == 422
    unknown = api.post(
        "/api/questions",
        {"title": "Une question ?", "body": "x", "category": "nope"},
        token=write_token,
    )
    assert unknown.status_code == 422
    read_only = make_token(member, ApiToken.Scope.READ, "Lecture")
    assert (
        api.post(
            f"/api/questions/{question.pk}/answers", {"body": "x"}, token=read_only
        ).status_code
        == 403
    )
    assert Question.objects.count() == 1
    assert Answer.objects.get().is_accepted is False
