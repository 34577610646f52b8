"""Community stories, who they involve, their comments, and network endorsements.

A story is written by one member, kept as a draft until they publish it. It names the
networks involved (shown at once: a network is public; its admins may remove the tag) and
the people involved (shown only once the person accepts; they may remove it later). An
endorsement ("I recommend this network") is one per member per network, editable and
withdrawable, optionally linked to a story that tells why.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrechamp.networks.models import Network

TITLE_MAX = 150
LEAD_MAX = 300
BODY_MAX = 30_000
ALT_MAX = 200
COMMENT_MAX = 2_000
ENDORSEMENT_MAX = 1_000


class Story(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stories"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    lead = models.CharField(_("lead"), max_length=LEAD_MAX, blank=True)
    body = models.TextField(_("story"), max_length=BODY_MAX)
    # Re-encoded by the services (metadata such as GPS position dropped), never the
    # uploaded bytes themselves.
    cover = models.FileField(upload_to="stories/covers/", blank=True)
    cover_thumbnail = models.FileField(upload_to="stories/covers/thumbnails/", blank=True)
    cover_alt = models.CharField(_("cover description"), max_length=ALT_MAX, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "stories"
        ordering: ClassVar = ["-published_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="story_published_has_date",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["status", "published_at"], name="story_published"),
            models.Index(fields=["author", "status"], name="story_by_author"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class StoryImage(models.Model):
    """An image of the story, placed in its text with `[[image N]]` on a line of its own;
    the images not placed are shown after the text."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="images")
    number = models.PositiveSmallIntegerField()
    image = models.FileField(upload_to="stories/images/")
    thumbnail = models.FileField(upload_to="stories/images/thumbnails/")
    alt_text = models.CharField(_("description of the image"), max_length=ALT_MAX)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["story", "number"], name="story_image_number"),
        ]

    def __str__(self) -> str:
        return f"{self.story_id} · {self.number}"


class NetworkTag(models.Model):
    """A network involved in a story: public at once. When one of the network's admins
    removes it, the row stays with `removed_at` so the author cannot add it back."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="network_tags")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="story_tags")
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["network__name_normalised"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["story", "network"], name="story_network_tag_once"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["network", "removed_at"], name="story_tag_by_network"),
        ]

    def __str__(self) -> str:
        return f"{self.story_id} · {self.network_id}"

    @property
    def is_shown(self) -> bool:
        return self.removed_at is None


class PersonTag(models.Model):
    """A person involved in a story: pending until they accept; shown only when accepted.
    A refusal (or a later removal by the person) keeps the row as refused, so the author
    cannot ask again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="person_tags")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_tags"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["story", "person"], name="story_person_tag_once"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["person", "status"], name="story_tag_by_person"),
        ]

    def __str__(self) -> str:
        return f"{self.story_id} · {self.person_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED


class Comment(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_comments"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        indexes: ClassVar = [
            models.Index(fields=["story", "created_at"], name="story_comment_by_date"),
        ]

    def __str__(self) -> str:
        return f"{self.story_id} · {self.author_id}"


class Endorsement(models.Model):
    """ "I recommend this network": one per member per network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="endorsements")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements"
    )
    text = models.TextField(_("your recommendation"), max_length=ENDORSEMENT_MAX)
    story = models.ForeignKey(
        Story,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="endorsements",
        verbose_name=_("story that tells why"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-updated_at", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["network", "author"], name="endorsement_once_per_member"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["network", "updated_at"], name="endorsement_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} → {self.network_id}"
