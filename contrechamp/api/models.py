"""Personal access tokens: how scripts and phone apps act for a member through the API.

Only a SHA-256 hash of each secret is stored: the secret is shown once, when the token is
made, and cannot be read back. The secret is 256 random bits, so a fast hash is enough
(nobody can guess their way to it); the short `prefix` kept in clear lets a member tell
their tokens apart. A revoked or expired token stays as a row for the record.
"""

from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        """What the token may do. Writing includes reading."""

        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the secret, shown so that a member recognises a token.
    prefix = models.CharField(max_length=16)
    secret_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # Written at most once a minute (see `services.record_use`), not on every request.
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints: ClassVar = [
            # Two live tokens with one name could not be told apart on the settings page.
            models.UniqueConstraint(
                fields=["owner", "name"],
                condition=Q(revoked_at__isnull=True),
                name="api_token_live_name_unique",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["owner", "revoked_at"], name="api_token_by_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def has_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_live(self, now: datetime | None = None) -> bool:
        return not self.is_revoked and not self.has_expired(now)
