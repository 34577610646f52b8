"""The questions app's part in a member's data export. On account deletion nothing is
removed: questions, answers and comments stay for those they help, and show their author
as a former member (`User.public_name` of an anonymised account)."""

from django.db.models import Q

from contrechamp.accounts.models import User
from contrechamp.questions.models import Answer, AnswerVote, Comment, Question, QuestionVote


def export_member_questions(user: User) -> dict[str, object]:
    questions = (
        Question.objects.filter(author=user)
        .select_related("category", "network")
        .prefetch_related("tags")
        .order_by("pk")
    )
    answers = Answer.objects.filter(author=user).order_by("pk")
    comments = Comment.objects.filter(author=user).order_by("pk")
    question_votes = QuestionVote.objects.filter(voter=user).order_by("pk")
    answer_votes = AnswerVote.objects.filter(voter=user).order_by("pk")
    return {
        "questions": [
            {
                "id": q.pk,
                "title": q.title,
                "body": q.body,
                "category": q.category.slug,
                "tags": [tag.slug for tag in q.tags.all()],
                "network": q.network.slug if q.network else None,
                "asked_at": q.created_at.isoformat(),
                "duplicate_of": q.duplicate_of_id,
            }
            for q in questions
        ],
        "answers": [
            {
                "id": a.pk,
                "question": a.question_id,
                "body": a.body,
                "accepted": a.is_accepted,
                "answered_at": a.created_at.isoformat(),
            }
            for a in answers
        ],
        "comments": [
            {
                "question": c.question_id,
                "answer": c.answer_id,
                "body": c.body,
                "written_at": c.created_at.isoformat(),
            }
            for c in comments.filter(Q(question__isnull=False) | Q(answer__isnull=False))
        ],
        "votes": [
            {"question": v.question_id, "value": v.value, "at": v.created_at.isoformat()}
            for v in question_votes
        ]
        + [
            {"answer": v.answer_id, "value": v.value, "at": v.created_at.isoformat()}
            for v in answer_votes
        ],
    }
