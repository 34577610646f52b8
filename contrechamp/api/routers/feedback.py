"""Screenplay and cut feedback: a project's screenplay versions (with their parsed
elements), comment threads on lines, scenes and timecodes, and the cut's comments as
editing markers. The same rules as the pages: only the project's team and the reviewers
it invited (403 for anyone else, whatever the project's own visibility)."""

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import StringConstraints

from contrechamp.api import auth
from contrechamp.api.errors import documented
from contrechamp.api.pagination import Page, PageParams, paginate
from contrechamp.api.schemas import NO_NUL, Id, MemberRef, Slug, site_url
from contrechamp.feedback import exports, fountain, permissions, queries, services
from contrechamp.feedback.models import (
    MAX_COMMENT_LENGTH,
    Cut,
    CutComment,
    ScreenplayComment,
    ScreenplayVersion,
)
from contrechamp.projects.models import Project

router = Router(tags=["Screenplay and cut feedback"])

Body = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_COMMENT_LENGTH, pattern=NO_NUL)
]
Number = Annotated[int, Field(ge=1, le=1_000_000)]


class VersionOut(Schema):
    number: int
    title: str
    change_note: str
    added_by: MemberRef | None
    created_at: datetime
    url: str = Field(description="The version's page on the site.")

    @staticmethod
    def resolve_url(obj: ScreenplayVersion) -> str:
        return site_url(obj.get_absolute_url())


class ElementOut(Schema):
    kind: str = Field(
        description="scene_heading, action, character, dialogue, parenthetical, transition, "
        "centered, lyrics, note, section, synopsis or page_break."
    )
    text: str
    line: int = Field(description="The source line the element starts on (1-based).")
    scene: int | None = Field(description="The scene it belongs to (1-based), none before.")
    dual: bool = Field(description="Part of side-by-side dialogue.")
    label: str = Field(description="A scene number written in the heading (#12A#).")
    notes: list[str]


class TitleEntryOut(Schema):
    key: str
    value: str


def _parsed(version: ScreenplayVersion) -> fountain.Screenplay:
    """The version's parsed text, parsed once per response."""
    if "_parsed" not in version.__dict__:
        version.__dict__["_parsed"] = fountain.parse_cached(version.source)
    parsed: fountain.Screenplay = version.__dict__["_parsed"]
    return parsed


class VersionDetailOut(VersionOut):
    source: str = Field(description="The Fountain text.")
    title_page: list[TitleEntryOut]
    elements: list[ElementOut]

    @staticmethod
    def resolve_title_page(obj: ScreenplayVersion) -> list[dict[str, str]]:
        return [{"key": key, "value": value} for key, value in _parsed(obj).title_page]

    @staticmethod
    def resolve_elements(obj: ScreenplayVersion) -> list[dict[str, object]]:
        return [
            {
                "kind": element.kind.value,
                "text": element.text,
                "line": element.line,
                "scene": element.scene,
                "dual": element.dual,
                "label": element.label,
                "notes": list(element.notes),
            }
            for element in _parsed(obj).elements
        ]


class ReplyOut(Schema):
    id: int
    author: MemberRef
    body: str
    created_at: datetime


class ScreenplayCommentOut(Schema):
    id: int
    author: MemberRef
    body: str
    line: int | None = Field(description="The line it is attached to in `version`.")
    scene: int | None
    version: int = Field(description="The version it is attached to now.")
    written_on: int = Field(description="The version it was written on.")
    quoted_text: str = Field(description="The line's or scene heading's text when written.")
    is_outdated: bool = Field(description="No later version holds its line or scene.")
    resolved: bool
    created_at: datetime
    replies: list[ReplyOut]

    @staticmethod
    def resolve_version(obj: ScreenplayComment) -> int:
        return obj.version.number

    @staticmethod
    def resolve_written_on(obj: ScreenplayComment) -> int:
        return obj.written_on.number

    @staticmethod
    def resolve_resolved(obj: ScreenplayComment) -> bool:
        return obj.is_resolved


class ScreenplayCommentIn(Schema):
    body: Body
    line: Number | None = Field(None, description="The line to comment on (an element's line).")
    scene: Number | None = Field(None, description="Or the scene to comment on.")
    reply_to: Id | None = Field(None, description="Or the thread (its first comment) to reply to.")


FrameRate = Literal["23.976", "24", "25", "29.97df", "29.97ndf", "30"]


class CutOut(Schema):
    id: int
    title: str
    video_url: str = Field(description="The link to the video, or the uploaded file's address.")
    frame_rate: FrameRate
    duration: str = Field(description="SMPTE timecode HH:MM:SS:FF (HH:MM:SS;FF in drop-frame).")
    created_at: datetime
    url: str = Field(description="The cut's page on the site.")

    @staticmethod
    def resolve_video_url(obj: Cut) -> str:
        if obj.video_file:
            return site_url(f"{obj.get_absolute_url()}video/")
        return obj.video_url

    @staticmethod
    def resolve_url(obj: Cut) -> str:
        return site_url(obj.get_absolute_url())


class CutCommentOut(Schema):
    id: int
    author: MemberRef
    body: str
    timecode: str
    frame: int = Field(description="Frames from the start of the cut.")
    resolved: bool
    created_at: datetime
    replies: list[ReplyOut]

    @staticmethod
    def resolve_timecode(obj: CutComment) -> str:
        return obj.timecode_label

    @staticmethod
    def resolve_frame(obj: CutComment) -> int:
        return obj.frame or 0

    @staticmethod
    def resolve_resolved(obj: CutComment) -> bool:
        return obj.is_resolved


class CutCommentIn(Schema):
    body: Body
    timecode: Annotated[str, StringConstraints(max_length=20, pattern=NO_NUL)] | None = Field(
        None, description="HH:MM:SS:FF within the cut, for a new thread."
    )
    reply_to: Id | None = Field(None, description="Or the thread (its first comment) to reply to.")


class ResolveIn(Schema):
    resolved: bool


class ExportQuery(Schema):
    format: Literal["csv", "edl"] = "csv"


class ExportOut(Schema):
    format: Literal["csv", "edl"]
    filename: str
    content_type: str
    content: str


def _project(slug: str) -> Project:
    return queries.project_or_404(slug)


def _version(request: HttpRequest, slug: str, number: int) -> ScreenplayVersion:
    project = _project(slug)
    permissions.ensure_can_review_screenplay(auth.member(request), project)
    return queries.version_or_404(project, number)


def _cut(request: HttpRequest, slug: str, cut_id: int) -> Cut:
    cut = queries.cut_or_404(_project(slug), cut_id)
    permissions.ensure_can_review_cut(auth.member(request), cut)
    return cut


@router.get(
    "/projects/{slug}/screenplay/versions",
    auth=auth.MEMBERS,
    response={200: Page[VersionOut], **documented(401, 403, 404, 422)},
)
def list_versions(request: HttpRequest, slug: Slug, page: Query[PageParams]) -> dict[str, object]:
    """The project's screenplay versions, newest first (the team and invited reviewers)."""
    project = _project(slug)
    permissions.ensure_can_review_screenplay(auth.member(request), project)
    return paginate(queries.versions(project), page)


@router.get(
    "/projects/{slug}/screenplay/versions/{number}",
    auth=auth.MEMBERS,
    response={200: VersionDetailOut, **documented(401, 403, 404, 422)},
)
def get_version(request: HttpRequest, slug: Slug, number: Id) -> ScreenplayVersion:
    """A version: its Fountain text and the elements it parses into, with their lines."""
    return _version(request, slug, number)


@router.get(
    "/projects/{slug}/screenplay/versions/{number}/comments",
    auth=auth.MEMBERS,
    response={200: list[ScreenplayCommentOut], **documented(401, 403, 404, 422)},
)
def list_screenplay_comments(
    request: HttpRequest, slug: Slug, number: Id
) -> list[ScreenplayComment]:
    """The threads attached to this version in the order of the text; on the latest
    version, the outdated threads follow."""
    version = _version(request, slug, number)
    threads = queries.version_threads(version)
    latest = services.latest_version(version.project)
    if latest is not None and latest.pk == version.pk:
        threads += queries.outdated_threads(version.project)
    return threads


@router.post(
    "/projects/{slug}/screenplay/versions/{number}/comments",
    auth=auth.WRITE,
    response={201: ScreenplayCommentOut, **documented(400, 401, 403, 404, 409, 422)},
)
def create_screenplay_comment(
    request: HttpRequest, slug: Slug, number: Id, payload: ScreenplayCommentIn
) -> Status[ScreenplayComment]:
    """Comment on a line or a scene of the latest version (409 on an older one), or reply
    to a thread."""
    actor = auth.member(request)
    version = _version(request, slug, number)
    if payload.reply_to is not None:
        thread = queries.screenplay_comment_or_404(version.project, payload.reply_to)
        reply = services.reply_to_screenplay_comment(actor=actor, comment=thread, body=payload.body)
        comment = queries.screenplay_comment_or_404(version.project, reply.parent_id or reply.pk)
    else:
        created = services.comment_on_screenplay(
            actor=actor, version=version, body=payload.body, line=payload.line, scene=payload.scene
        )
        comment = queries.screenplay_comment_or_404(version.project, created.pk)
    found = queries.version_threads(comment.version)
    found += queries.outdated_threads(version.project)
    return Status(201, next(t for t in found if t.pk == comment.pk))


@router.get(
    "/projects/{slug}/cuts",
    auth=auth.MEMBERS,
    response={200: list[CutOut], **documented(401, 403, 404, 422)},
)
def list_cuts(request: HttpRequest, slug: Slug) -> list[Cut]:
    """The cuts the caller may see: all for the team, those they were invited to."""
    project = _project(slug)
    cuts = list(queries.visible_cuts(auth.member(request), project)[:200])
    for cut in cuts:
        cut.project = project
    return cuts


@router.get(
    "/projects/{slug}/cuts/{cut_id}/comments",
    auth=auth.MEMBERS,
    response={200: list[CutCommentOut], **documented(401, 403, 404, 422)},
)
def list_cut_comments(request: HttpRequest, slug: Slug, cut_id: Id) -> list[CutComment]:
    """The cut's threads in timecode order."""
    return queries.cut_threads(_cut(request, slug, cut_id))


@router.post(
    "/projects/{slug}/cuts/{cut_id}/comments",
    auth=auth.WRITE,
    response={201: CutCommentOut, **documented(400, 401, 403, 404, 422)},
)
def create_cut_comment(
    request: HttpRequest, slug: Slug, cut_id: Id, payload: CutCommentIn
) -> Status[CutComment]:
    """Comment at a timecode (HH:MM:SS:FF within the cut: 422 otherwise), or reply."""
    actor = auth.member(request)
    cut = _cut(request, slug, cut_id)
    if payload.reply_to is not None:
        thread = queries.cut_comment_or_404(cut, payload.reply_to)
        pk = services.reply_to_cut_comment(actor=actor, comment=thread, body=payload.body).parent_id
    else:
        pk = services.comment_on_cut(
            actor=actor, cut=cut, body=payload.body, at=payload.timecode or ""
        ).pk
    return Status(201, next(t for t in queries.cut_threads(cut) if t.pk == pk))


@router.post(
    "/projects/{slug}/cuts/{cut_id}/comments/{comment_id}/resolve",
    auth=auth.WRITE,
    response={200: CutCommentOut, **documented(400, 401, 403, 404, 422)},
)
def resolve_cut_comment(
    request: HttpRequest, slug: Slug, cut_id: Id, comment_id: Id, payload: ResolveIn
) -> CutComment:
    """Mark a thread resolved, or open it again (the team)."""
    cut = _cut(request, slug, cut_id)
    comment = queries.cut_comment_or_404(cut, comment_id)
    services.set_cut_comment_resolved(
        actor=auth.member(request), comment=comment, resolved=payload.resolved
    )
    return next(t for t in queries.cut_threads(cut) if t.pk == (comment.parent_id or comment.pk))


@router.get(
    "/projects/{slug}/cuts/{cut_id}/export",
    auth=auth.MEMBERS,
    response={200: ExportOut, **documented(401, 403, 404, 422)},
)
def export_cut_comments(
    request: HttpRequest, slug: Slug, cut_id: Id, options: Query[ExportQuery]
) -> dict[str, str]:
    """The cut's threads as editing markers: a CSV table or a CMX3600 EDL."""
    cut = _cut(request, slug, cut_id)
    markers = [
        exports.Marker(
            frame=comment.frame or 0,
            author=comment.author.public_name,
            text=comment.body,
            resolved=comment.is_resolved,
        )
        for comment in queries.cut_markers(cut)
    ]
    if options.format == "csv":
        content = exports.to_csv(
            markers, frame_rate=cut.frame_rate, header=["timecode", "author", "comment", "resolved"]
        )
        return {
            "format": "csv",
            "filename": f"cut-{cut.pk}-comments.csv",
            "content_type": "text/csv",
            "content": content,
        }
    content = exports.to_edl(
        markers, title=f"{cut.project.title} - {cut.title}", frame_rate=cut.frame_rate
    )
    return {
        "format": "edl",
        "filename": f"cut-{cut.pk}-markers.edl",
        "content_type": "text/plain",
        "content": content,
    }
