"""Keeping the search index in step with the apps' rows.

The apps' services call `reindex_on_commit(kind, ids)` after changing something findable:
once their transaction commits, `reindex` asks the kind's provider for fresh entries and
writes them (or removes the documents of ids that no longer belong: a draft, a withdrawn
item). Indexing runs after the commit so that it never sees, nor rolls back with, a change
that did not happen; a failure there is logged and never turns the person's completed
action into an error page (`manage.py rebuild_search_index` repairs whatever was missed).

Writes of one kind are serialised (an advisory lock on PostgreSQL, SQLite's IMMEDIATE
transactions): two reindexings of the same item cannot interleave their read and their
write and leave the older version in the index.
"""

import zlib
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.core.transactions import serialised
from contrechamp.search import engine, registry
from contrechamp.search.models import Document

REBUILD_BATCH = 1000
# Columns an upsert rewrites (everything but the key).
WRITTEN_FIELDS = (
    "title",
    "text",
    "category",
    "url",
    "search_text",
    "is_public",
    "network",
    "owner",
    "owner_circle",
    "happens_at",
    "expires_at",
    "updated_at",
)
# Namespace of the advisory locks (the other half of the key is the kind).
LOCK_NAMESPACE = 7_310_011


def _lock_kind(kind: str) -> None:
    if engine.is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [LOCK_NAMESPACE, zlib.crc32(kind.encode()) - 2**31],
            )


def _document(kind: str, entry: registry.Entry, now: datetime) -> Document:
    return Document(
        kind=kind,
        object_id=entry.object_id,
        title=entry.title[:300],
        text=entry.text[:300],
        category=entry.category[:40],
        url=entry.url[:500],
        search_text=engine.fold(*entry.words),
        is_public=entry.is_public,
        network_id=entry.network_id,
        owner_id=entry.owner_id,
        owner_circle=entry.owner_circle,
        happens_at=entry.happens_at,
        expires_at=entry.expires_at,
        updated_at=now,
    )


@serialised
def reindex(kind: str, object_ids: Iterable[int]) -> int:
    """Rewrite the documents of these objects of `kind` from their provider, then those of
    the kinds that follow it; returns how many documents were written.

    Ids the provider gives no entry for lose their document. Three queries plus the
    provider's, whatever the number of ids (call with batches of about a thousand)."""
    provider = registry.get(kind)
    ids = sorted(set(object_ids))
    if not ids:
        return 0
    _lock_kind(kind)
    now = timezone.now()
    documents = [_document(kind, entry, now) for entry in provider.entries(ids)]
    if documents:
        Document.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=list(WRITTEN_FIELDS),
        )
    kept = {document.object_id for document in documents}
    gone = [pk for pk in ids if pk not in kept]
    if gone:
        Document.objects.filter(kind=kind, object_id__in=gone).delete()
    written = len(documents)
    for follower, affected in registry.followers(kind):
        written += reindex(follower.kind, affected(ids))
    return written


def reindex_on_commit(kind: str, object_ids: Iterable[int]) -> None:
    """Reindex these objects once the current transaction commits (at once outside one).

    An unknown kind fails here, in the caller's transaction, not later out of sight."""
    registry.get(kind)
    ids = list(object_ids)
    if ids:
        transaction.on_commit(lambda: reindex(kind, ids), robust=True)


def reindex_owned_on_commit(member: User) -> None:
    """After the commit, reindex every document the member owns (their account was
    deleted: their items left the library)."""
    owned: dict[str, list[int]] = {}
    for kind, object_id in Document.objects.filter(owner=member).values_list("kind", "object_id"):
        owned.setdefault(kind, []).append(object_id)
    for kind, ids in owned.items():
        if registry.is_registered(kind):
            reindex_on_commit(kind, ids)


def rebuild_index(
    *,
    kinds: Sequence[str] | None = None,
    batch_size: int = REBUILD_BATCH,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Rewrite the documents of every object of these kinds (all registered kinds by
    default), `batch_size` objects per transaction, then remove the documents this run did
    not write (objects gone, or kinds no longer registered); returns the documents written
    per kind. Idempotent: a second run writes the same documents. Changes made meanwhile
    by the services are kept (they are newer than the run's start)."""
    chosen = [registry.get(kind) for kind in kinds] if kinds else registry.providers()
    written: dict[str, int] = {}
    for provider in chosen:
        started = timezone.now()
        written[provider.kind] = 0
        last = 0
        while True:
            batch = list(provider.all_ids().filter(pk__gt=last).order_by("pk")[:batch_size])
            if not batch:
                break
            written[provider.kind] += _reindex_alone(provider.kind, batch)
            last = batch[-1]
            if progress is not None:
                progress(provider.kind, written[provider.kind])
        Document.objects.filter(kind=provider.kind, updated_at__lt=started).delete()
    if not kinds:
        Document.objects.exclude(kind__in=[provider.kind for provider in chosen]).delete()
    return written


@serialised
def _reindex_alone(kind: str, ids: list[int]) -> int:
    """One batch of a rebuild: this kind's documents only (a rebuild visits every kind)."""
    provider = registry.get(kind)
    _lock_kind(kind)
    now = timezone.now()
    documents = [_document(kind, entry, now) for entry in provider.entries(ids)]
    Document.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=list(WRITTEN_FIELDS),
    )
    return len(documents)


def purge_expired_documents() -> int:
    """Remove the documents of things that are over (events that ended); a periodic job.
    The search already hides them: this keeps the index small."""
    deleted, _by_model = Document.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def export_member_documents(member: User) -> list[dict[str, Any]]:
    """What the site's search shows of the things a member owns (data export)."""
    return [
        {"kind": kind, "title": title, "url": url}
        for kind, title, url in Document.objects.filter(owner=member)
        .order_by("kind", "object_id")
        .values_list("kind", "title", "url")
    ]
