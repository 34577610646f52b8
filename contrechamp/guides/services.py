"""What members do with guides: write, edit (each save a version), restore, share, add
co-editors, attach files, say a guide helped them.

Every function takes the acting member first, checks permission before changing anything
and runs in one transaction. Edits lock the guide's row and compare the version the
editor started from with the latest one: an edit based on an outdated version is refused
(Conflict) and changes nothing. Notifications and search indexing happen after the commit.
"""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.accounts.services import ensure_code_of_conduct_accepted
from contrechamp.core import uploads
from contrechamp.core.errors import Conflict, DomainError
from contrechamp.core.transactions import serialised
from contrechamp.guides.models import (
    BODY_MAX,
    NOTE_MAX,
    SUMMARY_MAX,
    TAG_MAX,
    TAGS_PER_GUIDE,
    TITLE_MAX,
    Guide,
    GuideAttachment,
    GuideEditor,
    GuideHelpful,
    GuideTag,
    GuideVersion,
)
from contrechamp.guides.permissions import (
    EDITOR_ROLES,
    can_edit,
    can_see,
    ensure_can_edit,
    ensure_can_manage,
)
from contrechamp.networks.models import Membership, Network, RoleAssignment
from contrechamp.networks.permissions import ensure_role
from contrechamp.notifications.services import in_language_of, notify
from contrechamp.search.services import reindex_on_commit

ATTACHMENT_TYPES = tuple(dict.fromkeys(uploads.DOCUMENTS + uploads.SPREADSHEETS + uploads.IMAGES))
ATTACHMENT_MAX_BYTES = 10 * uploads.MEGABYTE
ATTACHMENTS_PER_GUIDE = 12
ATTACHMENT_NAME_MAX = 200
CO_EDITORS_MAX = 30
SHARED_NETWORKS_MAX = 20


@dataclass(frozen=True)
class GuideDetails:
    """What an editor writes; `tags` are words as typed (normalised by the services)."""

    title: str
    body: str
    kind: str = Guide.Kind.GUIDE
    summary: str = ""
    tags: Sequence[str] = field(default_factory=tuple)


def normalise_tags(words: Iterable[str]) -> list[str]:
    """Tags in lower case, single-spaced, without commas, each once, in the order given."""
    found: list[str] = []
    for word in words:
        tag = " ".join(word.replace(",", " ").split()).lower()
        if tag and tag not in found:
            found.append(tag)
    return found


def split_tags(text: str) -> list[str]:
    """Tags typed in one field, separated by commas."""
    return normalise_tags(text.split(","))


def _clean(details: GuideDetails) -> GuideDetails:
    """The details stripped, or DomainError naming what is wrong."""
    title = " ".join(details.title.split())
    summary = " ".join(details.summary.split())
    body = details.body.replace("\r\n", "\n").strip()
    if details.kind not in Guide.Kind.values:
        raise DomainError(_("Choose a kind of guide from the list."))
    if not title:
        raise DomainError(_("Give the guide a title."))
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("The title is too long (%(max)d characters at most).") % {"max": TITLE_MAX}
        )
    if len(summary) > SUMMARY_MAX:
        raise DomainError(
            _("The summary is too long (%(max)d characters at most).") % {"max": SUMMARY_MAX}
        )
    if not body:
        raise DomainError(_("Write the text of the guide."))
    if len(body) > BODY_MAX:
        raise DomainError(
            _("The text is too long (%(max)s characters at most): split it into several guides.")
            % {"max": f"{BODY_MAX:,}"}
        )
    tags = normalise_tags(details.tags)
    if len(tags) > TAGS_PER_GUIDE:
        raise DomainError(_("Use %(max)d tags at most.") % {"max": TAGS_PER_GUIDE})
    if any(len(tag) > TAG_MAX for tag in tags):
        raise DomainError(_("A tag is %(max)d characters at most.") % {"max": TAG_MAX})
    return GuideDetails(title=title, body=body, kind=details.kind, summary=summary, tags=tags)


def _clean_note(note: str) -> str:
    note = " ".join(note.split())
    if len(note) > NOTE_MAX:
        raise DomainError(
            _("The note is too long (%(max)d characters at most).") % {"max": NOTE_MAX}
        )
    return note


def _set_tags(guide: Guide, names: Sequence[str]) -> None:
    GuideTag.objects.bulk_create([GuideTag(name=name) for name in names], ignore_conflicts=True)
    guide.tags.set(GuideTag.objects.filter(name__in=names))


def _record_version(
    guide: Guide, *, author: User, note: str, restored_from: int | None = None
) -> GuideVersion:
    return GuideVersion.objects.create(
        guide=guide,
        number=guide.version,
        kind=guide.kind,
        title=guide.title,
        summary=guide.summary,
        body=guide.body,
        tags=",".join(sorted(guide.tags.values_list("name", flat=True))),
        note=note,
        author=author,
        created_at=guide.updated_at,
        restored_from=restored_from,
    )


def _locked(guide: Guide) -> Guide:
    """The guide's row, locked until the transaction ends; Conflict if it was deleted."""
    locked = (
        Guide.objects.select_for_update(of=("self",))
        .select_related("owner_network", "owner_user")
        .filter(pk=guide.pk)
        .first()
    )
    if locked is None:
        raise Conflict(_("This guide no longer exists."))
    return locked


def editors_of(guide: Guide) -> QuerySet[User]:
    """Everyone who may edit the guide: the owning member or the owning network's admins
    and organisers (active members), and the co-editors."""
    who = Q(pk__in=GuideEditor.objects.filter(guide=guide).values("user_id"))
    if guide.owner_user_id is not None:
        who |= Q(pk=guide.owner_user_id)
    elif guide.owner_network_id is not None:
        roles = RoleAssignment.objects.filter(
            network_id=guide.owner_network_id, role__in=EDITOR_ROLES, ended_at__isnull=True
        ).values("user_id")
        active = Membership.objects.filter(
            network_id=guide.owner_network_id, status=Membership.Status.ACTIVE
        ).values("user_id")
        who |= Q(pk__in=roles) & Q(pk__in=active)
    return User.objects.filter(who, is_active=True, deleted_at__isnull=True)


def _tell_editors_of_edit(guide: Guide, *, actor: User, note: str) -> None:
    """Each other editor hears of the edit (by default in their daily digest)."""
    for editor in editors_of(guide).exclude(pk=actor.pk):
        with in_language_of(editor):
            notify(
                recipient=editor,
                kind="guides.edited",
                title=_("%(name)s edited “%(title)s” (version %(number)d)")
                % {"name": actor.public_name, "title": guide.title, "number": guide.version},
                body=note,
                url=guide.get_absolute_url(),
                actor=actor,
            )


def _ensure_sharable(actor: User, networks: Sequence[Network], already: Iterable[int]) -> None:
    """A guide can be newly shared only with networks the actor is an active member of."""
    new_ids = {network.pk for network in networks} - set(already)
    if len(networks) > SHARED_NETWORKS_MAX:
        raise DomainError(
            _("Share it with %(max)d networks at most.") % {"max": SHARED_NETWORKS_MAX}
        )
    if new_ids:
        member_of = Membership.objects.filter(
            user=actor, network_id__in=new_ids, status=Membership.Status.ACTIVE
        ).count()
        if member_of != len(new_ids):
            raise PermissionDenied(_("You can share a guide only with networks you belong to."))


@serialised
def create_guide(
    *,
    actor: User,
    details: GuideDetails,
    network: Network | None = None,
    is_public: bool = False,
    shared_with: Sequence[Network] = (),
    note: str = "",
) -> Guide:
    """Write a guide, owned by the actor or, for its admins and organisers, by `network`;
    version 1 is recorded."""
    if network is not None:
        ensure_role(actor, network, EDITOR_ROLES)
    ensure_code_of_conduct_accepted(actor)
    cleaned = _clean(details)
    note = _clean_note(note)
    shared = [n for n in dict.fromkeys(shared_with) if network is None or n.pk != network.pk]
    _ensure_sharable(actor, shared, [])
    now = timezone.now()
    guide = Guide.objects.create(
        kind=cleaned.kind,
        title=cleaned.title,
        summary=cleaned.summary,
        body=cleaned.body,
        owner_user=None if network is not None else actor,
        owner_network=network,
        is_public=is_public,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _set_tags(guide, cleaned.tags)
    guide.shared_with.set(shared)
    _record_version(guide, author=actor, note=note)
    reindex_on_commit("guides", [guide.pk])
    return guide


def _save_new_version(
    guide: Guide,
    *,
    actor: User,
    details: GuideDetails,
    note: str,
    restored_from: int | None = None,
) -> Guide:
    current_tags = sorted(guide.tags.values_list("name", flat=True))
    unchanged = (
        guide.kind == details.kind
        and guide.title == details.title
        and guide.summary == details.summary
        and guide.body == details.body
        and current_tags == sorted(details.tags)
    )
    if unchanged:
        raise DomainError(
            _("Nothing has changed since the latest version: there is nothing to save.")
        )
    guide.kind = details.kind
    guide.title = details.title
    guide.summary = details.summary
    guide.body = details.body
    guide.version += 1
    guide.updated_at = timezone.now()
    guide.save()
    _set_tags(guide, details.tags)
    _record_version(guide, author=actor, note=note, restored_from=restored_from)
    _tell_editors_of_edit(guide, actor=actor, note=note)
    reindex_on_commit("guides", [guide.pk])
    return guide


def _ensure_current(guide: Guide, based_on: int) -> None:
    if based_on != guide.version:
        raise Conflict(
            _(
                "Someone saved version %(latest)d while you were editing version %(yours)d. "
                "Your text is kept below: compare it with the latest version, then save again."
            )
            % {"latest": guide.version, "yours": based_on}
        )


@serialised
def update_guide(
    *, actor: User, guide: Guide, details: GuideDetails, based_on: int, note: str = ""
) -> Guide:
    """Save the editor's text as a new version. `based_on` is the version number the
    editor started from: if another save happened since, Conflict, nothing changes."""
    guide = _locked(guide)
    ensure_can_edit(actor, guide)
    _ensure_current(guide, based_on)
    cleaned = _clean(details)
    return _save_new_version(guide, actor=actor, details=cleaned, note=_clean_note(note))


@serialised
def restore_version(*, actor: User, guide: Guide, number: int, based_on: int) -> Guide:
    """Save the text of version `number` as a new version; history stays as it was."""
    guide = _locked(guide)
    ensure_can_edit(actor, guide)
    _ensure_current(guide, based_on)
    old = GuideVersion.objects.filter(guide=guide, number=number).first()
    if old is None:
        raise DomainError(_("This version does not exist."))
    details = GuideDetails(
        title=old.title, body=old.body, kind=old.kind, summary=old.summary, tags=old.tag_list
    )
    note = _("Restored version %(number)d") % {"number": number}
    return _save_new_version(
        guide, actor=actor, details=details, note=note[:NOTE_MAX], restored_from=number
    )


@serialised
def set_sharing(
    *, actor: User, guide: Guide, is_public: bool, networks: Sequence[Network]
) -> Guide:
    """Make the guide public or not, and choose the networks it is shared with (the owning
    network's members always see it)."""
    guide = _locked(guide)
    ensure_can_manage(actor, guide)
    shared = [n for n in dict.fromkeys(networks) if n.pk != guide.owner_network_id]
    already = list(guide.shared_with.values_list("pk", flat=True))
    _ensure_sharable(actor, shared, already)
    guide.is_public = is_public
    guide.save(update_fields=["is_public"])
    guide.shared_with.set(shared)
    reindex_on_commit("guides", [guide.pk])
    return guide


@serialised
def add_editor(*, actor: User, guide: Guide, member: User) -> GuideEditor:
    """The owner adds a co-editor, who is told at once."""
    guide = _locked(guide)
    ensure_can_manage(actor, guide)
    if not member.is_active or member.deleted_at is not None:
        raise DomainError(_("This member's account is closed."))
    if editors_of(guide).filter(pk=member.pk).exists():
        raise Conflict(_("%(name)s already edits this guide.") % {"name": member.public_name})
    if GuideEditor.objects.filter(guide=guide).count() >= CO_EDITORS_MAX:
        raise Conflict(_("A guide has %(max)d co-editors at most.") % {"max": CO_EDITORS_MAX})
    row = GuideEditor.objects.create(guide=guide, user=member, added_by=actor)
    with in_language_of(member):
        notify(
            recipient=member,
            kind="guides.editor_added",
            title=_("%(name)s added you as an editor of “%(title)s”")
            % {"name": actor.public_name, "title": guide.title},
            url=guide.get_absolute_url(),
            actor=actor,
        )
    return row


@transaction.atomic
def remove_editor(*, actor: User, guide: Guide, member: User) -> None:
    """The owner removes a co-editor, or a co-editor steps down."""
    if actor.pk != member.pk:
        ensure_can_manage(actor, guide)
    deleted, _rows = GuideEditor.objects.filter(guide=guide, user=member).delete()
    if not deleted:
        raise Conflict(_("This member is not a co-editor of this guide."))


@serialised
def attach_file(*, actor: User, guide: Guide, upload: UploadedFile[Any]) -> GuideAttachment:
    """Attach a PDF, image or spreadsheet of 10 MB at most. Its type is read from its
    bytes and must agree with its name; a refused file is not stored."""
    guide = _locked(guide)
    ensure_can_edit(actor, guide)
    actual = uploads.check_upload(upload, accepted=ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES)
    if GuideAttachment.objects.filter(guide=guide).count() >= ATTACHMENTS_PER_GUIDE:
        raise Conflict(
            _("This guide already has %(max)d files: remove one before adding another.")
            % {"max": ATTACHMENTS_PER_GUIDE}
        )
    attachment = GuideAttachment(
        guide=guide,
        original_name=uploads.readable_name(upload.name, actual, max_length=ATTACHMENT_NAME_MAX),
        content_type=actual.content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    upload.seek(0)
    attachment.file.save(uploads.random_name(actual), upload, save=False)
    # The file is written before the row: if the row cannot be, the file must go too.
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@serialised
def remove_attachment(*, actor: User, attachment: GuideAttachment) -> None:
    """An editor removes a file; the stored file is deleted once that is committed."""
    guide = _locked(attachment.guide)
    ensure_can_edit(actor, guide)
    found = GuideAttachment.objects.filter(pk=attachment.pk, guide=guide).first()
    if found is None:
        raise Conflict(_("This file was already removed."))
    name, storage = found.file.name, found.file.storage
    found.delete()
    if name:
        transaction.on_commit(functools.partial(storage.delete, name), robust=True)


def _is_author(member: User, guide: Guide) -> bool:
    return (
        can_edit(member, guide) or GuideVersion.objects.filter(guide=guide, author=member).exists()
    )


@serialised
def mark_helpful(*, actor: User, guide: Guide) -> Guide:
    """The actor says the guide helped them: once, and never about a guide they wrote."""
    guide = _locked(guide)
    if not can_see(actor, guide):
        raise PermissionDenied(_("This guide is not shared with you."))
    if _is_author(actor, guide):
        raise DomainError(_("You wrote or edit this guide: only others can say it helped them."))
    if GuideHelpful.objects.filter(guide=guide, user=actor).exists():
        raise Conflict(_("You already said this guide helped you."))
    GuideHelpful.objects.create(guide=guide, user=actor)
    guide.helped_count = GuideHelpful.objects.filter(guide=guide).count()
    guide.save(update_fields=["helped_count"])
    return guide


@serialised
def withdraw_helpful(*, actor: User, guide: Guide) -> Guide:
    guide = _locked(guide)
    deleted, _rows = GuideHelpful.objects.filter(guide=guide, user=actor).delete()
    if not deleted:
        raise Conflict(_("You had not said this guide helped you."))
    guide.helped_count = GuideHelpful.objects.filter(guide=guide).count()
    guide.save(update_fields=["helped_count"])
    return guide


def _delete_files_on_commit(names: Sequence[str]) -> None:
    storage = GuideAttachment.file.field.storage
    for name in names:
        if name:
            transaction.on_commit(functools.partial(storage.delete, name), robust=True)


@serialised
def delete_guide(*, actor: User, guide: Guide) -> None:
    """The owner deletes the guide, its history and its files."""
    guide = _locked(guide)
    ensure_can_manage(actor, guide)
    names = list(GuideAttachment.objects.filter(guide=guide).values_list("file", flat=True))
    pk = guide.pk
    guide.delete()
    _delete_files_on_commit(names)
    reindex_on_commit("guides", [pk])
