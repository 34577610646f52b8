from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from contrechamp.core.errors import DomainError
from contrechamp.questions import services
from contrechamp.questions.models import Question, QuestionTag, Revision, Tag
from contrechamp.questions.tests.conftest import ask, category, join, refresh

pytestmark = pytest.mark.django_db


def details(**changes: Any) -> services.QuestionDetails:
    values: dict[str, Any] = {
        "title": "Où trouver une copie de La Jetée ?",
        "body": "En 16 mm de préférence.",
        "category": category(),
        "tags": ("la jetée", "16mm"),
    }
    values.update(changes)
    return services.QuestionDetails(**values)


def test_a_member_asks_a_public_question_with_normalised_tags(member, restoration):
    question = services.ask_question(
        actor=member, details=details(tags=["  Syndrome du Vinaigre ", "16MM", "16mm", ""])
    )

    assert question.network is None
    assert sorted(tag.slug for tag in question.tags.all()) == ["16mm", "syndrome-du-vinaigre"]
    assert Revision.objects.get(question=question).number == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "   "}, "needs at least"),
        ({"body": ""}, "cannot be empty"),
        ({"body": "x" * 200_000}, "too long"),
        ({"title": "t" * 201}, "too long"),
        ({"tags": ["a", "b", "c", "d", "e", "f"]}, "5 tags at most"),
        ({"tags": ["x" * 31]}, "too long"),
    ],
)
def test_bad_posts_are_refused_and_nothing_is_stored(member, restoration, changes, message):
    with pytest.raises(DomainError, match=message):
        services.ask_question(actor=member, details=details(**changes))

    assert not Question.objects.exists()
    assert not Tag.objects.exists()


def test_only_members_of_a_network_ask_within_it(member, other_member, club):
    with pytest.raises(PermissionDenied):
        services.ask_question(actor=other_member, details=details(), network=club)

    question = services.ask_question(actor=member, details=details(), network=club)
    assert question.network == club


def test_the_author_edits_and_the_history_keeps_each_version(member, question):
    services.edit_question(
        actor=member,
        question=question,
        details=details(title="Bobine 16 mm au vinaigre : que faire ?", tags=["acetate"]),
    )

    question = refresh(question)
    assert question.title == "Bobine 16 mm au vinaigre : que faire ?"
    assert question.edited_at is not None
    assert list(question.revisions.values_list("number", flat=True)) == [1, 2]
    assert [t.slug for t in question.tags.all()] == ["acetate"]
    assert QuestionTag.objects.filter(question=question).count() == 1


def test_someone_else_cannot_edit_a_question(other_member, question):
    with pytest.raises(PermissionDenied):
        services.edit_question(actor=other_member, question=question, details=details())

    assert refresh(question).revisions.count() == 1


def test_a_network_moderator_edits_the_networks_questions_only(member, moderator, club):
    theirs = ask(member, network=club)
    public = ask(member, "Une question publique sur le 16 mm ?")

    services.edit_question(actor=moderator, question=theirs, details=details())
    with pytest.raises(PermissionDenied):
        services.edit_question(actor=moderator, question=public, details=details())


def test_site_staff_edit_public_questions(question, outsider):
    outsider.is_staff = True
    outsider.save()

    services.edit_question(actor=outsider, question=question, details=details())

    assert refresh(question).revisions.last().editor == outsider


def test_an_answer_needs_to_see_the_question(member, other_member, club):
    members_only = ask(member, network=club)

    with pytest.raises(PermissionDenied):
        services.answer_question(actor=other_member, question=members_only, body="Je sais !")

    join(other_member, club)
    answer = services.answer_question(actor=other_member, question=members_only, body="Je sais !")
    assert refresh(members_only).answer_count == 1
    assert answer.revisions.count() == 1


def test_an_answer_of_200000_characters_is_refused(other_member, question):
    with pytest.raises(DomainError, match="too long"):
        services.answer_question(actor=other_member, question=question, body="a" * 200_000)

    assert refresh(question).answer_count == 0


def test_an_answer_edit_by_another_member_is_refused(member, other_member, outsider, question):
    answer = services.answer_question(actor=other_member, question=question, body="Au frais.")

    with pytest.raises(PermissionDenied):
        services.edit_answer(actor=outsider, answer=answer, body="Vandalisme")
    services.edit_answer(actor=other_member, answer=answer, body="Au frais et au sec.")

    assert refresh(answer).body == "Au frais et au sec."
    assert list(answer.revisions.values_list("number", flat=True)) == [1, 2]
