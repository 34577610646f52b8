"""The search index: one row per thing the site's search can find, whatever its app.

A `Document` is derived data: each app's provider (see `registry.py`) builds it from its
own rows, and `services.reindex` rewrites it after the app's transaction commits. Losing
the whole table loses nothing: `manage.py rebuild_search_index` writes it again.

Who may see a document is stored with it, so that the search filters in SQL:
- `is_public`: anyone;
- `network`: the active members of that network (a members-only event, a network's item);
- `owner`: that member, and when `owner_circle` is set, every active member of a network
  the owner belongs to at the time of the search (an item shown to "members of my
  networks"), read from the memberships, not copied here.

Each database searches `search_text` its own way (migration 0001): SQLite through an FTS5
table kept in step by triggers, PostgreSQL through a stored `search_vector` column; both
also index `kind`, so that a search can ask for a few candidates of each kind.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from contrechamp.networks.models import Network


class Document(models.Model):
    # The provider's slug ("films", "events"…): a word without spaces.
    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    # A short line shown under the title: facts, not sentences to translate.
    text = models.CharField(max_length=300, blank=True)
    # The object's own type within its kind (an item's "dvd", an event's "screening"),
    # named in the reader's language by the provider's `categories`.
    category = models.CharField(max_length=40, blank=True)
    url = models.CharField(max_length=500)
    # Words both engines index: lower case, no accents, plurals folded (`engine.fold`).
    search_text = models.TextField()
    is_public = models.BooleanField(default=True)
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_circle = models.BooleanField(default=False)
    # When the thing happens (an event's start), shown with the result.
    happens_at = models.DateTimeField(null=True, blank=True)
    # After this moment the search no longer shows it (an event that has ended).
    expires_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique"),
        ]
        indexes: ClassVar = [
            # The rebuild's sweep of what it did not rewrite, and the purge of ended events.
            models.Index(fields=["kind", "updated_at"], name="search_document_kind_updated"),
            models.Index(fields=["expires_at"], name="search_document_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"
