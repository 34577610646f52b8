"""Everything a person does in a project's feedback space: adding screenplay versions and
cuts, commenting, replying, resolving, and inviting reviewers.

Each function checks who is acting before it changes anything and runs in one
transaction. Adding a version locks the project's row, so two versions added at the same
moment get consecutive numbers and each moves the comments of the one before. Comment
notifications go to the team in a daily digest, replies to the commenter at once,
requests to the reviewers at once.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.accounts.services import ensure_code_of_conduct_accepted
from contrechamp.core import uploads
from contrechamp.core.errors import DomainError, InvalidTransition
from contrechamp.core.transactions import serialised
from contrechamp.feedback import anchoring, fountain, timecode
from contrechamp.feedback.models import (
    MAX_COMMENT_LENGTH,
    MAX_SCREENPLAY_CHARACTERS,
    Cut,
    CutComment,
    FeedbackRequest,
    Reviewer,
    ScreenplayComment,
    ScreenplayVersion,
)
from contrechamp.feedback.permissions import (
    ensure_can_review_cut,
    ensure_can_review_screenplay,
    ensure_on_team,
)
from contrechamp.networks.models import Membership, Network
from contrechamp.notifications.emails import language_of
from contrechamp.notifications.services import in_language_of, notify, notify_many
from contrechamp.projects.models import Project, TeamMember

MAX_SCREENPLAY_BYTES = 1024 * 1024
MAX_VIDEO_BYTES = 500 * 1024 * 1024
MAX_REVIEWERS_BY_NAME = 50
SCREENPLAY_EXTENSIONS = ("fountain", "spmd", "txt")
MAX_CUT_HOURS = 10


# --- Shared checks


def _body(text: str) -> str:
    body = text.strip()
    if not body:
        raise DomainError(_("Write your comment first."))
    if len(body) > MAX_COMMENT_LENGTH:
        raise DomainError(
            _("A comment holds at most %(count)s characters.") % {"count": MAX_COMMENT_LENGTH}
        )
    return body


def _locked_project(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _team(project: Project) -> QuerySet[User]:
    return User.objects.filter(
        Q(pk=project.owner_id) | Q(project_roles__project=project)
    ).distinct()


def _notify_in_their_language(
    members: Iterable[User], *, kind: str, actor: User, title: Any, body: Any, url: str
) -> None:
    """One notification per member, written in each member's language (`title` and
    `body` are lazy texts, evaluated once per language)."""
    by_language: dict[str, list[int]] = defaultdict(list)
    for member in members:
        by_language[language_of(member)].append(member.pk)
    for language, ids in by_language.items():
        with translation.override(language):
            notify_many(
                recipients=User.objects.filter(pk__in=ids),
                kind=kind,
                title=str(title()),
                body=str(body()),
                url=url,
                actor=actor,
            )


# --- Screenplay versions


def read_screenplay_file(upload: UploadedFile[Any]) -> str:
    """The text of an uploaded .fountain/.txt file, or DomainError: too large, another
    type, or not text."""
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("The file is empty."))
    if size > MAX_SCREENPLAY_BYTES:
        raise DomainError(
            _("The file is larger than %(megabytes)s MB: a screenplay in Fountain is much lighter.")
            % {"megabytes": MAX_SCREENPLAY_BYTES // uploads.MEGABYTE}
        )
    name = (upload.name or "").lower()
    if not name.endswith(tuple(f".{extension}" for extension in SCREENPLAY_EXTENSIONS)):
        raise DomainError(_("Send a Fountain file (.fountain or .txt)."))
    upload.seek(0)
    data = upload.read(MAX_SCREENPLAY_BYTES + 1)
    if b"\x00" in data:
        raise DomainError(_("This file is not text: send the screenplay as a Fountain file."))
    try:
        return str(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DomainError(
            _("This file is not text in UTF-8: save it as UTF-8 text and send it again.")
        ) from None


def _check_source(source: str) -> str:
    text = source.replace("\r\n", "\n")
    if not text.strip():
        raise DomainError(_("The screenplay is empty: paste its text or choose a file."))
    if len(text) > MAX_SCREENPLAY_CHARACTERS:
        raise DomainError(
            _("A screenplay holds at most %(count)s characters.")
            % {"count": MAX_SCREENPLAY_CHARACTERS}
        )
    if "\x00" in text:
        raise DomainError(_("This text holds characters a screenplay cannot contain."))
    return text


@serialised
def add_screenplay_version(
    *, actor: User, project: Project, source: str, change_note: str = ""
) -> ScreenplayVersion:
    """A new version of the project's screenplay (the next number). The comments on the
    previous version move to the lines that still exist in this one; the others become
    outdated (see anchoring.py)."""
    ensure_on_team(actor, project)
    ensure_code_of_conduct_accepted(actor)
    text = _check_source(source)
    project = _locked_project(project)
    previous = ScreenplayVersion.objects.filter(project=project).order_by("-number").first()
    parsed = fountain.parse_cached(text)
    version = ScreenplayVersion.objects.create(
        project=project,
        number=(previous.number + 1) if previous else 1,
        source=text,
        title=parsed.title[:200] or project.title[:200],
        change_note=" ".join(change_note.split())[:500],
        added_by=actor,
    )
    if previous is not None:
        _move_comments(previous, version, parsed)
    return version


def _move_comments(
    previous: ScreenplayVersion, version: ScreenplayVersion, parsed: fountain.Screenplay
) -> None:
    comments = list(
        ScreenplayComment.objects.select_for_update().filter(
            version=previous, parent__isnull=True, is_outdated=False
        )
    )
    if not comments:
        return
    reanchorer = anchoring.Reanchorer(fountain.parse_cached(previous.source), parsed)
    moved: list[ScreenplayComment] = []
    outdated: list[ScreenplayComment] = []
    for comment in comments:
        anchor = reanchorer.move(anchoring.Anchor(line=comment.line, scene=comment.scene))
        if anchor is None:
            comment.is_outdated = True
            outdated.append(comment)
        else:
            comment.version = version
            comment.line = anchor.line
            comment.scene = anchor.scene
            moved.append(comment)
    ScreenplayComment.objects.bulk_update(moved, ["version", "line", "scene"])
    ScreenplayComment.objects.bulk_update(outdated, ["is_outdated"])
    # Replies follow their thread.
    ScreenplayComment.objects.filter(parent__in=moved).update(version=version)


def latest_version(project: Project) -> ScreenplayVersion | None:
    return ScreenplayVersion.objects.filter(project=project).order_by("-number").first()


# --- Screenplay comments


@transaction.atomic
def comment_on_screenplay(
    *,
    actor: User,
    version: ScreenplayVersion,
    body: str,
    line: int | None = None,
    scene: int | None = None,
) -> ScreenplayComment:
    """A comment on a line (an element's first source line) or on a whole scene of the
    latest version."""
    project = version.project
    ensure_can_review_screenplay(actor, project)
    ensure_code_of_conduct_accepted(actor)
    text = _body(body)
    latest = latest_version(project)
    if latest is None or latest.pk != version.pk:
        raise InvalidTransition(
            _("A newer version of this screenplay exists: comment on the latest one.")
        )
    parsed = fountain.parse_cached(version.source)
    if line is not None:
        element = parsed.element_at(line)
        if element is None or element.kind not in anchoring.ANCHORABLE:
            raise DomainError(_("This line is not in this version of the screenplay."))
        quoted, scene = element.text, element.scene
    elif scene is not None:
        if scene not in parsed.scene_headings:
            raise DomainError(_("This scene is not in this version of the screenplay."))
        quoted = parsed.scene_headings[scene]
    else:
        raise DomainError(_("Choose the line or the scene you comment on."))
    comment = ScreenplayComment.objects.create(
        version=version,
        written_on=version,
        author=actor,
        line=line,
        scene=scene,
        quoted_text=quoted[:2000],
        body=text,
    )
    team = _team(project).exclude(pk=actor.pk).select_related("notification_language")
    _notify_in_their_language(
        team,
        kind="feedback.comment",
        actor=actor,
        title=lambda: (
            _("%(name)s commented on the screenplay of %(project)s")
            % {"name": actor.public_name, "project": project.title}
        ),
        body=lambda: text[:500],
        url=f"{version.get_absolute_url()}#comment-{comment.pk}",
    )
    return comment


@transaction.atomic
def reply_to_screenplay_comment(
    *, actor: User, comment: ScreenplayComment, body: str
) -> ScreenplayComment:
    thread = comment.parent or comment
    project = thread.version.project
    ensure_can_review_screenplay(actor, project)
    ensure_code_of_conduct_accepted(actor)
    reply = ScreenplayComment.objects.create(
        version=thread.version,
        written_on=thread.version,
        parent=thread,
        author=actor,
        body=_body(body),
    )
    with in_language_of(thread.author):
        notify(
            recipient=thread.author,
            kind="feedback.reply",
            title=_("%(name)s replied to your comment on %(project)s")
            % {"name": actor.public_name, "project": project.title},
            body=reply.body[:500],
            url=f"{thread.version.get_absolute_url()}#comment-{thread.pk}",
            actor=actor,
        )
    return reply


@transaction.atomic
def set_screenplay_comment_resolved(
    *, actor: User, comment: ScreenplayComment, resolved: bool
) -> ScreenplayComment:
    """The team marks a thread resolved (or opens it again)."""
    ensure_on_team(actor, comment.version.project)
    comment = ScreenplayComment.objects.select_for_update().get(pk=comment.pk)
    if comment.parent_id is not None:
        raise DomainError(_("Only a thread's first comment is marked resolved."))
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = actor if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


# --- Cuts


def _check_url(url: str) -> str:
    cleaned = url.strip()
    if not cleaned.lower().startswith(("https://", "http://")) or len(cleaned) > 1000:
        raise DomainError(_("Give the video's address, starting with https:// or http://."))
    if any(c.isspace() or ord(c) < 32 for c in cleaned):
        raise DomainError(_("A video address has no spaces."))
    return cleaned


@dataclass(frozen=True)
class CutDetails:
    title: str
    frame_rate: str
    duration: str
    video_url: str = ""


@transaction.atomic
def add_cut(
    *,
    actor: User,
    project: Project,
    details: CutDetails,
    video_file: UploadedFile[Any] | None = None,
) -> Cut:
    """A cut shared by link (the server never fetches it) or as an uploaded video file."""
    ensure_on_team(actor, project)
    ensure_code_of_conduct_accepted(actor)
    title = " ".join(details.title.split())[:200]
    if not title:
        raise DomainError(_("Give the cut a title."))
    if details.frame_rate not in timecode.RATES:
        raise DomainError(_("Choose the frame rate the cut was edited in."))
    duration = timecode.parse(details.duration, details.frame_rate)
    if duration == 0:
        raise DomainError(_("Give the cut's duration, e.g. 00:12:30:00."))
    if duration > timecode.to_frames(MAX_CUT_HOURS, 0, 0, 0, timecode.rate_of(details.frame_rate)):
        raise DomainError(_("A cut lasts at most %(hours)s hours.") % {"hours": MAX_CUT_HOURS})
    if bool(details.video_url.strip()) == (video_file is not None):
        raise DomainError(_("Give either a link to the video or a video file, not both."))
    cut = Cut(
        project=project,
        title=title,
        frame_rate=details.frame_rate,
        duration_frames=duration,
        added_by=actor,
    )
    if video_file is not None:
        file_type = uploads.check_upload(
            video_file, accepted=uploads.VIDEOS, max_bytes=MAX_VIDEO_BYTES
        )
        cut.file_name = uploads.readable_name(video_file.name, file_type, max_length=200)
        cut.content_type = file_type.content_type
        cut.video_file.save(uploads.random_name(file_type), video_file, save=False)
        try:
            cut.save()
        except Exception:
            # The row is not kept: neither is the file it would have pointed to.
            cut.video_file.delete(save=False)
            raise
        return cut
    cut.video_url = _check_url(details.video_url)
    cut.save()
    return cut


@transaction.atomic
def delete_cut(*, actor: User, cut: Cut) -> None:
    """The team removes a cut, its comments and its file."""
    ensure_on_team(actor, cut.project)
    name = cut.video_file.name if cut.video_file else ""
    storage = cut.video_file.storage
    cut.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- Cut comments


@transaction.atomic
def comment_on_cut(*, actor: User, cut: Cut, body: str, at: str) -> CutComment:
    """A comment at timecode `at` (HH:MM:SS:FF at the cut's frame rate, within its
    duration)."""
    ensure_can_review_cut(actor, cut)
    ensure_code_of_conduct_accepted(actor)
    text = _body(body)
    frame = timecode.parse(at, cut.frame_rate, duration_frames=cut.duration_frames)
    comment = CutComment.objects.create(cut=cut, author=actor, frame=frame, body=text)
    project = cut.project
    team = _team(project).exclude(pk=actor.pk).select_related("notification_language")
    _notify_in_their_language(
        team,
        kind="feedback.comment",
        actor=actor,
        title=lambda: (
            _("%(name)s commented on the cut “%(cut)s” of %(project)s")
            % {"name": actor.public_name, "cut": cut.title, "project": project.title}
        ),
        body=lambda: f"{comment.timecode_label} — {text[:480]}",
        url=f"{cut.get_absolute_url()}#comment-{comment.pk}",
    )
    return comment


@transaction.atomic
def reply_to_cut_comment(*, actor: User, comment: CutComment, body: str) -> CutComment:
    thread = comment.parent or comment
    cut = thread.cut
    ensure_can_review_cut(actor, cut)
    ensure_code_of_conduct_accepted(actor)
    reply = CutComment.objects.create(cut=cut, parent=thread, author=actor, body=_body(body))
    with in_language_of(thread.author):
        notify(
            recipient=thread.author,
            kind="feedback.reply",
            title=_("%(name)s replied to your comment on %(project)s")
            % {"name": actor.public_name, "project": cut.project.title},
            body=reply.body[:500],
            url=f"{cut.get_absolute_url()}#comment-{thread.pk}",
            actor=actor,
        )
    return reply


@transaction.atomic
def set_cut_comment_resolved(*, actor: User, comment: CutComment, resolved: bool) -> CutComment:
    """The team marks a thread resolved (or opens it again)."""
    ensure_on_team(actor, comment.cut.project)
    comment = CutComment.objects.select_for_update().get(pk=comment.pk)
    if comment.parent_id is not None:
        raise DomainError(_("Only a thread's first comment is marked resolved."))
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = actor if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


# --- Feedback requests


def _usernames(names: Iterable[str]) -> list[str]:
    cleaned = list(dict.fromkeys(n.strip().lstrip("@").lower() for n in names if n.strip()))
    if len(cleaned) > MAX_REVIEWERS_BY_NAME:
        raise DomainError(
            _("Name at most %(count)s members at once.") % {"count": MAX_REVIEWERS_BY_NAME}
        )
    return cleaned


@transaction.atomic
def request_feedback(
    *,
    actor: User,
    project: Project,
    version: ScreenplayVersion | None = None,
    cut: Cut | None = None,
    usernames: Iterable[str] = (),
    network: Network | None = None,
    message: str = "",
) -> FeedbackRequest:
    """Invite members (by username, and/or every active member of one of the actor's
    networks) to give feedback on a screenplay version or a cut of the project."""
    ensure_on_team(actor, project)
    ensure_code_of_conduct_accepted(actor)
    if (version is None) == (cut is None):
        raise DomainError(_("Choose a screenplay version or a cut to ask feedback on."))
    target = version if version is not None else cut
    if target is None or target.project_id != project.pk:
        raise DomainError(_("This is not part of this project."))
    names = _usernames(usernames)
    by_name = list(
        User.objects.annotate(lowered=Lower("username")).filter(
            lowered__in=names, is_active=True, deleted_at__isnull=True
        )
    )
    unknown = sorted(set(names) - {member.username.lower() for member in by_name})
    if unknown:
        raise DomainError(
            _("We know no member named %(names)s: check the spelling.")
            % {"names": ", ".join(unknown)}
        )
    member_ids = {member.pk for member in by_name}
    if network is not None:
        if not Membership.objects.filter(
            network=network, user=actor, status=Membership.Status.ACTIVE
        ).exists():
            raise DomainError(_("You can only invite the members of a network you belong to."))
        member_ids |= set(
            Membership.objects.filter(network=network, status=Membership.Status.ACTIVE)
            .filter(user__is_active=True, user__deleted_at__isnull=True)
            .values_list("user_id", flat=True)
        )
    team_ids = set(TeamMember.objects.filter(project=project).values_list("member_id", flat=True))
    member_ids -= team_ids | {project.owner_id, actor.pk}
    if not member_ids:
        raise DomainError(_("Name at least one member outside the team to ask for feedback."))
    feedback_request = FeedbackRequest.objects.create(
        project=project,
        version=version,
        cut=cut,
        message=message.strip()[:3000],
        requested_by=actor,
    )
    Reviewer.objects.bulk_create(
        [
            Reviewer(request=feedback_request, member_id=pk, project=project, cut=cut)
            for pk in sorted(member_ids)
        ],
        batch_size=1000,
    )
    reviewers = User.objects.filter(pk__in=member_ids).select_related("notification_language")
    _notify_in_their_language(
        reviewers,
        kind="feedback.request",
        actor=actor,
        title=lambda: (
            _("%(name)s asks for your feedback on %(project)s")
            % {"name": actor.public_name, "project": project.title}
        ),
        body=lambda: feedback_request.message[:500],
        url=feedback_request.get_absolute_url(),
    )
    return feedback_request
