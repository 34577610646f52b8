"""The feedback app's part in a member's data export and account deletion.

Registered with `contrechamp.accounts.registry` in `FeedbackConfig.ready()`. On deletion
the member's comments stay in the projects' threads, signed by the anonymised account
(the team's work depends on them), and their invitations as a reviewer are withdrawn.
"""

from datetime import datetime

from contrechamp.accounts.models import User
from contrechamp.feedback.models import CutComment, Reviewer, ScreenplayComment


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_member_feedback(user: User) -> dict[str, object]:
    """The comments the member wrote on screenplays and cuts, and the requests that
    invited them."""
    screenplay_comments = (
        ScreenplayComment.objects.filter(author=user)
        .select_related("written_on__project")
        .order_by("pk")
    )
    cut_comments = (
        CutComment.objects.filter(author=user).select_related("cut__project").order_by("pk")
    )
    invitations = Reviewer.objects.filter(member=user).select_related("project").order_by("pk")
    return {
        "screenplay_comments": [
            {
                "project": comment.written_on.project.slug,
                "version": comment.written_on.number,
                "line": comment.line,
                "scene": comment.scene,
                "quoted_text": comment.quoted_text,
                "reply": comment.parent_id is not None,
                "body": comment.body,
                "written_at": _iso(comment.created_at),
            }
            for comment in screenplay_comments
        ],
        "cut_comments": [
            {
                "project": comment.cut.project.slug,
                "cut": comment.cut.title,
                "timecode": comment.timecode_label if comment.frame is not None else None,
                "reply": comment.parent_id is not None,
                "body": comment.body,
                "written_at": _iso(comment.created_at),
            }
            for comment in cut_comments
        ],
        "invitations": [
            {"project": invitation.project.slug, "invited_at": _iso(invitation.invited_at)}
            for invitation in invitations
        ],
    }


def withdraw_member_feedback(user: User) -> None:
    """Inside the deletion transaction: the member no longer reviews anything."""
    Reviewer.objects.filter(member=user).delete()
