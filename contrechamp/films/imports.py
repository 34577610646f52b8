"""Parsers for the three import formats: pure functions from bytes to clean rows.

Whatever the bytes (wrong encoding, a truncated zip, JSON nested a thousand deep, a year
3000), a parser returns the rows it understood and the rejections it found; it never
raises. The services decide: one rejection and nothing is imported (all-or-nothing).

- Catalogue CSV (`docs/imports.md`): UTF-8, a header row, columns `title`, `year`
  (required), `original_title`, `directors`, `cast`, `countries`, `languages`, `genres`,
  `runtime`, `wikidata`, `imdb`, `tmdb`; several values in a cell are separated by "|".
- Wikidata entity JSON (`Special:EntityData/Q….json`): labels fr/en, P577 publication
  date, P495 country of origin, P2047 duration, P345 IMDb id, P57 director (linked only to
  people already known by their Wikidata id: the entity holds ids, not names).
- Letterboxd export: the zip, or one of its `ratings.csv`, `watched.csv`,
  `watchlist.csv`, `diary.csv` (columns Date, Name, Year, Letterboxd URI, Rating).
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from contrechamp.core.errors import DomainError
from contrechamp.films import fields

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000
# A zip may claim small files that inflate to gigabytes: refuse beyond this, unread.
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024

CATALOGUE_REQUIRED = ("title", "year")
LETTERBOXD_FILES = ("ratings.csv", "watched.csv", "watchlist.csv", "diary.csv")
LETTERBOXD_REQUIRED = ("Name", "Year")

# Wikidata items of countries (P495 values) and their ISO 3166 codes.
WIKIDATA_COUNTRIES = {
    "Q142": "FR", "Q30": "US", "Q38": "IT", "Q183": "DE", "Q17": "JP", "Q145": "GB",
    "Q29": "ES", "Q668": "IN", "Q159": "RU", "Q34": "SE", "Q35": "DK", "Q31": "BE",
    "Q39": "CH", "Q155": "BR", "Q96": "MX", "Q414": "AR", "Q148": "CN", "Q884": "KR",
    "Q865": "TW", "Q794": "IR", "Q36": "PL", "Q28": "HU", "Q16": "CA", "Q408": "AU",
    "Q20": "NO", "Q33": "FI", "Q55": "NL", "Q45": "PT", "Q41": "GR", "Q43": "TR",
    "Q79": "EG", "Q1028": "MA", "Q262": "DZ", "Q948": "TN", "Q1041": "SN", "Q27": "IE",
    "Q40": "AT", "Q213": "CZ", "Q298": "CL", "Q739": "CO", "Q717": "VE", "Q419": "PE",
    "Q664": "NZ", "Q258": "ZA", "Q1033": "NG", "Q801": "IL", "Q822": "LB", "Q858": "SY",
}  # fmt: skip
MINUTE = "http://www.wikidata.org/entity/Q7727"
HOUR = "http://www.wikidata.org/entity/Q25235"


@dataclass(frozen=True)
class Rejection:
    line: int  # the row's line in the file (or its position), 0 for the whole file
    reason: str


@dataclass
class FilmRow:
    line: int
    title: str
    year: int
    original_title: str = ""
    directors: list[str] = field(default_factory=list)
    director_wikidata_ids: list[str] = field(default_factory=list)
    cast: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    runtime_minutes: int | None = None
    wikidata_id: str = ""
    imdb_id: str = ""
    tmdb_id: str = ""


@dataclass
class LetterboxdRow:
    line: int
    source: str  # which file of the export
    name: str
    year: int
    half_stars: int | None = None  # a rating, when the file gives one
    on: date | None = None


@dataclass
class Parsed[Row]:
    rows: list[Row] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DomainError(_("The file is not UTF-8 text; save it as UTF-8 CSV.")) from error


def _csv_rows(text: str, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows as dicts with their line numbers; DomainError for a file we cannot read."""
    if "\x00" in text:
        raise DomainError(_("The file is not a CSV file."))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in (reader.fieldnames or [])]
        missing = [name for name in required if name not in header]
        if missing:
            raise DomainError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        reader.fieldnames = header
        rows: list[tuple[int, dict[str, str]]] = []
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise DomainError(_("Too many rows (%(max)d at most).") % {"max": MAX_ROWS})
            if None in row:
                raise DomainError(
                    _("Line %(line)d has more cells than the header.") % {"line": reader.line_num}
                )
            cells = {key: (value or "") for key, value in row.items()}
            rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise DomainError(_("The CSV file is malformed: %(error)s") % {"error": error}) from error
    return rows


def parse_catalogue_csv(data: bytes) -> Parsed[FilmRow]:
    """Films from a catalogue CSV."""
    parsed: Parsed[FilmRow] = Parsed()
    try:
        rows = _csv_rows(_decode(data), CATALOGUE_REQUIRED)
    except DomainError as error:
        parsed.rejections.append(Rejection(0, str(error.message)))
        return parsed
    for line, cells in rows:
        try:
            parsed.rows.append(_film_row(line, cells))
        except DomainError as error:
            parsed.rejections.append(Rejection(line, str(error.message)))
    return parsed


def _film_row(line: int, cells: dict[str, str]) -> FilmRow:
    def cell(name: str) -> str:
        return cells.get(name, "") or ""

    return FilmRow(
        line=line,
        title=fields.clean_text(
            cell("title"), limit=fields.TITLE_MAX, label=_("The title"), required=True
        ),
        original_title=fields.clean_text(
            cell("original_title"), limit=fields.TITLE_MAX, label=_("The original title")
        ),
        year=fields.clean_year(cell("year")),
        directors=fields.clean_names(fields.split_list(cell("directors")), label=_("A name")),
        cast=fields.clean_names(fields.split_list(cell("cast")), label=_("A name")),
        countries=fields.clean_countries(fields.split_list(cell("countries"))),
        languages=fields.clean_languages(fields.split_list(cell("languages"))),
        genres=fields.clean_genres(fields.split_list(cell("genres"))),
        runtime_minutes=fields.clean_runtime(cell("runtime")),
        wikidata_id=fields.clean_wikidata_id(cell("wikidata")),
        imdb_id=fields.clean_imdb_id(cell("imdb")),
        tmdb_id=fields.clean_tmdb_id(cell("tmdb")),
    )


def parse_wikidata(data: bytes) -> Parsed[FilmRow]:
    """Films from a Wikidata `Special:EntityData` JSON document (one or more entities)."""
    parsed: Parsed[FilmRow] = Parsed()
    try:
        document = json.loads(_decode(data))
    except (DomainError, ValueError, RecursionError):
        parsed.rejections.append(Rejection(0, _("The file is not Wikidata entity JSON.")))
        return parsed
    entities = document.get("entities") if isinstance(document, dict) else None
    if not isinstance(entities, dict) or not entities:
        parsed.rejections.append(Rejection(0, _("The file holds no Wikidata entity.")))
        return parsed
    for position, (key, entity) in enumerate(entities.items(), start=1):
        try:
            parsed.rows.append(_wikidata_row(position, str(key), entity))
        except DomainError as error:
            parsed.rejections.append(Rejection(position, f"{str(key)[:20]}: {error.message}"))
    return parsed


def _claims(entity: dict[str, object], prop: str) -> list[object]:
    """The values of a property's statements, skipping unknown or absent values."""
    claims = entity.get("claims")
    statements = claims.get(prop) if isinstance(claims, dict) else None
    values: list[object] = []
    for statement in statements if isinstance(statements, list) else []:
        snak = statement.get("mainsnak") if isinstance(statement, dict) else None
        datavalue = snak.get("datavalue") if isinstance(snak, dict) else None
        if isinstance(datavalue, dict) and "value" in datavalue:
            values.append(datavalue["value"])
    return values


def _label(entity: dict[str, object], language: str) -> str:
    labels = entity.get("labels")
    label = labels.get(language) if isinstance(labels, dict) else None
    value = label.get("value") if isinstance(label, dict) else None
    return value if isinstance(value, str) else ""


def _item_ids(values: list[object]) -> list[str]:
    return [
        value["id"]
        for value in values
        if isinstance(value, dict) and isinstance(value.get("id"), str)
    ]


def _wikidata_row(position: int, key: str, entity: object) -> FilmRow:
    if not isinstance(entity, dict):
        raise DomainError(_("This entity is not an object."))
    wikidata_id = fields.clean_wikidata_id(str(entity.get("id") or key))
    french, english = _label(entity, "fr"), _label(entity, "en")
    title = fields.clean_text(
        french or english, limit=fields.TITLE_MAX, label=_("The title"), required=True
    )
    years = []
    for value in _claims(entity, "P577"):
        time = value.get("time") if isinstance(value, dict) else None
        if isinstance(time, str) and len(time) >= 5 and time[1:5].isdigit():
            years.append(int(time[1:5]))
    if not years:
        raise DomainError(_("It has no publication date (P577)."))
    runtime = None
    for value in _claims(entity, "P2047"):
        if isinstance(value, dict) and value.get("unit") in (MINUTE, HOUR):
            try:
                amount = Decimal(str(value.get("amount")))
                minutes = amount * 60 if value.get("unit") == HOUR else amount
                runtime = fields.clean_runtime(int(minutes))
            except (ArithmeticError, ValueError, DomainError):
                continue
            break
    imdb = [value for value in _claims(entity, "P345") if isinstance(value, str)]
    return FilmRow(
        line=position,
        title=title,
        original_title=english if french and english and english != french else "",
        year=fields.clean_year(min(years)),
        countries=_unique_codes(
            WIKIDATA_COUNTRIES[item]
            for item in _item_ids(_claims(entity, "P495"))
            if item in WIKIDATA_COUNTRIES
        ),
        runtime_minutes=runtime,
        wikidata_id=wikidata_id,
        imdb_id=fields.clean_imdb_id(imdb[0]) if imdb else "",
        director_wikidata_ids=[
            item
            for item in _item_ids(_claims(entity, "P57"))
            if fields.clean_wikidata_id(item) == item
        ],
    )


def _unique_codes(codes: object) -> list[str]:
    return list(dict.fromkeys(codes))  # type: ignore[call-overload]


def parse_letterboxd(filename: str, data: bytes) -> Parsed[LetterboxdRow]:
    """Rows of a Letterboxd export: the zip (its four files) or one of its CSV files."""
    parsed: Parsed[LetterboxdRow] = Parsed()
    try:
        files = _letterboxd_files(filename, data)
        for name, content in files:
            for line, cells in _csv_rows(_decode(content), LETTERBOXD_REQUIRED):
                try:
                    parsed.rows.append(_letterboxd_row(name, line, cells))
                except DomainError as error:
                    parsed.rejections.append(Rejection(line, f"{name}: {error.message}"))
    except DomainError as error:
        parsed.rows.clear()
        parsed.rejections.append(Rejection(0, str(error.message)))
    return parsed


def _letterboxd_files(filename: str, data: bytes) -> list[tuple[str, bytes]]:
    base = PurePosixPath(filename.replace("\\", "/")).name.lower()
    if base in LETTERBOXD_FILES:
        return [(base, data)]
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DomainError(
            _(
                "Upload the Letterboxd export zip, or its ratings.csv, watched.csv, "
                "watchlist.csv or diary.csv."
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            wanted = [
                info
                for info in archive.infolist()
                if PurePosixPath(info.filename).name.lower() in LETTERBOXD_FILES
                and "/" not in info.filename.strip("/")
            ]
            if not wanted:
                raise DomainError(_("This zip holds none of the Letterboxd export files."))
            if sum(info.file_size for info in wanted) > MAX_UNZIPPED_BYTES:
                raise DomainError(_("The files in this zip are too large."))
            # Ratings first: a diary's later rating of the same film then wins.
            wanted.sort(
                key=lambda info: LETTERBOXD_FILES.index(PurePosixPath(info.filename).name.lower())
            )
            return [
                (PurePosixPath(info.filename).name.lower(), archive.read(info)) for info in wanted
            ]
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ) as error:
        raise DomainError(_("This zip file is damaged or encrypted.")) from error


def _letterboxd_row(source: str, line: int, cells: dict[str, str]) -> LetterboxdRow:
    name = fields.clean_text(
        cells.get("Name", ""), limit=fields.TITLE_MAX, label=_("The film's name"), required=True
    )
    half_stars = None
    rating = (cells.get("Rating") or "").strip()
    if rating:
        half_stars = half_stars_from(rating)
    on = None
    raw_date = (cells.get("Watched Date") or cells.get("Date") or "").strip()
    if raw_date:
        try:
            on = date.fromisoformat(raw_date)
        except ValueError as error:
            raise DomainError(_("The date must look like 2024-03-09.")) from error
    return LetterboxdRow(
        line=line,
        source=source,
        name=name,
        year=fields.clean_year(cells.get("Year", "")),
        half_stars=half_stars,
        on=on,
    )


def half_stars_from(stars: object) -> int:
    """A rating in stars (0.5 to 5, by halves) as a number of half stars (1 to 10)."""
    try:
        value = Decimal(str(stars).strip().replace(",", "."))
        in_range = value.is_finite() and Decimal("0.5") <= value <= 5
    except ArithmeticError as error:  # InvalidOperation, Overflow…
        raise DomainError(_("A rating is a number of stars from 0.5 to 5.")) from error
    if not in_range:
        raise DomainError(_("A rating is a number of stars from 0.5 to 5."))
    if value * 2 != (value * 2).to_integral_value():
        raise DomainError(_("A rating goes by half stars: 0.5, 1, 1.5 … 5."))
    return int(value * 2)
