"""Cleaning of a film's facts, shared by the forms, the services and the importers.

Every function returns the cleaned value or raises `DomainError` with a readable message.
"""

import re
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.core.errors import DomainError
from contrechamp.films.models import FIRST_FILM_YEAR, Genre

TITLE_MAX = 300
NAME_MAX = 200
MAX_PEOPLE = 50
MAX_CODES = 12
RUNTIME_MAX = 6000  # minutes: the longest films run for days, none for a hundred hours

_WIKIDATA = re.compile(r"Q[1-9][0-9]{0,11}")
_IMDB = re.compile(r"tt[0-9]{7,10}")
_TMDB = re.compile(r"[1-9][0-9]{0,9}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_LANGUAGE = re.compile(r"[a-z]{2,3}")


def clean_text(value: str, *, limit: int, label: str, required: bool = False) -> str:
    # PostgreSQL refuses NUL in text; it never belongs in a title or a name.
    cleaned = " ".join(str(value).replace("\x00", "").split())
    if required and not cleaned:
        raise DomainError(_("%(label)s is missing.") % {"label": label})
    if len(cleaned) > limit:
        raise DomainError(
            _("%(label)s is too long (%(limit)d characters at most).")
            % {"label": label, "limit": limit}
        )
    return cleaned


def latest_year() -> int:
    """Films announced a few years ahead may be catalogued; not later."""
    return timezone.now().year + 5


def clean_year(value: object) -> int:
    try:
        year = int(str(value).strip())
    except ValueError as error:
        raise DomainError(_("The year must be a number, such as 1945.")) from error
    if not FIRST_FILM_YEAR <= year <= latest_year():
        raise DomainError(
            _("The year must be between %(first)d and %(last)d.")
            % {"first": FIRST_FILM_YEAR, "last": latest_year()}
        )
    return year


def clean_runtime(value: object) -> int | None:
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    try:
        minutes = int(text)
    except ValueError as error:
        raise DomainError(_("The runtime must be a number of minutes.")) from error
    if not 1 <= minutes <= RUNTIME_MAX:
        raise DomainError(
            _("The runtime must be between 1 and %(max)d minutes.") % {"max": RUNTIME_MAX}
        )
    return minutes


def clean_countries(values: list[str]) -> list[str]:
    """ISO 3166-1 alpha-2 codes ("FR", "IT"), upper-cased, without repeats."""
    codes = _unique(value.strip().upper() for value in values if value.strip())
    if len(codes) > MAX_CODES or not all(_COUNTRY.fullmatch(code) for code in codes):
        raise DomainError(_("Give countries as two-letter codes such as FR or IT."))
    return codes


def clean_languages(values: list[str]) -> list[str]:
    """ISO 639 codes ("fr", "ja"), lower-cased, without repeats."""
    codes = _unique(value.strip().lower() for value in values if value.strip())
    if len(codes) > MAX_CODES or not all(_LANGUAGE.fullmatch(code) for code in codes):
        raise DomainError(_("Give languages as two-letter codes such as fr or ja."))
    return codes


def clean_genres(values: list[str]) -> list[str]:
    codes = _unique(value.strip().lower() for value in values if value.strip())
    unknown = [code for code in codes if code not in Genre.values]
    if unknown:
        raise DomainError(
            _("Unknown genre: %(genres)s. Use: %(known)s.")
            % {"genres": ", ".join(unknown[:3])[:100], "known": ", ".join(Genre.values)}
        )
    return codes


def clean_names(values: list[str], *, label: str) -> list[str]:
    names = _unique(
        clean_text(value, limit=NAME_MAX, label=label) for value in values if value.strip()
    )
    if len(names) > MAX_PEOPLE:
        raise DomainError(_("Too many names (%(max)d at most).") % {"max": MAX_PEOPLE})
    return names


def clean_wikidata_id(value: str) -> str:
    value = value.strip()
    if value and not _WIKIDATA.fullmatch(value):
        raise DomainError(_("A Wikidata id looks like Q12345."))
    return value


def clean_imdb_id(value: str) -> str:
    value = value.strip()
    if value and not _IMDB.fullmatch(value):
        raise DomainError(_("An IMDb id looks like tt0037674."))
    return value


def clean_tmdb_id(value: str) -> str:
    value = value.strip()
    if value and not _TMDB.fullmatch(value):
        raise DomainError(_("A TMDB id is a number."))
    return value


def split_list(value: str) -> list[str]:
    """A multi-valued cell or form field: values separated by "|" or ","."""
    return [part.strip() for part in re.split(r"[|,]", value) if part.strip()]


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def clean_text_block(value: str, *, limit: int) -> str:
    """Free text kept with its line breaks (Markdown), trimmed, within `limit` characters."""
    cleaned = value.replace("\r\n", "\n").replace("\x00", "").strip()
    if len(cleaned) > limit:
        raise DomainError(
            _("The text is too long (%(limit)d characters at most).") % {"limit": limit}
        )
    return cleaned
