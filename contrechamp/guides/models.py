"""Guides and technical sheets that clubs pool: versioned pages in Markdown with files.

A guide is owned by a member or by a network (exactly one, a database constraint). Its
editors are the owning member, the admins and organisers of the owning network, and the
co-editors the owner adds. It is public, or shown to the members of the networks it is
shared with (the owning network's members always see it).

Every save writes a `GuideVersion`: the guide row holds the current text and the number
of its latest version, which edits check under the row lock (an edit based on an older
version is refused). History is never rewritten: restoring an old version saves its text
as a new version.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrechamp.core.storage import PrivateStorage
from contrechamp.networks.models import Network

TITLE_MAX = 200
SUMMARY_MAX = 500
BODY_MAX = 100_000
NOTE_MAX = 200
TAG_MAX = 40
TAGS_PER_GUIDE = 10


class GuideTag(models.Model):
    """A word to file guides under ("16 mm", "plein air"), lower case, shared by all."""

    name = models.CharField(max_length=TAG_MAX, unique=True)

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class Guide(models.Model):
    class Kind(models.TextChoices):
        GUIDE = "guide", _("Guide")
        CHECKLIST = "checklist", _("Checklist")
        TEMPLATE = "template", _("Model letter or template")
        SHEET = "sheet", _("Technical sheet")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GUIDE)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.CharField(_("summary"), max_length=SUMMARY_MAX, blank=True)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    tags = models.ManyToManyField(GuideTag, blank=True, related_name="guides")
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="owned_guides",
    )
    owner_network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, related_name="owned_guides"
    )
    is_public = models.BooleanField(_("public"), default=False)
    shared_with = models.ManyToManyField(Network, blank=True, related_name="shared_guides")
    # The number of the latest version: an edit names the version it started from.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Members for whom it was useful, kept in step with GuideHelpful under the row lock.
    helped_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["-updated_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(owner_user__isnull=False, owner_network__isnull=True)
                | Q(owner_user__isnull=True, owner_network__isnull=False),
                name="guide_one_owner",
            ),
        ]
        indexes: ClassVar = [
            # The list, latest edited first: walked in order until a page of visible ones.
            models.Index(fields=["-updated_at", "-id"], name="guide_recent"),
            models.Index(fields=["is_public", "-updated_at"], name="guide_public_recent"),
            models.Index(fields=["kind", "-updated_at"], name="guide_kind_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guides:detail", args=[self.pk])

    @property
    def owner_name(self) -> str:
        if self.owner_network is not None:
            return self.owner_network.name
        assert self.owner_user is not None  # noqa: S101 - guaranteed by guide_one_owner
        return self.owner_user.public_name


class GuideEditor(models.Model):
    """A co-editor the owner added (the owner and the network's organisers edit anyway)."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="editor_rows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guide_editor_rows"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["added_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["guide", "user"], name="guide_editor_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.guide}"


class GuideVersion(models.Model):
    """The guide's text as one save left it; never changed afterwards."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Guide.Kind.choices)
    title = models.CharField(max_length=TITLE_MAX)
    summary = models.CharField(max_length=SUMMARY_MAX, blank=True)
    body = models.TextField(max_length=BODY_MAX)
    # Tags as they were, comma-separated: restoring a version restores them.
    tags = models.CharField(max_length=TAGS_PER_GUIDE * (TAG_MAX + 2), blank=True)
    note = models.CharField(max_length=NOTE_MAX, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="guide_versions",
    )
    created_at = models.DateTimeField(default=timezone.now)
    restored_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["guide", "number"], name="guide_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.guide_id} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("guides:version", args=[self.guide_id, self.number])

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]


def attachment_path(attachment: "GuideAttachment", filename: str) -> str:
    return f"guides/{attachment.guide_id}/{filename}"


class GuideAttachment(models.Model):
    """A PDF, image or spreadsheet attached to a guide. Kept in private storage and handed
    out by a view that checks who may see the guide, whether it is public or not."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=PrivateStorage(), max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("guides:attachment", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class GuideHelpful(models.Model):
    """ "This guide helped me": one per member and guide, never from its editors."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guides_helpful"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["guide", "user"], name="guide_helpful_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.guide}"
