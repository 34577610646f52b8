"""Screening rights: the directory of rights holders shared by every network, the record of
the right to show each film of an event, and the documents that prove it.

The directory is shared knowledge ("ask for the non-theatrical licence, they answer within
a week"): any signed-in member who accepted the code of conduct may add and improve an
entry, and the page says who changed it last. Several members may add the same holder at
the same moment: those writes are `serialised`, and the unique normalised name lets one
through. A screening's rights record and its documents (contracts, invoices) belong to the
organisers of the event's network alone.

Every change to a screening's rights locks its event row first, so the rights, the
documents and the event's visibility change one at a time.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contrechamp.accounts.models import User
from contrechamp.accounts.services import ensure_code_of_conduct_accepted
from contrechamp.core import uploads
from contrechamp.core.errors import Conflict, DomainError
from contrechamp.core.places import normalise
from contrechamp.core.transactions import serialised
from contrechamp.events.models import Event, RightsDocument, RightsHolder, Screening
from contrechamp.events.permissions import ensure_can_organise

HOLDER_NAME_MAX = RightsHolder._meta.get_field("name").max_length or 150
WEBSITE_MAX = RightsHolder._meta.get_field("website").max_length or 200
EMAIL_MAX = RightsHolder._meta.get_field("email").max_length or 254
PHONE_MAX = RightsHolder._meta.get_field("phone").max_length or 30
TEXT_MAX = 5000
LICENCE_REFERENCE_MAX = Screening._meta.get_field("licence_reference").max_length or 100
# A licence for a non-theatrical showing costs tens or hundreds of euros, a festival's
# programme a few thousand: anything above this is a typing slip, not a fee.
FEE_MAX = Decimal(100_000)
CENT = Decimal("0.01")
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENTS_PER_SCREENING = 20
DOCUMENT_NAME_MAX = RightsDocument._meta.get_field("original_name").max_length or 200

PRIVATE_CIRCLE_NOTICE = gettext_lazy(
    "A showing to a private circle cannot be advertised outside the network: "
    "the event is now for members only."
)

_PHONE = re.compile(r"[0-9+().\- ]+")
_website_validator = URLValidator(schemes=["http", "https"])


# --- The directory of rights holders


@dataclass(frozen=True)
class RightsHolderDetails:
    """What a member says about a rights holder (the fields of the directory's form)."""

    name: str
    kind: str
    website: str = ""
    email: str = ""
    phone: str = ""
    how_to_request: str = ""
    notes: str = ""


def _ensure_contributor(actor: User) -> None:
    if not actor.is_authenticated or not actor.is_active or actor.is_deleted:
        raise PermissionDenied(_("Sign in to do this."))
    ensure_code_of_conduct_accepted(actor)


def _too_long(label: str, limit: int) -> DomainError:
    return DomainError(
        _("%(label)s is too long (%(limit)d characters at most).")
        % {"label": label, "limit": limit}
    )


def _clean_line(value: str, *, limit: int, label: str) -> str:
    # PostgreSQL refuses NUL in text; it never belongs in a name or a reference.
    cleaned = " ".join(value.replace("\x00", "").split())
    if len(cleaned) > limit:
        raise _too_long(label, limit)
    return cleaned


def _clean_block(value: str, *, limit: int, label: str) -> str:
    """Free text kept with its line breaks (Markdown)."""
    cleaned = value.replace("\r\n", "\n").replace("\x00", "").strip()
    if len(cleaned) > limit:
        raise _too_long(label, limit)
    return cleaned


def _clean_holder(details: RightsHolderDetails) -> dict[str, str]:
    """The holder's fields, cleaned, with `name_normalised`; DomainError on bad input."""
    name = _clean_line(details.name, limit=HOLDER_NAME_MAX, label=_("The name"))
    key = normalise(name)
    if not any(character.isalnum() for character in key):
        raise DomainError(_("Give the rights holder a name with letters or digits."))
    # Normalising can lengthen a name ("ß" becomes "ss"): the key has a column too.
    if len(key) > HOLDER_NAME_MAX:
        raise _too_long(_("The name"), HOLDER_NAME_MAX)
    if details.kind not in RightsHolder.Kind.values:
        raise DomainError(_("Choose a type of rights holder from the list."))
    website = details.website.strip()
    if website:
        if len(website) > WEBSITE_MAX:
            raise _too_long(_("The website address"), WEBSITE_MAX)
        try:
            _website_validator(website)
        except ValidationError as error:
            raise DomainError(_("Give the website as a full address (https://…).")) from error
    email = details.email.strip()
    if email:
        if len(email) > EMAIL_MAX:
            raise _too_long(_("The email address"), EMAIL_MAX)
        try:
            validate_email(email)
        except ValidationError as error:
            raise DomainError(_("Give a valid email address, such as name@example.org.")) from error
    phone = _clean_line(details.phone, limit=PHONE_MAX, label=_("The phone number"))
    if phone and not _PHONE.fullmatch(phone):
        raise DomainError(_("A phone number holds digits, spaces and + ( ) . - only."))
    return {
        "name": name,
        "name_normalised": key,
        "kind": details.kind,
        "website": website,
        "email": email,
        "phone": phone,
        "how_to_request": _clean_block(
            details.how_to_request, limit=TEXT_MAX, label=_("How to request rights")
        ),
        "notes": _clean_block(details.notes, limit=TEXT_MAX, label=_("The notes")),
    }


def _name_taken(existing: RightsHolder) -> Conflict:
    return Conflict(
        _("“%(name)s” is already in the directory: improve that entry rather than adding it twice.")
        % {"name": existing.name}
    )


def _ensure_name_free(key: str, *, other_than: RightsHolder | None = None) -> None:
    holders = RightsHolder.objects.filter(name_normalised=key)
    if other_than is not None:
        holders = holders.exclude(pk=other_than.pk)
    existing = holders.first()
    if existing is not None:
        raise _name_taken(existing)


def _save_holder(holder: RightsHolder) -> None:
    """Save, answering a name taken by a concurrent request with the same Conflict."""
    try:
        with transaction.atomic():
            holder.save()
    except IntegrityError:
        existing = RightsHolder.objects.filter(name_normalised=holder.name_normalised).first()
        if existing is None:
            raise
        raise _name_taken(existing) from None


@serialised
def create_rights_holder(*, actor: User, details: RightsHolderDetails) -> RightsHolder:
    """Add a distributor, cinémathèque… to the shared directory. Two entries cannot share a
    name once accents, case and punctuation are set aside (Conflict naming the existing)."""
    _ensure_contributor(actor)
    fields = _clean_holder(details)
    _ensure_name_free(fields["name_normalised"])
    now = timezone.now()
    holder = RightsHolder(
        **fields, created_by=actor, updated_by=actor, created_at=now, updated_at=now
    )
    _save_holder(holder)
    return holder


@serialised
def update_rights_holder(
    *, actor: User, holder: RightsHolder, details: RightsHolderDetails
) -> RightsHolder:
    """Improve an entry of the directory: any member may, as on a wiki; the entry records
    who changed it last and when."""
    _ensure_contributor(actor)
    locked = RightsHolder.objects.select_for_update().filter(pk=holder.pk).first()
    if locked is None:
        raise Conflict(_("This rights holder is no longer in the directory."))
    fields = _clean_holder(details)
    _ensure_name_free(fields["name_normalised"], other_than=locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.updated_by = actor
    locked.updated_at = timezone.now()
    _save_holder(locked)
    return locked


@dataclass
class DirectoryLoad:
    """What loading a list of rights holders did, or would have done without rejections."""

    rows: int = 0
    added: int = 0
    completed: int = 0
    unchanged: int = 0
    # (line number, reason) for each refused row: nothing is written when there is one.
    rejected: list[tuple[int, str]] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return not self.rejected


def _want(
    wanted: dict[str, dict[str, str]], row: dict[str, str], *, line: int, report: DirectoryLoad
) -> None:
    """Add a CSV row's cleaned holder to `wanted`, or its rejection to the report."""
    try:
        fields = _clean_holder(
            RightsHolderDetails(
                name=row.get("name") or "",
                kind=(row.get("kind") or "").strip(),
                website=row.get("website") or "",
            )
        )
    except DomainError as error:
        report.rejected.append((line, str(error.message)))
        return
    if fields["name_normalised"] in wanted:
        report.rejected.append((line, _("%(name)s is listed twice.") % {"name": fields["name"]}))
        return
    wanted[fields["name_normalised"]] = fields


@transaction.atomic
def load_rights_holders(*, actor: User | None, data: str) -> DirectoryLoad:
    """Add the holders of a CSV list (columns name, kind, website) to the directory.

    `actor` None is a management command; a person must be site staff. Idempotent: a
    holder already there (same normalised name) is never duplicated nor overwritten, only
    completed with a website it lacks, since members may have improved it since. All or
    nothing: one bad row and nothing is written.
    """
    if actor is not None and not (actor.is_authenticated and actor.is_staff):
        raise PermissionDenied(_("Only the site's staff can load rights holders in bulk."))
    report = DirectoryLoad()
    wanted: dict[str, dict[str, str]] = {}
    reader = csv.DictReader(io.StringIO(data.lstrip("\ufeff")))
    try:
        missing_columns = {"name", "kind"} - set(reader.fieldnames or ())
        if missing_columns:
            columns = ", ".join(sorted(missing_columns))
            report.rejected.append((1, _("Missing columns: %(columns)s.") % {"columns": columns}))
            return report
        for row in reader:
            report.rows += 1
            _want(wanted, row, line=reader.line_num, report=report)
    except csv.Error as error:
        report.rejected.append((reader.line_num, str(error)))
    if report.rejected:
        return report
    existing = {
        holder.name_normalised: holder
        for holder in RightsHolder.objects.select_for_update().filter(
            name_normalised__in=list(wanted)
        )
    }
    now = timezone.now()
    new = []
    for key, fields in wanted.items():
        holder = existing.get(key)
        if holder is None:
            new.append(RightsHolder(**fields, created_by=actor, updated_by=actor))
        elif fields["website"] and not holder.website:
            holder.website = fields["website"]
            holder.updated_at = now
            holder.save(update_fields=["website", "updated_at"])
            report.completed += 1
        else:
            report.unchanged += 1
    RightsHolder.objects.bulk_create(new)
    report.added = len(new)
    return report


# --- The rights of a screening


@dataclass(frozen=True)
class RightsRecorded:
    """The screening as recorded, and whether its event had to become members-only."""

    screening: Screening
    made_members_only: bool


def _locked_event_of(screening: Screening) -> tuple[Event, Screening]:
    """The screening's event, locked until the transaction ends, and the screening read
    fresh. Conflict when either has gone since the page was loaded."""
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("network")
        .filter(pk=screening.event_id)
        .first()
    )
    if event is None:
        raise Conflict(_("This event no longer exists."))
    fresh = Screening.objects.filter(pk=screening.pk, event=event).select_related("film").first()
    if fresh is None:
        raise Conflict(_("This film is no longer part of the event."))
    fresh.event = event
    return event, fresh


def _today_where(event: Event) -> date:
    try:
        zone = ZoneInfo(event.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("Europe/Paris")
    return timezone.localdate(timezone=zone)


def _check_fee(fee: Decimal | None) -> Decimal | None:
    if fee is None:
        return None
    if not fee.is_finite() or fee < 0:
        raise DomainError(_("The fee must be an amount of zero or more."))
    if fee != fee.quantize(CENT):
        raise DomainError(_("The fee is in euros and cents: two decimals at most."))
    if fee > FEE_MAX:
        raise DomainError(
            _("A fee above %(max)s € is surely a typing slip: check the amount.")
            % {"max": number_format(FEE_MAX, 0, force_grouping=True)}
        )
    return fee.quantize(CENT)


def _check_dates(event: Event, requested_on: date | None, answered_on: date | None) -> None:
    today = _today_where(event)
    for day in (requested_on, answered_on):
        if day is not None and day > today:
            raise DomainError(
                _("The dates say when things happened: they cannot be in the future.")
            )
    if requested_on and answered_on and answered_on < requested_on:
        raise DomainError(_("The answer cannot come before the request: check the dates."))


@transaction.atomic
def record_rights(
    *,
    actor: User,
    screening: Screening,
    holder: RightsHolder | None,
    status: str,
    licence_reference: str = "",
    fee: Decimal | None = None,
    requested_on: date | None = None,
    answered_on: date | None = None,
    notes: str = "",
) -> RightsRecorded:
    """Record who grants the right to show a film at an event, and where the request stands.

    For organisers and admins of the event's network. Granted rights come from someone, so
    they need a holder (the licence reference may follow later); a film in the public
    domain needs none. A showing to a private circle cannot be advertised: a public event
    becomes members-only, and the result says so. Rights are paperwork, recorded before,
    after or without the showing: a licence often arrives after it, a refusal explains a
    cancellation, so past and cancelled events accept them too.
    """
    event, screening = _locked_event_of(screening)
    ensure_can_organise(actor, event.network)
    if status not in Screening.RightsStatus.values:
        raise DomainError(_("Choose where the rights stand from the list."))
    if holder is not None and not RightsHolder.objects.filter(pk=holder.pk).exists():
        raise Conflict(_("This rights holder is no longer in the directory."))
    if status == Screening.RightsStatus.GRANTED and holder is None:
        raise DomainError(
            _(
                "Granted rights come from someone: choose the rights holder "
                "(add it to the directory if it is missing)."
            )
        )
    licence_reference = _clean_line(
        licence_reference, limit=LICENCE_REFERENCE_MAX, label=_("The licence reference")
    )
    fee = _check_fee(fee)
    _check_dates(event, requested_on, answered_on)
    notes = _clean_block(notes, limit=TEXT_MAX, label=_("The notes"))

    now = timezone.now()
    screening.rights_holder = holder
    screening.rights_status = status
    screening.licence_reference = licence_reference
    screening.fee = fee
    screening.rights_requested_on = requested_on
    screening.rights_answered_on = answered_on
    screening.rights_notes = notes
    screening.rights_updated_by = actor
    screening.rights_updated_at = now
    screening.save(
        update_fields=[
            "rights_holder",
            "rights_status",
            "licence_reference",
            "fee",
            "rights_requested_on",
            "rights_answered_on",
            "rights_notes",
            "rights_updated_by",
            "rights_updated_at",
        ]
    )
    made_members_only = status == Screening.RightsStatus.PRIVATE_CIRCLE and event.is_public
    if made_members_only:
        event.visibility = Event.Visibility.MEMBERS
        event.updated_at = now
        event.save(update_fields=["visibility", "updated_at"])
    return RightsRecorded(screening=screening, made_members_only=made_members_only)


# --- Documents


@transaction.atomic
def attach_rights_document(
    *, actor: User, screening: Screening, upload: UploadedFile[Any]
) -> RightsDocument:
    """Attach a licence, contract or letter to a screening's rights: a PDF, PNG, JPEG, ODT
    or DOCX of 10 MB at most, for organisers of the event's network.

    The type is read from the file's first bytes and must agree with its name: a file that
    says it is a PDF but is not is refused, and nothing is stored. The stored name is
    random, so that a contract's address cannot be guessed.
    """
    event, screening = _locked_event_of(screening)
    ensure_can_organise(actor, event.network)
    actual = uploads.check_upload(upload, accepted=uploads.DOCUMENTS, max_bytes=DOCUMENT_MAX_BYTES)
    if screening.documents.count() >= DOCUMENTS_PER_SCREENING:
        raise Conflict(
            _("This film already has %(max)d documents: remove one before adding another.")
            % {"max": DOCUMENTS_PER_SCREENING}
        )
    document = RightsDocument(
        screening=screening,
        original_name=uploads.readable_name(upload.name, actual, max_length=DOCUMENT_NAME_MAX),
        content_type=actual.content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    upload.seek(0)
    document.file.save(uploads.random_name(actual), upload, save=False)
    # The file is written before the row: if the row cannot be, the file must go too.
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def remove_rights_document(*, actor: User, document: RightsDocument) -> None:
    """Remove a document from a screening's rights, for organisers of the event's network.
    The stored file is deleted once the removal is committed."""
    screening = Screening.objects.filter(pk=document.screening_id).first()
    if screening is None:
        raise Conflict(_("This document is no longer there."))
    event, screening = _locked_event_of(screening)
    ensure_can_organise(actor, event.network)
    locked = RightsDocument.objects.filter(pk=document.pk, screening=screening).first()
    if locked is None:
        raise Conflict(_("This document is no longer there."))
    storage, stored = locked.file.storage, locked.file.name
    locked.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
