"""Reads shared by the feedback pages and the API, with their joins, so each page's query
count is set here and does not grow with the number of comments."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from contrechamp.accounts.models import User
from contrechamp.feedback.models import (
    Cut,
    CutComment,
    FeedbackRequest,
    Reviewer,
    ScreenplayComment,
    ScreenplayVersion,
)
from contrechamp.projects.models import Project
from contrechamp.projects.permissions import is_team_member

MAX_THREADS_SHOWN = 1000


def project_or_404(slug: str) -> Project:
    project = Project.objects.select_related("owner").filter(slug=slug).first()
    if project is None:
        raise Http404
    return project


def versions(project: Project) -> QuerySet[ScreenplayVersion]:
    """The project's versions, newest first, without their text."""
    return (
        ScreenplayVersion.objects.filter(project=project)
        .defer("source")
        .select_related("added_by")
        .order_by("-number")
    )


def version_or_404(project: Project, number: int) -> ScreenplayVersion:
    version = ScreenplayVersion.objects.filter(project=project, number=number).first()
    if version is None:
        raise Http404
    version.project = project
    return version


def _threads(
    comments: QuerySet[ScreenplayComment], *, replies: bool
) -> QuerySet[ScreenplayComment]:
    """First comments, with their replies if `replies`. The threads' authors and versions
    written on are prefetched rather than joined: a thousand threads come from a few dozen
    members and versions, built once each instead of once per row (and a version without
    its text). Replies join their authors, so the query count is the same without them."""
    threads = (
        comments.filter(parent__isnull=True)
        .select_related("resolved_by")
        .prefetch_related(
            "author", Prefetch("written_on", queryset=ScreenplayVersion.objects.defer("source"))
        )
    )
    if replies:
        threads = threads.prefetch_related(Prefetch("replies", queryset=_replies()))
    return threads


def _replies() -> QuerySet[ScreenplayComment]:
    return ScreenplayComment.objects.select_related("author").order_by("created_at", "pk")


def version_threads(version: ScreenplayVersion, *, replies: bool = True) -> list[ScreenplayComment]:
    """The threads attached to `version`, in the order of the text; without `replies`,
    the caller reads them with `replies_by_thread`."""
    comments = ScreenplayComment.objects.filter(version=version, is_outdated=False)
    return list(
        _threads(comments, replies=replies).order_by("line", "scene", "created_at", "pk")[
            :MAX_THREADS_SHOWN
        ]
    )


def outdated_threads(project: Project, *, replies: bool = True) -> list[ScreenplayComment]:
    """Threads whose line or scene no later version holds, newest first."""
    comments = ScreenplayComment.objects.filter(version__project=project, is_outdated=True)
    return list(
        _threads(comments, replies=replies).order_by("-created_at", "-pk")[:MAX_THREADS_SHOWN]
    )


@dataclass(frozen=True, slots=True)
class Reply:
    """What a page shows of a reply: one small object where a model instance with its
    author is eight, and a thousand replies are rendered per request."""

    author: User
    created_at: datetime
    body: str


def replies_by_thread(threads: list[ScreenplayComment]) -> dict[int, list[Reply]]:
    """The replies of `threads`, oldest first, by thread id, in one query (none without
    threads), grouped in one pass. Each author is built once (a partial member: enough
    for `public_name`), however many replies they wrote."""
    grouped: dict[int, list[Reply]] = {}
    if not threads:
        return grouped
    rows = (
        ScreenplayComment.objects.filter(parent__in=[thread.pk for thread in threads])
        .order_by("created_at", "pk")
        .values_list(
            "parent_id",
            "created_at",
            "body",
            "author_id",
            "author__username",
            "author__display_name",
            "author__deleted_at",
        )
    )
    authors: dict[int, User] = {}
    for parent_id, created_at, body, author_id, username, display_name, deleted_at in rows:
        author = authors.get(author_id)
        if author is None:
            author = authors[author_id] = User(
                pk=author_id, username=username, display_name=display_name, deleted_at=deleted_at
            )
        grouped.setdefault(parent_id, []).append(Reply(author, created_at, body))
    return grouped


def screenplay_comment_or_404(project: Project, pk: int) -> ScreenplayComment:
    comment = (
        ScreenplayComment.objects.filter(pk=pk, version__project=project)
        .select_related("version", "author", "parent__author")
        .first()
    )
    if comment is None:
        raise Http404
    comment.version.project = project
    return comment


def cut_or_404(project: Project, pk: int) -> Cut:
    cut = Cut.objects.filter(pk=pk, project=project).select_related("added_by").first()
    if cut is None:
        raise Http404
    cut.project = project
    return cut


def cut_threads(cut: Cut) -> list[CutComment]:
    replies = CutComment.objects.select_related("author").order_by("created_at", "pk")
    threads = list(
        CutComment.objects.filter(cut=cut, parent__isnull=True)
        .select_related("author", "resolved_by")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("frame", "created_at", "pk")[:MAX_THREADS_SHOWN]
    )
    for thread in threads:
        thread.cut = cut
    return threads


def cut_markers(cut: Cut) -> QuerySet[CutComment]:
    """Every thread's first comment, for exports."""
    return (
        CutComment.objects.filter(cut=cut, parent__isnull=True)
        .select_related("author")
        .order_by("frame", "created_at", "pk")
    )


def cut_comment_or_404(cut: Cut, pk: int) -> CutComment:
    comment = (
        CutComment.objects.filter(pk=pk, cut=cut).select_related("author", "parent__author").first()
    )
    if comment is None:
        raise Http404
    comment.cut = cut
    return comment


def visible_cuts(viewer: User, project: Project) -> QuerySet[Cut]:
    """The cuts `viewer` may see: all for the team, the ones they were invited to
    otherwise; with their number of threads and open threads."""
    cuts = Cut.objects.filter(project=project)
    if not is_team_member(viewer, project):
        cuts = cuts.filter(
            pk__in=Reviewer.objects.filter(member=viewer, cut__isnull=False).values("cut")
        )
    return cuts.annotate(
        thread_count=Count("comments", filter=Q(comments__parent__isnull=True)),
        open_count=Count(
            "comments", filter=Q(comments__parent__isnull=True, comments__resolved_at__isnull=True)
        ),
    ).order_by("-created_at", "-pk")


def requests_of(project: Project) -> QuerySet[FeedbackRequest]:
    return (
        FeedbackRequest.objects.filter(project=project)
        .select_related("version", "cut", "requested_by")
        .annotate(reviewer_count=Count("reviewers"))
        .order_by("-created_at", "-pk")
    )


def request_or_404(project: Project, pk: int) -> FeedbackRequest:
    found = (
        FeedbackRequest.objects.filter(pk=pk, project=project)
        .select_related("version", "cut", "requested_by")
        .annotate(reviewer_count=Count("reviewers"))
        .first()
    )
    if found is None:
        raise Http404
    found.project = project
    return found


def is_invited_by(viewer: User, feedback_request: FeedbackRequest) -> bool:
    return Reviewer.objects.filter(request=feedback_request, member=viewer).exists()


def invitations(member: User, limit: int = 200) -> list[FeedbackRequest]:
    """The feedback requests that invited `member`, newest first."""
    return list(
        FeedbackRequest.objects.filter(reviewers__member=member)
        .select_related("project", "version", "cut", "requested_by")
        .order_by("-created_at", "-pk")[:limit]
    )
