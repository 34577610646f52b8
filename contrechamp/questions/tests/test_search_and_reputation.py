import pytest

from contrechamp.accounts.reputation import reputation_of
from contrechamp.questions import queries, services
from contrechamp.questions.tests.conftest import answer, ask
from contrechamp.search.models import Document

pytestmark = pytest.mark.django_db


def test_questions_are_found_by_their_answers_words(
    client, member, other_member, club, restoration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        public = ask(member, "Que faire d'une bobine qui sent le vinaigre ?")
        answer(other_member, public, "Des tamis moléculaires dans la boîte.")
        hidden = ask(member, "Tamis pour le club ?", network=club)

    document = Document.objects.get(kind="questions", object_id=hidden.pk)
    assert (document.is_public, document.network_id) == (False, club.pk)
    titles = [q.title for q in client.get("/questions/", {"q": "tamis"}).context["page_obj"]]
    assert titles == [public.title]
    client.force_login(member)
    titles = [q.title for q in client.get("/questions/", {"q": "tamis"}).context["page_obj"]]
    assert titles == [hidden.title, public.title]
    assert queries.matching_ids("<>!!") == []


def test_a_duplicate_leaves_the_index(
    member, outsider, restoration, django_capture_on_commit_callbacks
):
    outsider.is_staff = True
    outsider.save()
    with django_capture_on_commit_callbacks(execute=True):
        original = ask(member, "Bobine qui sent le vinaigre")
        twin = ask(member, "Bobine au vinaigre encore")
        services.close_as_duplicate(actor=outsider, question=twin, original=original)

    assert list(Document.objects.filter(kind="questions").values_list("object_id", flat=True)) == [
        original.pk
    ]


def test_reputation_counts_accepted_answers_and_useful_votes(
    member, other_member, outsider, question
):
    reply = answer(other_member, question)
    services.vote_answer(actor=member, answer=reply, value=1)
    services.vote_answer(actor=outsider, answer=reply, value=-1)
    services.vote_question(actor=other_member, question=question, value=1)
    services.accept_answer(actor=member, answer=reply)
    own = answer(member, question, "Ma propre réponse")
    services.accept_answer(actor=member, answer=own)

    found = reputation_of([member.pk, other_member.pk, outsider.pk])

    assert found[member.pk].total == 5
    assert found[other_member.pk].total == 10
    assert found[outsider.pk].total == 0


def test_the_profile_shows_the_reputation(
    client, member, other_member, question, django_assert_max_num_queries
):
    reply = answer(other_member, question)
    services.vote_answer(actor=member, answer=reply, value=1)

    content = client.get(f"/members/{other_member.username}/").content.decode()

    assert "10 points for know-how that helped others." in content
