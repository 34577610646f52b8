"""The wanted app's part in a member's data export and account deletion.

Registered with `contrechamp.accounts.registry` in `WantedConfig.ready()`.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.search.services import reindex_on_commit
from contrechamp.wanted.models import WantedRequest


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_member_wanted(user: User) -> list[dict[str, object]]:
    """The member's wanted requests, with the offers found for each."""
    requests = (
        WantedRequest.objects.filter(requester=user)
        .select_related("film", "network")
        .prefetch_related("matches")
        .order_by("pk")
    )
    return [
        {
            "film": {"id": request.film_id, "title": request.film.title},
            "formats": request.format_list,
            "audio_languages": request.audio_language_list,
            "subtitle_languages": request.subtitle_language_list,
            "note": request.note,
            "shown_to": request.network.slug if request.network else "everyone",
            "status": request.status,
            "posted_at": _iso(request.created_at),
            "resolved_at": _iso(request.resolved_at),
            "matches": [
                {
                    "source": match.source,
                    "title": match.title,
                    "where": match.where,
                    "found_at": _iso(match.found_at),
                    "is_current": match.is_current,
                }
                for match in request.matches.all()
            ],
        }
        for request in requests
    ]


@transaction.atomic
def withdraw_member_wanted(user: User) -> None:
    """A deleted account looks for nothing: its open requests are withdrawn (kept, so
    the counts of the film pages stay right, with no note that could identify them)."""
    now = timezone.now()
    ids = list(
        WantedRequest.objects.filter(requester=user, status=WantedRequest.Status.OPEN).values_list(
            "pk", flat=True
        )
    )
    WantedRequest.objects.filter(requester=user).update(note="")
    WantedRequest.objects.filter(pk__in=ids).update(
        status=WantedRequest.Status.WITHDRAWN, resolved_at=now, updated_at=now
    )
    reindex_on_commit("wanted", ids)
