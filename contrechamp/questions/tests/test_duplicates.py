import pytest
from django.core.exceptions import PermissionDenied

from contrechamp.core.errors import DomainError, InvalidTransition
from contrechamp.questions import services
from contrechamp.questions.models import Comment
from contrechamp.questions.tests.conftest import answer, ask, refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(outsider):
    outsider.is_staff = True
    outsider.save()
    return outsider


def test_site_staff_close_a_public_duplicate_and_its_answers_move(
    member, other_member, staff, question
):
    twin = ask(other_member, "Ma bobine 16 mm sent le vinaigre, que faire ?")
    moved = answer(member, twin, "Isolez-la.")
    services.accept_answer(actor=other_member, answer=moved)
    services.comment_question(actor=member, question=twin, body="Même chose ici.")

    services.close_as_duplicate(actor=staff, question=twin, original=question)

    twin, question, moved = refresh(twin), refresh(question), refresh(moved)
    assert twin.duplicate_of == question
    assert twin.closed_by == staff
    assert moved.question == question
    assert not moved.is_accepted
    assert twin.accepted_answer is None
    assert (twin.answer_count, question.answer_count) == (0, 1)
    assert Comment.objects.get().question == question


def test_members_and_other_networks_moderators_cannot_close_a_public_question(
    member, other_member, moderator, question
):
    twin = ask(other_member, "Ma bobine 16 mm sent le vinaigre, que faire ?")

    for person in (member, other_member, moderator):
        with pytest.raises(PermissionDenied):
            services.close_as_duplicate(actor=person, question=twin, original=question)

    assert refresh(twin).duplicate_of is None


def test_a_network_moderator_closes_a_network_question_into_a_public_one(
    member, moderator, club, question
):
    twin = ask(member, "Bobine au vinaigre : la jeter ?", network=club)

    services.close_as_duplicate(actor=moderator, question=twin, original=question)

    assert refresh(twin).duplicate_of == question


def test_a_public_question_cannot_point_to_a_members_only_one(member, staff, club, question):
    hidden = ask(member, "Bobine au vinaigre : la jeter ?", network=club)

    with pytest.raises(DomainError, match="public or in the same network"):
        services.close_as_duplicate(actor=staff, question=question, original=hidden)


def test_no_question_is_its_own_duplicate_nor_closed_twice(member, staff, question):
    twin = ask(member, "Encore le vinaigre sur une bobine 16 mm")
    with pytest.raises(DomainError):
        services.close_as_duplicate(actor=staff, question=question, original=question)

    services.close_as_duplicate(actor=staff, question=twin, original=question)
    with pytest.raises(InvalidTransition):
        services.close_as_duplicate(actor=staff, question=twin, original=question)
    with pytest.raises(InvalidTransition):
        answer(member, twin)
