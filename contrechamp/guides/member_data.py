"""The guides app's part in a member's data export and account deletion, and in their
reputation. Registered in `GuidesConfig.ready()`."""

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import Coalesce

from contrechamp.accounts.models import User
from contrechamp.guides.models import (
    Guide,
    GuideAttachment,
    GuideEditor,
    GuideHelpful,
    GuideVersion,
)
from contrechamp.search.services import reindex_on_commit

# Reputation points for each member a guide helped.
POINTS_PER_HELPED = 5


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_member_guides(user: User) -> dict[str, object]:
    """The guides the member owns (with their text), the versions they saved anywhere,
    the guides they co-edit and those they said helped them."""
    owned = Guide.objects.filter(owner_user=user).prefetch_related("tags").order_by("pk")
    versions = (
        GuideVersion.objects.filter(author=user)
        .select_related("guide")
        .only("number", "title", "note", "created_at", "guide__title")
        .order_by("pk")
    )
    co_edits = GuideEditor.objects.filter(user=user).select_related("guide").order_by("pk")
    helped = GuideHelpful.objects.filter(user=user).select_related("guide").order_by("pk")
    files = GuideAttachment.objects.filter(uploaded_by=user).select_related("guide").order_by("pk")
    return {
        "owned": [
            {
                "id": guide.pk,
                "kind": guide.kind,
                "title": guide.title,
                "summary": guide.summary,
                "body": guide.body,
                "tags": [tag.name for tag in guide.tags.all()],
                "public": guide.is_public,
                "version": guide.version,
                "created_at": _iso(guide.created_at),
                "updated_at": _iso(guide.updated_at),
            }
            for guide in owned
        ],
        "versions_saved": [
            {
                "guide": version.guide.title,
                "number": version.number,
                "note": version.note,
                "saved_at": _iso(version.created_at),
            }
            for version in versions
        ],
        "co_editor_of": [row.guide.title for row in co_edits],
        "helped_me": [mark.guide.title for mark in helped],
        "files_uploaded": [
            {"guide": attachment.guide.title, "name": attachment.original_name}
            for attachment in files
        ],
    }


@transaction.atomic
def withdraw_member_guides(user: User) -> None:
    """Inside the deletion transaction: the member's own guides go with their history and
    files; they stop co-editing others'; their "helped me" marks are withdrawn. Versions
    they saved in guides others own stay, pointing at the anonymised member, so that
    those guides keep their history."""
    owned = list(Guide.objects.filter(owner_user=user).values_list("pk", flat=True))
    names = list(GuideAttachment.objects.filter(guide_id__in=owned).values_list("file", flat=True))
    Guide.objects.filter(pk__in=owned).delete()
    GuideEditor.objects.filter(user=user).delete()
    marked = list(GuideHelpful.objects.filter(user=user).values_list("guide_id", flat=True))
    GuideHelpful.objects.filter(user=user).delete()
    for guide_id in marked:
        Guide.objects.filter(pk=guide_id).update(
            helped_count=GuideHelpful.objects.filter(guide_id=guide_id).count()
        )
    storage = GuideAttachment.file.field.storage
    for name in names:
        if name:
            transaction.on_commit(functools.partial(storage.delete, name), robust=True)
    reindex_on_commit("guides", owned)


def helped_points(user_ids: Sequence[int]) -> Mapping[int, int]:
    """Points for the guides that helped others, credited to the owning member, or for a
    network's guide to the member who wrote it (one query)."""
    rows = (
        GuideHelpful.objects.annotate(
            credited=Coalesce(F("guide__owner_user_id"), F("guide__created_by_id"))
        )
        .filter(credited__in=list(user_ids))
        .values("credited")
        .annotate(marks=Count("pk"))
    )
    return {row["credited"]: row["marks"] * POINTS_PER_HELPED for row in rows}
