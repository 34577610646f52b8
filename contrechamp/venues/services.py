"""Everything a person does with venues: add one, correct it, and load the shipped list.

A venue is placed by its city only: there is no geocoding service, so its coordinates are
the gazetteer's for the town (`core.places`), good enough for "near Lyon" and a map.
One name per town (`dedupe_key`): the second "Le Méliès" in Montreuil is refused with the
name of the first, while Le Méliès of Grenoble is another venue.

Imports are all-or-nothing: one rejected row and nothing is written, the report says which
lines to fix. Venues already in the directory are left as members edited them.
"""

import csv
import io
import re
from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.accounts.services import ensure_code_of_conduct_accepted
from contrechamp.core import places
from contrechamp.core.errors import Conflict, DomainError
from contrechamp.search.services import reindex_on_commit
from contrechamp.venues.models import Venue
from contrechamp.venues.permissions import can_add_venue, ensure_can_edit_venue

NAME_MAX = Venue._meta.get_field("name").max_length or 150
KEY_MAX = Venue._meta.get_field("dedupe_key").max_length or 260
ADDRESS_MAX = Venue._meta.get_field("address").max_length or 200
POSTCODE_MAX = Venue._meta.get_field("postcode").max_length or 10
WEBSITE_MAX = Venue._meta.get_field("website").max_length or 200
DESCRIPTION_MAX = 5000
NOTES_MAX = 2000
# More seats than the largest cinema hall in Europe is a typing mistake, not a venue.
CAPACITY_MAX = 10_000
# The same venue again from the same person this soon is a double submission.
DOUBLE_SUBMISSION_WINDOW = timedelta(minutes=10)
IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 5000
IMPORT_COLUMNS = ("name", "kind", "address", "postcode", "city", "website")

_postcode = re.compile(r"[0-9A-Za-z][0-9A-Za-z -]*")
_website_validator = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class VenueDetails:
    """What a member says about a venue (the fields of the venue form)."""

    name: str
    kind: str
    place: places.Place
    address: str = ""
    postcode: str = ""
    capacity: int | None = None
    website: str = ""
    description: str = ""
    has_dcp_projector: bool = False
    has_35mm_projector: bool = False
    has_16mm_projector: bool = False
    has_video_projector: bool = False
    has_sound_system: bool = False
    equipment_notes: str = ""
    step_free_access: bool = False
    hearing_loop: bool = False
    accessibility_notes: str = ""


class DuplicateVenue(Conflict):
    """The town already has a venue of that name; `venue` is it, for a link to its page."""

    def __init__(self, venue: Venue) -> None:
        super().__init__(
            _("“%(name)s” in %(city)s is already in the directory.")
            % {"name": venue.name, "city": venue.city_name}
        )
        self.venue = venue


def _check_text(value: str, limit: int, label: str) -> str:
    if "\x00" in value:
        raise DomainError(_("%(label)s contains a character that is not text.") % {"label": label})
    if len(value) > limit:
        raise DomainError(
            _("%(label)s is too long (%(limit)d characters at most).")
            % {"label": label, "limit": limit}
        )
    return value


def _line(value: str, limit: int, label: str) -> str:
    """One line of text: surrounding and repeated spaces and line breaks removed."""
    return _check_text(" ".join(value.split()), limit, label)


def _clean(details: VenueDetails) -> VenueDetails:
    """The details with their text tidied, or DomainError saying what to correct."""
    name = _line(details.name, NAME_MAX, _("The name"))
    if not any(character.isalnum() for character in places.normalise(name)):
        raise DomainError(_("Give the venue a name with letters or digits."))
    if details.kind not in Venue.Kind.values:
        raise DomainError(_("Choose a type of venue from the list."))
    postcode = _line(details.postcode, POSTCODE_MAX, _("The postcode"))
    if postcode and not _postcode.fullmatch(postcode):
        raise DomainError(_("A postcode has only letters, digits, spaces and hyphens."))
    capacity = details.capacity
    if capacity is not None and not 1 <= capacity <= CAPACITY_MAX:
        raise DomainError(
            _("Give the number of seats between 1 and %(max)d, or leave it empty.")
            % {"max": CAPACITY_MAX}
        )
    website = details.website.strip()
    if website:
        _check_text(website, WEBSITE_MAX, _("The website address"))
        try:
            _website_validator(website)
        except ValidationError as error:
            raise DomainError(_("Give the website as a full address (https://…).")) from error
    return replace(
        details,
        name=name,
        address=_line(details.address, ADDRESS_MAX, _("The street address")),
        postcode=postcode,
        website=website,
        description=_check_text(details.description.strip(), DESCRIPTION_MAX, _("The description")),
        equipment_notes=_check_text(
            details.equipment_notes.strip(), NOTES_MAX, _("The other equipment")
        ),
        accessibility_notes=_check_text(
            details.accessibility_notes.strip(), NOTES_MAX, _("The accessibility notes")
        ),
    )


def _keys(details: VenueDetails) -> tuple[str, str]:
    """(name_normalised, dedupe_key); normalising can lengthen a name ("ß" gives "ss")."""
    name_key = places.normalise(details.name)
    dedupe_key = places.normalise(f"{details.name} {details.place.name}")
    if len(name_key) > NAME_MAX or len(dedupe_key) > KEY_MAX:
        raise DomainError(
            _("%(label)s is too long (%(limit)d characters at most).")
            % {"label": _("The name"), "limit": NAME_MAX}
        )
    return name_key, dedupe_key


def _apply(venue: Venue, details: VenueDetails) -> None:
    venue.name_normalised, venue.dedupe_key = _keys(details)
    venue.name = details.name
    venue.kind = details.kind
    venue.address = details.address
    venue.postcode = details.postcode
    venue.city_name = details.place.name
    venue.latitude, venue.longitude = details.place.latitude, details.place.longitude
    venue.capacity = details.capacity
    venue.website = details.website
    venue.description = details.description
    venue.has_dcp_projector = details.has_dcp_projector
    venue.has_35mm_projector = details.has_35mm_projector
    venue.has_16mm_projector = details.has_16mm_projector
    venue.has_video_projector = details.has_video_projector
    venue.has_sound_system = details.has_sound_system
    venue.equipment_notes = details.equipment_notes
    venue.step_free_access = details.step_free_access
    venue.hearing_loop = details.hearing_loop
    venue.accessibility_notes = details.accessibility_notes


def _save(venue: Venue) -> None:
    """Save, turning the unique name-in-town constraint into a readable Conflict: two
    members adding the same venue at the same moment both pass the first check."""
    try:
        with transaction.atomic():
            venue.save()
    except IntegrityError as error:
        existing = Venue.objects.filter(dedupe_key=venue.dedupe_key).first()
        if existing is None:
            raise
        raise DuplicateVenue(existing) from error


def _ensure_member(actor: User) -> None:
    if not can_add_venue(actor):
        raise PermissionDenied(_("Sign in to add a venue."))
    ensure_code_of_conduct_accepted(actor)


@transaction.atomic
def create_venue(*, actor: User, details: VenueDetails) -> Venue:
    """Add a venue to the shared directory; the actor becomes the member who may edit it.

    A venue of the same name in the same town (case, accents and punctuation ignored) is a
    DuplicateVenue, except when the same person submits it again within minutes: the
    venue they just added is returned.
    """
    _ensure_member(actor)
    details = _clean(details)
    _name_key, dedupe_key = _keys(details)
    existing = Venue.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        if (
            existing.created_by_id == actor.pk
            and timezone.now() - existing.created_at < DOUBLE_SUBMISSION_WINDOW
        ):
            return existing
        raise DuplicateVenue(existing)
    venue = Venue(created_by=actor)
    _apply(venue, details)
    _save(venue)
    reindex_on_commit("venues", [venue.pk])
    return venue


@transaction.atomic
def update_venue(*, actor: User, venue: Venue, details: VenueDetails) -> Venue:
    """Correct a venue (its creator or the site's staff). Renaming it, or moving it to
    another town, onto a venue already listed there is a DuplicateVenue."""
    venue = Venue.objects.select_for_update().get(pk=venue.pk)
    ensure_can_edit_venue(actor, venue)
    ensure_code_of_conduct_accepted(actor)
    details = _clean(details)
    _name_key, dedupe_key = _keys(details)
    existing = Venue.objects.filter(dedupe_key=dedupe_key).exclude(pk=venue.pk).first()
    if existing is not None:
        raise DuplicateVenue(existing)
    _apply(venue, details)
    venue.updated_at = timezone.now()
    _save(venue)
    reindex_on_commit("venues", [venue.pk])
    return venue


# --- Import of a list of venues (the shipped data, or a file from the site's staff)


@dataclass(frozen=True)
class Rejection:
    line: int  # the row's line in the file, 0 for the whole file
    reason: str


@dataclass
class ImportReport:
    """What an import did, or would have done had no row been rejected."""

    rows: int = 0
    created: int = 0
    already_listed: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return not self.rejected


def _row_details(row: dict[str, str | None]) -> VenueDetails:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    city = cell("city")
    if not city:
        raise DomainError(_("The city is missing."))
    place = places.find_city(city)
    if place is None:
        raise DomainError(_("We do not know the city “%(name)s”.") % {"name": city[:100]})
    return _clean(
        VenueDetails(
            name=cell("name"),
            kind=cell("kind"),
            place=place,
            address=cell("address"),
            postcode=cell("postcode"),
            website=cell("website"),
        )
    )


def _parse(data: bytes) -> tuple[list[tuple[int, VenueDetails]], list[Rejection]]:
    if len(data) > IMPORT_MAX_BYTES:
        return [], [Rejection(0, _("The file is too large."))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [Rejection(0, _("The file is not UTF-8 text."))]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [name for name in ("name", "kind", "city") if name not in (reader.fieldnames or [])]
    if missing:
        return [], [
            Rejection(0, _("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)})
        ]
    parsed: list[tuple[int, VenueDetails]] = []
    rejected: list[Rejection] = []
    try:
        for row in reader:
            if len(parsed) + len(rejected) >= IMPORT_MAX_ROWS:
                rejected.append(Rejection(0, _("The file has too many rows.")))
                break
            try:
                parsed.append((reader.line_num, _row_details(row)))
            except DomainError as error:
                rejected.append(Rejection(reader.line_num, str(error.message)))
    except csv.Error as error:
        rejected.append(Rejection(reader.line_num, str(error)))
    return parsed, rejected


@transaction.atomic
def import_venues_csv(*, actor: User | None, data: bytes) -> ImportReport:
    """Add the venues of a CSV file (columns `IMPORT_COLUMNS`; kind as the model's values)
    that are not listed yet; those already listed are left alone. `actor` None is a
    command; otherwise only the site's staff may import."""
    if actor is not None and not (can_add_venue(actor) and actor.is_staff):
        raise PermissionDenied(_("Only the site's staff can import venues."))
    parsed, rejected = _parse(data)
    report = ImportReport(rows=len(parsed) + len(rejected), rejected=rejected)
    seen: dict[str, int] = {}
    for line, details in parsed:
        _name_key, key = _keys(details)
        if key in seen:
            report.rejected.append(
                Rejection(line, _("The same venue is on line %(line)d.") % {"line": seen[key]})
            )
        seen.setdefault(key, line)
    if report.rejected:
        return report
    listed = set(Venue.objects.filter(dedupe_key__in=seen).values_list("dedupe_key", flat=True))
    new_venues = []
    for _line_number, details in parsed:
        venue = Venue(created_by=actor)
        _apply(venue, details)
        if venue.dedupe_key in listed:
            report.already_listed += 1
        else:
            new_venues.append(venue)
    try:
        with transaction.atomic():
            Venue.objects.bulk_create(new_venues)
    except IntegrityError as error:
        raise Conflict(_("Someone added some of these venues meanwhile: run it again.")) from error
    report.created = len(new_venues)
    reindex_on_commit("venues", [venue.pk for venue in new_venues])
    return report
