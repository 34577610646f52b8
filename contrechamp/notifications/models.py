from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrechamp.notifications.kinds import Delivery


class Notification(models.Model):
    """Something a member should know: shown in the app, and emailed as they chose.

    `delivery` is the member's choice for this kind when the notification was made: the
    `deliver` task emails it at once when IMMEDIATE, the daily digest gathers it when
    DIGEST; `emailed_at` is set when an email carrying it was handed to the mailer, so it is
    never emailed twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=80)
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=2000, blank=True)
    url = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.OFF)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["recipient", "read_at", "created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(delivery="digest", emailed_at__isnull=True),
                name="notification_digest_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.kind} · {self.title}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """A member's choice for one kind, stored only where it differs from the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=80)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {self.delivery}"


class MemberLanguage(models.Model):
    """The interface language of the member's last request: their emails are written in it.

    Kept by `RememberLanguageMiddleware`, which writes only when it changes.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_language",
    )
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} · {self.language}"


class Newsletter(models.Model):
    """A newsletter an organiser sent to a network's members, kept as it was sent."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="newsletters"
    )
    subject = models.CharField(_("subject"), max_length=200)
    introduction = models.TextField(_("introduction"), max_length=5000, blank=True)
    # The sections as composed when sending: [{slug, title, items: [{title, url, text}]}].
    sections = models.JSONField(default=list, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(default=timezone.now)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["-sent_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["network", "sent_at"], name="newsletter_by_network"),
        ]

    def __str__(self) -> str:
        return f"{self.network} · {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("notifications:newsletter", args=[self.network.slug, self.pk])
