import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.questions import services
from contrechamp.questions.models import Answer, Question
from contrechamp.questions.tests.conftest import answer, ask, category, join, refresh

pytestmark = pytest.mark.django_db


def json_ld(response):
    found = re.search(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(found.group(1)) if found else None


def many_answers(question, count):
    people = UserFactory.create_batch(3)
    with zeal_ignore():
        Answer.objects.bulk_create(
            Answer(question=question, author=people[n % 3], body=f"Réponse {n}", score=n % 7)
            for n in range(count)
        )
        Question.objects.filter(pk=question.pk).update(answer_count=count)


def queries_of(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_question_page_shows_the_accepted_answer_first(client, member, other_member, question):
    low = answer(other_member, question, "Réponse acceptée")
    high = answer(member, question, "Réponse populaire")
    services.vote_answer(actor=other_member, answer=high, value=1)
    services.accept_answer(actor=member, answer=low)

    content = client.get(question.get_absolute_url()).content.decode()

    assert content.index("Réponse acceptée") < content.index("Réponse populaire")
    assert "Accepted answer" in content


def test_the_question_page_costs_the_same_with_5_or_500_answers(client, member, question):
    client.force_login(member)
    many_answers(question, 5)
    few = queries_of(client, question.get_absolute_url())
    many_answers(question, 495)
    assert queries_of(client, question.get_absolute_url()) == few
    assert queries_of(client, question.get_absolute_url() + "?page=7") == few


def test_the_list_costs_the_same_with_3_or_30_questions(client, member, restoration):
    client.force_login(member)
    for n in range(3):
        ask(member, f"Question numéro {n} sur la pellicule", tags=("16mm", f"t{n}"))
    few = queries_of(client, "/questions/")
    for n in range(3, 30):
        ask(member, f"Question numéro {n} sur la pellicule", tags=("16mm", f"t{n}"))
    for sort in ("newest", "unanswered", "votes"):
        assert queries_of(client, f"/questions/?sort={sort}&tag=16mm") == few


def test_lists_sort_and_filter(client, member, other_member, restoration):
    solved = ask(member, "Question avec une réponse", tags=("son",))
    answer(other_member, solved)
    popular = ask(member, "Question très votée", slug="materiel")
    services.vote_question(actor=other_member, question=popular, value=1)
    newest = ask(member, "La plus récente des questions")

    def titles(query):
        page = client.get("/questions/", query).context["page_obj"]
        return [q.title for q in page.object_list]

    assert titles({}) == [newest.title, popular.title, solved.title]
    assert titles({"sort": "unanswered"}) == [newest.title, popular.title]
    assert titles({"sort": "votes"})[0] == popular.title
    assert titles({"category": "materiel"}) == [popular.title]
    assert titles({"tag": "son"}) == [solved.title]
    assert client.get("/questions/", {"sort": "nonsense", "page": "x\x00"}).status_code == 200


def test_members_only_questions_stay_among_members(client, member, other_member, club):
    hidden = ask(member, "Question réservée au club", network=club)

    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert hidden.title not in client.get("/questions/").content.decode()
    client.force_login(other_member)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    client.force_login(member)
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 200
    assert json_ld(response) is None
    assert hidden.title in client.get("/questions/", {"network": club.slug}).content.decode()


def test_a_public_question_carries_a_qa_page(client, member, other_member, question):
    services.accept_answer(actor=member, answer=answer(other_member, question, "Isolez-la."))

    data = json_ld(client.get(question.get_absolute_url()))

    assert data["@type"] == "QAPage"
    assert data["mainEntity"]["name"] == question.title
    assert data["mainEntity"]["acceptedAnswer"]["text"] == "Isolez-la."


def test_scripts_in_posts_are_inert(client, member, other_member, restoration):
    question = ask(
        member, "Titre </script><script>alert(1)</script>", body="<script>alert(2)</script>"
    )
    answer(other_member, question, "<img src=x onerror=alert(3)>")

    content = client.get(question.get_absolute_url()).content.decode()

    assert "<script>alert" not in content
    assert "<img" not in content
    assert json_ld(client.get(question.get_absolute_url()))["mainEntity"]["name"].startswith(
        "Titre"
    )


def test_a_duplicate_redirects_to_its_original_with_a_notice(client, member, question):
    staff = UserFactory.create(is_staff=True)
    twin = ask(member, "Encore le vinaigre sur une bobine 16 mm")
    with zeal_ignore():
        services.close_as_duplicate(actor=staff, question=twin, original=question)

    response = client.get(twin.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert "closed as a duplicate" in client.get(response["Location"]).content.decode()


def test_asking_keeps_what_was_typed_when_refused(client, member, restoration):
    client.force_login(member)
    huge = "x" * 200_000

    response = client.post(
        "/questions/ask/",
        {"title": "Une vraie question ?", "body": huge, "category": restoration.pk, "tags": "a"},
    )

    assert response.status_code == 200
    assert "too long" in response.content.decode()
    assert "Une vraie question ?" in response.content.decode()
    assert not Question.objects.exists()


def test_a_member_asks_answers_votes_and_accepts_through_the_pages(
    client, member, other_member, restoration
):
    client.force_login(member)
    response = client.post(
        "/questions/ask/",
        {
            "title": "Comment nettoyer un couloir de projecteur ?",
            "body": "Avec quoi ?",
            "category": category("materiel").pk,
            "tags": "projecteur, entretien",
        },
    )
    question = Question.objects.get()
    assert response["Location"] == question.get_absolute_url()

    client.force_login(other_member)
    client.post(f"/questions/{question.pk}/answer/", {"body": "Une peau de chamois."})
    reply = Answer.objects.get()
    client.post(f"/questions/{question.pk}/vote/", {"value": "1"})
    client.post(f"/questions/answers/{reply.pk}/vote/", {"value": "1"})
    client.post(f"/questions/{question.pk}/comment/", {"body": "Bonne question."})
    assert refresh(question).score == 1
    assert refresh(reply).score == 0

    client.force_login(member)
    client.post(f"/questions/answers/{reply.pk}/accept/", {})
    assert refresh(reply).is_accepted
    assert question.comments.count() == 1


def test_an_empty_answer_is_shown_back_with_an_error(client, member, question):
    client.force_login(member)

    response = client.post(f"/questions/{question.pk}/answer/", {"body": "   "})

    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_editing_someone_elses_question_is_forbidden(client, other_member, question):
    client.force_login(other_member)

    assert client.get(f"/questions/{question.pk}/edit/").status_code == 403
    post = client.post(f"/questions/{question.pk}/edit/", {"title": "Vandalisme total"})
    assert post.status_code == 403
    assert refresh(question).title != "Vandalisme total"


def test_the_history_shows_a_diff_between_versions(client, member, question):
    client.force_login(member)
    client.post(
        f"/questions/{question.pk}/edit/",
        {
            "title": question.title,
            "body": "Une odeur d'acide acétique sort de la boîte.",
            "category": question.category_id,
            "tags": "16mm",
        },
    )

    content = client.get(f"/questions/{question.pk}/history/").content.decode()

    assert "Version 2" in content
    assert "<ins>+Une odeur d&#x27;acide acétique sort de la boîte.</ins>" in content
    assert "<del>-Une odeur de vinaigre" in content


def test_closing_through_the_page_needs_a_moderator(
    client, member, outsider, moderator, club, question
):
    twin = ask(member, "Bobine au vinaigre : la jeter ?", network=club)
    join(outsider, club)
    client.force_login(outsider)
    assert client.get(f"/questions/{twin.pk}/close/").status_code == 403

    client.force_login(moderator)
    bad = client.post(f"/questions/{twin.pk}/close/", {"original": "n'importe quoi"})
    assert bad.status_code == 200
    response = client.post(
        f"/questions/{twin.pk}/close/", {"original": f"https://x.org/questions/{question.pk}/"}
    )
    assert response["Location"] == question.get_absolute_url()
    assert refresh(twin).duplicate_of == question
