"""Screenplay versions and cuts of a project, the comments reviewers leave on them, and
the requests that invite reviewers.

Only the project's team and the members a feedback request invited see this space; the
project page's own visibility does not open it (see permissions.py).

A screenplay comment points at a line (the source line its element starts on) or a scene
(its number) of the version it is attached to. When a new version is added, the comments
of the previous one move to it (anchoring.py) or become outdated: they stay attached to
the version they were last found in, shown apart with the text they quoted. Replies
belong to their thread's first comment and carry no anchor of their own.

A cut comment points at a frame (stored as a frame count; shown as an SMPTE timecode at
the cut's frame rate).
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrechamp.core.storage import PrivateStorage
from contrechamp.feedback import timecode
from contrechamp.projects.models import Project

MAX_SCREENPLAY_CHARACTERS = 1_000_000
MAX_COMMENT_LENGTH = 5000


class ScreenplayVersion(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="screenplay_versions"
    )
    number = models.PositiveIntegerField()
    source = models.TextField(max_length=MAX_SCREENPLAY_CHARACTERS)
    title = models.CharField(_("title"), max_length=200, blank=True)
    change_note = models.CharField(_("what changed"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("project", "-number")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=("project", "number"), name="feedback_one_number_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.title} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:version", args=[self.project.slug, self.number])


class Cut(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cuts")
    title = models.CharField(_("title"), max_length=200)
    video_url = models.URLField(_("video link"), max_length=1000, blank=True)
    video_file = models.FileField(storage=PrivateStorage(), upload_to="cuts/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    frame_rate = models.CharField(
        _("frame rate"), max_length=10, choices=timecode.FrameRate.choices
    )
    duration_frames = models.PositiveIntegerField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("project", "-created_at", "-pk")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(Q(video_url="") & ~Q(video_file=""))
                | (~Q(video_url="") & Q(video_file="")),
                name="feedback_cut_link_or_file",
            ),
            models.CheckConstraint(
                condition=Q(duration_frames__gt=0), name="feedback_cut_has_duration"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("feedback:cut", args=[self.project.slug, self.pk])

    @property
    def duration(self) -> str:
        return timecode.format_frames(self.duration_frames, self.frame_rate)

    @property
    def is_direct_video(self) -> bool:
        """A link to a video file the browser can play in a <video> element."""
        path = self.video_url.split("?", 1)[0].split("#", 1)[0].lower()
        return bool(self.video_file) or path.endswith((".mp4", ".m4v", ".webm", ".mov", ".ogv"))


class FeedbackRequest(models.Model):
    """The team asks members for feedback on a screenplay version or a cut."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="feedback_requests")
    version = models.ForeignKey(
        ScreenplayVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="requests"
    )
    cut = models.ForeignKey(
        Cut, on_delete=models.CASCADE, null=True, blank=True, related_name="requests"
    )
    message = models.TextField(_("message"), max_length=3000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(version__isnull=True, cut__isnull=False)
                | Q(version__isnull=False, cut__isnull=True),
                name="feedback_request_on_version_or_cut",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.title} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:request", args=[self.project.slug, self.pk])


class Reviewer(models.Model):
    """A member invited by a request: they may read and comment on what it is about."""

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="reviewers")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_invitations"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    # Denormalised from the request so "may X review this cut / this screenplay" is one
    # indexed lookup.
    cut = models.ForeignKey(Cut, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=("request", "member"), name="feedback_reviewer_once_per_request"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=("member", "project"), name="feedback_reviewer_access")
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.request}"


class ScreenplayComment(models.Model):
    version = models.ForeignKey(
        ScreenplayVersion, on_delete=models.CASCADE, related_name="comments"
    )
    # The version it was written on (its anchor may have moved to later versions since).
    written_on = models.ForeignKey(ScreenplayVersion, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="screenplay_comments"
    )
    line = models.PositiveIntegerField(null=True, blank=True)
    scene = models.PositiveIntegerField(null=True, blank=True)
    # The line's (or scene heading's) text when the comment was written.
    quoted_text = models.TextField(blank=True)
    is_outdated = models.BooleanField(default=False)
    body = models.TextField(max_length=MAX_COMMENT_LENGTH)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(line__isnull=False) | Q(scene__isnull=False),
                name="feedback_screenplay_comment_anchored",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=("version", "is_outdated"), name="feedback_comments_of_version"),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.version}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class CutComment(models.Model):
    cut = models.ForeignKey(Cut, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cut_comments"
    )
    frame = models.PositiveIntegerField(null=True, blank=True)
    body = models.TextField(max_length=MAX_COMMENT_LENGTH)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("frame", "created_at", "pk")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(frame__isnull=False),
                name="feedback_cut_comment_at_timecode",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.cut}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def timecode_label(self) -> str:
        return timecode.format_frames(self.frame or 0, self.cut.frame_rate)
