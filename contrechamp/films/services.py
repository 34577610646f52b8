"""Everything a person does with the catalogue: add a film, edit its synopsis and poster,
import films, say where to see one legally, rate it, keep a watchlist and lists,
recommend it and react to recommendations.

Each function checks who is acting before changing anything and runs in one transaction.
The search index (`search.py`) is written in the same transaction as the rows it
describes, so a rolled-back import leaves no trace in it either.

Imports are all-or-nothing: a parser's rejection, a clash between identifiers or a row
repeated in the file, and nothing is written; the report says which lines to fix. Films
are matched on their external ids first, then on normalised title and year, so running an
import twice creates nothing the second time.
"""

import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from contrechamp.accounts.models import User
from contrechamp.core.errors import Conflict, DomainError
from contrechamp.core.places import normalise
from contrechamp.films import fields, search
from contrechamp.films.imports import (
    FilmRow,
    LetterboxdRow,
    Parsed,
    Rejection,
    half_stars_from,
    parse_catalogue_csv,
    parse_letterboxd,
    parse_wikidata,
)
from contrechamp.films.models import (
    Availability,
    Credit,
    Film,
    FilmList,
    FilmListItem,
    Person,
    Rating,
    Reaction,
    Recommendation,
    WatchlistEntry,
    join_codes,
)
from contrechamp.films.queries import can_edit_list
from contrechamp.networks.models import Network
from contrechamp.networks.permissions import ensure_can_act
from contrechamp.notifications.services import in_language_of, notify
from contrechamp.search.services import reindex_on_commit
from contrechamp.wanted import matching as wanted_matching

SYNOPSIS_MAX = 10000
PLACE_MAX = 200
URL_MAX = 500
POSTER_MAX_BYTES = 5 * 1024 * 1024
POSTER_MAX_PIXELS = 40_000_000
POSTER_FORMATS = {"JPEG", "PNG", "WEBP"}
THUMBNAIL_SIZE = (240, 360)
# Serialises catalogue imports on PostgreSQL (SQLite's IMMEDIATE transactions already do):
# two imports of the same file at once must not both create the film.
IMPORT_LOCK_KEY = 7_310_001
# The same recommendation again this soon is a double submission.
DOUBLE_SUBMISSION_WINDOW = timedelta(minutes=10)


def _ensure_member(actor: User) -> None:
    if not actor.is_authenticated or not actor.is_active or actor.deleted_at is not None:
        raise PermissionDenied(_("Sign in to do this."))


def _ensure_importer(actor: User | None) -> None:
    """Catalogue imports write many films at once: site staff only (or a command)."""
    if actor is None:
        return
    _ensure_member(actor)
    if not actor.is_staff:
        raise PermissionDenied(_("Only the site's staff can import films into the catalogue."))


# -- Catalogue ------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did, or would have done had no row been rejected."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    # Letterboxd rows naming a film the catalogue does not hold (they are not errors).
    not_found: list[str] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return not self.rejected


def _title_key(title: str, year: int) -> tuple[str, int]:
    return normalise(title)[:300], year


def _lock_imports() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


@transaction.atomic
def import_catalogue_csv(*, actor: User | None, data: bytes) -> ImportReport:
    """Import films from a catalogue CSV (`docs/imports.md`); `actor` None is a command."""
    _ensure_importer(actor)
    return _import_films(actor=actor, parsed=parse_catalogue_csv(data))


@transaction.atomic
def import_wikidata(*, actor: User | None, data: bytes) -> ImportReport:
    """Import films from Wikidata entity JSON; `actor` None is a command."""
    _ensure_importer(actor)
    return _import_films(actor=actor, parsed=parse_wikidata(data))


@transaction.atomic
def create_film(
    *,
    actor: User,
    title: str,
    year: int,
    original_title: str = "",
    directors: list[str] | None = None,
    cast: list[str] | None = None,
    countries: list[str] | None = None,
    languages: list[str] | None = None,
    genres: list[str] | None = None,
    runtime_minutes: int | None = None,
    synopsis: str = "",
    wikidata_id: str = "",
    imdb_id: str = "",
    tmdb_id: str = "",
) -> Film:
    """Add one film to the catalogue; Conflict when it is already there (same external
    id, or same title and year)."""
    _ensure_member(actor)
    row = FilmRow(
        line=1,
        title=fields.clean_text(title, limit=fields.TITLE_MAX, label=_("The title"), required=True),
        original_title=fields.clean_text(
            original_title, limit=fields.TITLE_MAX, label=_("The original title")
        ),
        year=fields.clean_year(year),
        directors=fields.clean_names(directors or [], label=_("A name")),
        cast=fields.clean_names(cast or [], label=_("A name")),
        countries=fields.clean_countries(countries or []),
        languages=fields.clean_languages(languages or []),
        genres=fields.clean_genres(genres or []),
        runtime_minutes=fields.clean_runtime(runtime_minutes),
        wikidata_id=fields.clean_wikidata_id(wikidata_id),
        imdb_id=fields.clean_imdb_id(imdb_id),
        tmdb_id=fields.clean_tmdb_id(tmdb_id),
    )
    _lock_imports()
    matcher = _Matcher([row])
    if matcher.match(row) is not None:
        raise Conflict(_("This film is already in the catalogue."))
    film = _create_films([row], actor=actor)[0]
    if synopsis:
        film.synopsis = fields.clean_text_block(synopsis, limit=SYNOPSIS_MAX)
        film.save(update_fields=["synopsis"])
    return film


class _Matcher:
    """Finds the catalogue's films for a batch of rows in three queries, whatever its size."""

    def __init__(self, rows: list[FilmRow]) -> None:
        wikidata = {row.wikidata_id for row in rows if row.wikidata_id}
        imdb = {row.imdb_id for row in rows if row.imdb_id}
        tmdb = {row.tmdb_id for row in rows if row.tmdb_id}
        self.by_id: dict[tuple[str, str], Film] = {}
        if wikidata or imdb or tmdb:
            for film in Film.objects.filter(
                Q(wikidata_id__in=wikidata) | Q(imdb_id__in=imdb) | Q(tmdb_id__in=tmdb)
            ):
                for kind, value in self._ids(film):
                    self.by_id[(kind, value)] = film
        titles = {normalise(row.title)[:300] for row in rows} | {
            normalise(row.original_title)[:300] for row in rows if row.original_title
        }
        years = {row.year for row in rows}
        self.by_title: dict[tuple[str, int], Film] = {}
        for film in Film.objects.filter(
            Q(title_normalised__in=titles) | Q(original_title_normalised__in=titles),
            year__in=years,
        ).order_by("-pk"):
            self.by_title[(film.title_normalised, film.year)] = film
            if film.original_title_normalised:
                self.by_title.setdefault((film.original_title_normalised, film.year), film)

    @staticmethod
    def _ids(film: Film | FilmRow) -> list[tuple[str, str]]:
        pairs = [("wikidata", film.wikidata_id), ("imdb", film.imdb_id), ("tmdb", film.tmdb_id)]
        return [(kind, value) for kind, value in pairs if value]

    def match(self, row: FilmRow) -> Film | None:
        """The film this row describes: by identifier, else by title and year.
        DomainError when its identifiers name two different films."""
        found = {
            self.by_id[pair].pk: self.by_id[pair] for pair in self._ids(row) if pair in self.by_id
        }
        if len(found) > 1:
            raise DomainError(_("Its identifiers belong to two different films of the catalogue."))
        if found:
            return next(iter(found.values()))
        film = self.by_title.get(_title_key(row.title, row.year))
        if film is None and row.original_title:
            film = self.by_title.get(_title_key(row.original_title, row.year))
        return film


def _import_films(*, actor: User | None, parsed: Parsed[FilmRow]) -> ImportReport:
    report = ImportReport(rows=len(parsed.rows) + len(parsed.rejections))
    report.rejected.extend(parsed.rejections)
    if report.rejected:
        return report
    _lock_imports()
    matcher = _Matcher(parsed.rows)
    seen: dict[object, int] = {}
    to_create: list[FilmRow] = []
    to_update: list[tuple[Film, FilmRow]] = []
    for row in parsed.rows:
        keys: list[object] = [_title_key(row.title, row.year), *matcher._ids(row)]
        repeated = next((seen[key] for key in keys if key in seen), None)
        if repeated is not None:
            report.rejected.append(
                Rejection(row.line, _("The same film as line %(line)d.") % {"line": repeated})
            )
            continue
        seen.update(dict.fromkeys(keys, row.line))
        try:
            film = matcher.match(row)
        except DomainError as error:
            report.rejected.append(Rejection(row.line, str(error.message)))
            continue
        if film is None:
            to_create.append(row)
        else:
            to_update.append((film, row))
    if report.rejected:
        return report
    report.created = len(_create_films(to_create, actor=actor))
    report.updated = _complete_films(to_update)
    report.unchanged = len(to_update) - report.updated
    return report


def _people(names: Iterable[str], wikidata_ids: Iterable[str] = ()) -> dict[str, Person]:
    """People by normalised name (created when new) and by Wikidata id (existing only)."""
    wanted = {normalise(name)[:200]: name for name in names}
    found: dict[str, Person] = {}
    if wanted:
        for person in Person.objects.filter(name_normalised__in=wanted).order_by("pk"):
            found.setdefault(person.name_normalised, person)
    new = [
        Person(name=name, name_normalised=key, search_text=search.document(name))
        for key, name in wanted.items()
        if key not in found
    ]
    if new:
        created = Person.objects.bulk_create(new)
        search.store_people(created)
        found.update({person.name_normalised: person for person in created})
    ids = [value for value in wikidata_ids if value]
    if ids:
        found.update(
            {person.wikidata_id: person for person in Person.objects.filter(wikidata_id__in=ids)}
        )
    return found


def _credits(
    film: Film, row: FilmRow, people: dict[str, Person], *, roles: set[str]
) -> list[Credit]:
    credits: list[Credit] = []
    if Credit.Role.DIRECTOR in roles:
        directors = [people[normalise(name)[:200]] for name in row.directors]
        directors += [people[item] for item in row.director_wikidata_ids if item in people]
        credits += [
            Credit(film=film, person=person, role=Credit.Role.DIRECTOR, order=order)
            for order, person in enumerate(dict.fromkeys(directors))
        ]
    if Credit.Role.CAST in roles:
        credits += [
            Credit(
                film=film, person=people[normalise(name)[:200]], role=Credit.Role.CAST, order=order
            )
            for order, name in enumerate(row.cast)
        ]
    return credits


def _create_films(rows: list[FilmRow], *, actor: User | None) -> list[Film]:
    if not rows:
        return []
    now = timezone.now()
    films = Film.objects.bulk_create(
        [
            Film(
                title=row.title,
                title_normalised=normalise(row.title)[:300],
                original_title=row.original_title,
                original_title_normalised=normalise(row.original_title)[:300],
                year=row.year,
                runtime_minutes=row.runtime_minutes,
                countries=join_codes(row.countries),
                languages=join_codes(row.languages),
                genres=join_codes(row.genres),
                wikidata_id=row.wikidata_id,
                imdb_id=row.imdb_id,
                tmdb_id=row.tmdb_id,
                created_by=actor,
                created_at=now,
                updated_at=now,
            )
            for row in rows
        ]
    )
    people = _people(
        [name for row in rows for name in (*row.directors, *row.cast)],
        [item for row in rows for item in row.director_wikidata_ids],
    )
    roles: set[str] = {Credit.Role.DIRECTOR, Credit.Role.CAST}
    Credit.objects.bulk_create(
        [
            credit
            for film, row in zip(films, rows, strict=True)
            for credit in _credits(film, row, people, roles=roles)
        ],
        ignore_conflicts=True,
    )
    reindex_films([film.pk for film in films])
    return films


# What an import may fill on a film that lacks it; it never overwrites.
FILLABLE = (
    "original_title",
    "runtime_minutes",
    "countries",
    "languages",
    "genres",
    "wikidata_id",
    "imdb_id",
    "tmdb_id",
)


def _complete_films(pairs: list[tuple[Film, FilmRow]]) -> int:
    """Fill what matched films lack (never overwrite what is there); how many changed."""
    if not pairs:
        return 0
    credited: dict[int, set[str]] = defaultdict(set)
    for film_id, role in Credit.objects.filter(film__in=[film for film, _row in pairs]).values_list(
        "film_id", "role"
    ):
        credited[film_id].add(role)
    changed: list[Film] = []
    credits_for: list[tuple[Film, FilmRow, set[str]]] = []
    for film, row in pairs:
        before = [getattr(film, name) for name in FILLABLE]
        if not film.original_title and row.original_title:
            film.original_title = row.original_title
            film.original_title_normalised = normalise(row.original_title)[:300]
        film.runtime_minutes = film.runtime_minutes or row.runtime_minutes
        film.countries = film.countries or join_codes(row.countries)
        film.languages = film.languages or join_codes(row.languages)
        film.genres = film.genres or join_codes(row.genres)
        film.wikidata_id = film.wikidata_id or row.wikidata_id
        film.imdb_id = film.imdb_id or row.imdb_id
        film.tmdb_id = film.tmdb_id or row.tmdb_id
        missing_roles: set[str] = {
            role
            for role, names in (
                (Credit.Role.DIRECTOR, row.directors or row.director_wikidata_ids),
                (Credit.Role.CAST, row.cast),
            )
            if names and role not in credited[film.pk]
        }
        if before != [getattr(film, name) for name in FILLABLE] or missing_roles:
            film.updated_at = timezone.now()
            changed.append(film)
            credits_for.append((film, row, missing_roles))
    if not changed:
        return 0
    Film.objects.bulk_update(changed, [*FILLABLE, "original_title_normalised", "updated_at"])
    people = _people(
        [name for _film, row, _roles in credits_for for name in (*row.directors, *row.cast)],
        [item for _film, row, _roles in credits_for for item in row.director_wikidata_ids],
    )
    Credit.objects.bulk_create(
        [
            credit
            for film, row, roles in credits_for
            for credit in _credits(film, row, people, roles=roles)
        ],
        ignore_conflicts=True,
    )
    reindex_films([film.pk for film in changed])
    return len(changed)


def reindex_films(film_ids: list[int]) -> None:
    """Recompute the films' `search_text` (titles and directors) and store it in the
    index. Two queries per thousand films; call inside the writing transaction."""
    for start in range(0, len(film_ids), 1000):
        chunk = film_ids[start : start + 1000]
        directors: dict[int, list[str]] = defaultdict(list)
        for film_id, name in (
            Credit.objects.filter(film_id__in=chunk, role=Credit.Role.DIRECTOR)
            .order_by("order", "pk")
            .values_list("film_id", "person__name")
        ):
            directors[film_id].append(name)
        films = list(Film.objects.filter(pk__in=chunk).only("pk", "title", "original_title"))
        for film in films:
            film.search_text = search.document(film.title, film.original_title, *directors[film.pk])
        Film.objects.bulk_update(films, ["search_text"])
        search.store_films(films)
    reindex_on_commit("films", film_ids)


@transaction.atomic
def edit_synopsis(*, actor: User, film: Film, synopsis: str) -> Film:
    """Any member may write or improve a film's synopsis (Markdown, in their own words)."""
    _ensure_member(actor)
    film = Film.objects.select_for_update().get(pk=film.pk)
    film.synopsis = fields.clean_text_block(synopsis, limit=SYNOPSIS_MAX)
    film.updated_at = timezone.now()
    film.save(update_fields=["synopsis", "updated_at"])
    return film


@transaction.atomic
def set_poster(*, actor: User, film: Film, upload: UploadedFile[bytes]) -> Film:
    """Replace a film's poster with an uploaded JPEG, PNG or WebP image (5 MB at most),
    and make its thumbnail. The image is checked by decoding it, not by its name."""
    _ensure_member(actor)
    if upload.size is None or upload.size > POSTER_MAX_BYTES:
        raise DomainError(_("The poster must be an image of 5 MB at most."))
    content = upload.read()
    try:
        with Image.open(io.BytesIO(content)) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in POSTER_FORMATS or width * height > POSTER_MAX_PIXELS:
                raise DomainError(_("The poster must be a JPEG, PNG or WebP image."))
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            thumbnail = image.convert("RGB")
            thumbnail.thumbnail(THUMBNAIL_SIZE)
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
    ) as error:
        raise DomainError(_("The poster must be a JPEG, PNG or WebP image.")) from error
    buffer = io.BytesIO()
    thumbnail.save(buffer, format="JPEG", quality=85)
    film = Film.objects.select_for_update().get(pk=film.pk)
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[str(image_format)]
    film.poster.save(f"film-{film.pk}.{extension}", ContentFile(content), save=False)
    film.poster_thumbnail.save(f"film-{film.pk}.jpg", ContentFile(buffer.getvalue()), save=False)
    film.updated_at = timezone.now()
    film.save(update_fields=["poster", "poster_thumbnail", "updated_at"])
    return film


# -- Where to see it legally ---------------------------------------------------------

_link_validator = URLValidator(schemes=["http", "https"])


@transaction.atomic
def add_availability(
    *,
    actor: User,
    film: Film,
    kind: str,
    place: str = "",
    url: str = "",
    territory: str = "",
    audio_languages: list[str] | None = None,
    subtitle_languages: list[str] | None = None,
) -> Availability:
    """Any member says where the film can be seen legally: a place, a link, or both."""
    _ensure_member(actor)
    if kind not in Availability.Kind.values:
        raise DomainError(_("Choose a kind from the list."))
    place = fields.clean_text(place, limit=PLACE_MAX, label=_("The place"))
    url = url.strip()
    if url:
        if len(url) > URL_MAX:
            raise DomainError(_("The link is too long."))
        try:
            _link_validator(url)
        except ValidationError as error:
            raise DomainError(_("Give the link as a full web address (https://…).")) from error
    if not place and not url:
        raise DomainError(_("Give a place, a link, or both."))
    territories = fields.clean_countries([territory] if territory else [])
    audio = fields.clean_languages(audio_languages or [])
    subtitles = fields.clean_languages(subtitle_languages or [])
    Film.objects.select_for_update().filter(pk=film.pk).first()  # one addition at a time
    if Availability.objects.filter(film=film, kind=kind, place=place, url=url).exists():
        raise Conflict(_("This place is already listed: confirm it instead."))
    now = timezone.now()
    availability = Availability.objects.create(
        film=film,
        kind=kind,
        place=place,
        url=url,
        territory=territories[0] if territories else "",
        audio_languages=join_codes(audio),
        subtitle_languages=join_codes(subtitles),
        added_by=actor,
        added_at=now,
        last_verified_at=now,
        last_verified_by=actor,
    )
    wanted_matching.offers_changed_on_commit("availability", [availability.pk])
    return availability


@transaction.atomic
def confirm_availability(*, actor: User, availability: Availability) -> Availability:
    """A member checked it: the entry is fresh again (and no longer reported outdated)."""
    _ensure_member(actor)
    availability = Availability.objects.select_for_update().get(pk=availability.pk)
    availability.last_verified_at = timezone.now()
    availability.last_verified_by = actor
    availability.reported_outdated_at = None
    availability.save(
        update_fields=["last_verified_at", "last_verified_by", "reported_outdated_at"]
    )
    wanted_matching.offers_changed_on_commit("availability", [availability.pk])
    return availability


@transaction.atomic
def report_availability_outdated(*, actor: User, availability: Availability) -> Availability:
    """A member says it no longer holds; whoever added it hears about it (once)."""
    _ensure_member(actor)
    availability = (
        Availability.objects.select_for_update(of=("self",))
        .select_related("film", "added_by")
        .get(pk=availability.pk)
    )
    if availability.reported_outdated_at is not None:
        return availability
    availability.reported_outdated_at = timezone.now()
    availability.save(update_fields=["reported_outdated_at"])
    wanted_matching.offers_changed_on_commit("availability", [availability.pk])
    if availability.added_by is not None:
        with in_language_of(availability.added_by):
            notify(
                recipient=availability.added_by,
                kind="films.availability_outdated",
                title=_("A place you listed for “%(title)s” may be outdated")
                % {"title": availability.film.title},
                body=availability.place or availability.url,
                url=availability.film.get_absolute_url(),
                actor=actor,
            )
    return availability


# -- Ratings and watchlist -----------------------------------------------------------


@transaction.atomic
def rate_film(*, actor: User, film: Film, stars: object) -> Rating:
    """Rate a film from 0.5 to 5 stars by halves; rating again replaces the rating."""
    _ensure_member(actor)
    half_stars = half_stars_from(stars)
    rating, _created = Rating.objects.update_or_create(
        user=actor, film=film, defaults={"half_stars": half_stars, "rated_at": timezone.now()}
    )
    _refresh_neighbours_after_commit(film.pk)
    return rating


def _refresh_neighbours_after_commit(film_id: int) -> None:
    from contrechamp.films.tasks import refresh_film_neighbours

    transaction.on_commit(lambda: refresh_film_neighbours.enqueue(film_id=film_id))


@transaction.atomic
def clear_rating(*, actor: User, film: Film) -> None:
    _ensure_member(actor)
    Rating.objects.filter(user=actor, film=film).delete()


@transaction.atomic
def add_to_watchlist(*, actor: User, film: Film) -> WatchlistEntry:
    """Idempotent: a film already on the watchlist stays where it is."""
    _ensure_member(actor)
    entry, _created = WatchlistEntry.objects.get_or_create(user=actor, film=film)
    return entry


@transaction.atomic
def remove_from_watchlist(*, actor: User, film: Film) -> None:
    _ensure_member(actor)
    WatchlistEntry.objects.filter(user=actor, film=film).delete()


@transaction.atomic
def import_letterboxd(*, actor: User, filename: str, data: bytes) -> ImportReport:
    """Fill the member's ratings and watchlist from a Letterboxd export.

    Films are found by title (French or original) and year; those the catalogue does not
    hold are listed in `not_found`. A watched film leaves the watchlist. A malformed row
    and nothing is imported. Running it twice changes nothing the second time.
    """
    _ensure_member(actor)
    parsed = parse_letterboxd(filename, data)
    report = ImportReport(rows=len(parsed.rows) + len(parsed.rejections))
    report.rejected.extend(parsed.rejections)
    if report.rejected:
        return report
    matcher = _Matcher(
        [FilmRow(line=row.line, title=row.name, year=row.year) for row in parsed.rows]
    )
    ratings: dict[int, tuple[int, date | None]] = {}
    watchlist: set[int] = set()
    watched: set[int] = set()
    films: dict[int, Film] = {}
    for row in parsed.rows:
        film = _letterboxd_match(matcher, row)
        if film is None:
            label = f"{row.name} ({row.year})"
            if label not in report.not_found:
                report.not_found.append(label)
            continue
        films[film.pk] = film
        if row.source == "watchlist.csv":
            watchlist.add(film.pk)
        else:
            watched.add(film.pk)
            if row.half_stars is not None:
                ratings[film.pk] = (row.half_stars, row.on)
    existing = {r.film_id: r for r in Rating.objects.filter(user=actor, film_id__in=films)}
    on_list = set(
        WatchlistEntry.objects.filter(user=actor, film_id__in=films).values_list(
            "film_id", flat=True
        )
    )
    changed_ratings: list[Rating] = []
    new_ratings: list[Rating] = []
    for film_id, (half_stars, on) in ratings.items():
        rating = existing.get(film_id)
        if rating is None:
            new_ratings.append(
                Rating(user=actor, film_id=film_id, half_stars=half_stars, rated_at=_moment(on))
            )
        elif rating.half_stars != half_stars:
            rating.half_stars = half_stars
            changed_ratings.append(rating)
    Rating.objects.bulk_create(new_ratings)
    Rating.objects.bulk_update(changed_ratings, ["half_stars"])
    to_add = watchlist - watched - on_list
    WatchlistEntry.objects.bulk_create([WatchlistEntry(user=actor, film_id=pk) for pk in to_add])
    removed, _counts = WatchlistEntry.objects.filter(
        user=actor, film_id__in=watched & on_list
    ).delete()
    report.created = len(new_ratings) + len(to_add)
    report.updated = len(changed_ratings) + removed
    report.unchanged = len(parsed.rows) - len(report.not_found) - report.created - report.updated
    report.unchanged = max(report.unchanged, 0)
    if new_ratings or changed_ratings:
        # Many ratings at once: rebuild the neighbour table in the background.
        from contrechamp.films.tasks import recompute_neighbours

        transaction.on_commit(lambda: recompute_neighbours.enqueue())
    return report


def _letterboxd_match(matcher: _Matcher, row: LetterboxdRow) -> Film | None:
    return matcher.by_title.get(_title_key(row.name, row.year))


def _moment(on: date | None) -> datetime:
    if on is None:
        return timezone.now()
    return datetime(on.year, on.month, on.day, 12, tzinfo=UTC)


# -- Recommendations -----------------------------------------------------------------

WHY_MAX = 5000


@transaction.atomic
def recommend_film(
    *,
    actor: User,
    film: Film,
    why: str,
    tags: list[str],
    audience: str,
    network: Network | None = None,
    recipient: User | None = None,
) -> Recommendation:
    """Recommend a film, saying why, to everyone, to a network the member belongs to (in
    good standing), or to one member (who is told)."""
    _ensure_member(actor)
    why = fields.clean_text_block(why, limit=WHY_MAX)
    if not why:
        raise DomainError(_("Say in a few words why you recommend it."))
    unknown = [tag for tag in tags if tag not in Recommendation.Tag.values]
    if unknown:
        raise DomainError(_("Choose tags from the list."))
    if audience == Recommendation.Audience.NETWORK:
        if network is None:
            raise DomainError(_("Choose the network to recommend it to."))
        ensure_can_act(actor, network)
        recipient = None
    elif audience == Recommendation.Audience.MEMBER:
        if recipient is None or not recipient.is_active or recipient.deleted_at is not None:
            raise DomainError(_("Choose the member to recommend it to."))
        if recipient.pk == actor.pk:
            raise DomainError(_("Recommend it to someone else than yourself."))
        network = None
    elif audience == Recommendation.Audience.PUBLIC:
        network = recipient = None
    else:
        raise DomainError(_("Choose who the recommendation is for."))
    recent = Recommendation.objects.filter(
        author=actor,
        film=film,
        audience=audience,
        network=network,
        recipient=recipient,
        why=why,
        created_at__gte=timezone.now() - DOUBLE_SUBMISSION_WINDOW,
    ).first()
    if recent is not None:  # a double submission: the first one stands
        return recent
    recommendation = Recommendation.objects.create(
        film=film,
        author=actor,
        why=why,
        tags=join_codes(list(dict.fromkeys(tags))),
        audience=audience,
        network=network,
        recipient=recipient,
    )
    if recipient is not None:
        with in_language_of(recipient):
            notify(
                recipient=recipient,
                kind="films.recommended_to_you",
                title=_("%(name)s recommends “%(title)s” to you")
                % {"name": actor.public_name, "title": film.title},
                body=why[:500],
                url=reverse("films:recommendations"),
                actor=actor,
            )
    return recommendation


@transaction.atomic
def toggle_reaction(*, actor: User, recommendation: Recommendation, kind: str) -> bool:
    """Say "thank you" or "watched it because of you" (once each), or take it back.
    Returns whether the reaction is now there. Only someone who can see the
    recommendation may react; its author hears about a new reaction."""
    _ensure_member(actor)
    if kind not in Reaction.Kind.values:
        raise DomainError(_("Unknown reaction."))
    from contrechamp.films.queries import visible_recommendations

    visible = visible_recommendations(actor).filter(pk=recommendation.pk)
    recommendation = visible.select_related("film", "author").first() or _not_visible()
    if recommendation.author_id == actor.pk:
        raise DomainError(_("You cannot react to your own recommendation."))
    removed, _counts = Reaction.objects.filter(
        recommendation=recommendation, user=actor, kind=kind
    ).delete()
    if removed:
        return False
    # A second click racing the first finds the reaction there: no duplicate, no error.
    _reaction, created = Reaction.objects.get_or_create(
        recommendation=recommendation, user=actor, kind=kind
    )
    if not created:
        return True
    if kind == Reaction.Kind.WATCHED:
        WatchlistEntry.objects.filter(user=actor, film=recommendation.film).delete()
    with in_language_of(recommendation.author):
        notify(
            recipient=recommendation.author,
            kind="films.reaction",
            title=(
                _("%(name)s watched “%(title)s” because of you")
                if kind == Reaction.Kind.WATCHED
                else _("%(name)s thanks you for recommending “%(title)s”")
            )
            % {"name": actor.public_name, "title": recommendation.film.title},
            url=reverse("films:recommendations"),
            actor=actor,
        )
    return True


def _not_visible() -> Recommendation:
    raise PermissionDenied(_("This recommendation is not addressed to you."))


# -- Lists ---------------------------------------------------------------------------

LIST_TITLE_MAX = 200
NOTE_MAX = 2000


def _lock_list(actor: User, film_list: FilmList) -> FilmList:
    _ensure_member(actor)
    locked = FilmList.objects.select_for_update().filter(pk=film_list.pk).first()
    if locked is None:
        raise Conflict(_("This list no longer exists."))
    if not can_edit_list(actor, locked):
        raise PermissionDenied(_("Only its author, or the members of its network, edit this list."))
    return locked


@transaction.atomic
def create_list(
    *, actor: User, title: str, description: str = "", network: Network | None = None
) -> FilmList:
    """A personal list, or one shared by a network the member belongs to."""
    _ensure_member(actor)
    title = fields.clean_text(title, limit=LIST_TITLE_MAX, label=_("The title"), required=True)
    description = fields.clean_text_block(description, limit=5000)
    if network is not None:
        ensure_can_act(actor, network)
    return FilmList.objects.create(
        title=title, description=description, owner=actor, network=network
    )


@transaction.atomic
def add_to_list(*, actor: User, film_list: FilmList, film: Film, note: str = "") -> FilmListItem:
    """Add a film at the end of the list (or update its note when it is already there)."""
    film_list = _lock_list(actor, film_list)
    note = fields.clean_text_block(note, limit=NOTE_MAX)
    existing = FilmListItem.objects.filter(film_list=film_list, film=film).first()
    if existing is not None:
        if note:
            existing.note = note
            existing.save(update_fields=["note"])
        return existing
    last = FilmListItem.objects.filter(film_list=film_list).aggregate(Max("position"))
    return FilmListItem.objects.create(
        film_list=film_list,
        film=film,
        position=(last["position__max"] or 0) + 1,
        note=note,
        added_by=actor,
    )


@transaction.atomic
def remove_from_list(*, actor: User, item: FilmListItem) -> None:
    _lock_list(actor, item.film_list)
    FilmListItem.objects.filter(pk=item.pk).delete()


@transaction.atomic
def move_in_list(*, actor: User, item: FilmListItem, up: bool) -> None:
    """Swap the film with the one before (up) or after it; the list row lock keeps two
    members reordering at once from interleaving."""
    film_list = _lock_list(actor, item.film_list)
    current = FilmListItem.objects.filter(pk=item.pk).first()
    if current is None:  # removed by another editor meanwhile: nothing left to move
        return
    item = current
    others = FilmListItem.objects.filter(film_list=film_list)
    other = (
        others.filter(position__lt=item.position).order_by("-position").first()
        if up
        else others.filter(position__gt=item.position).order_by("position").first()
    )
    if other is None:
        return
    item.position, other.position = other.position, item.position
    FilmListItem.objects.bulk_update([item, other], ["position"])
