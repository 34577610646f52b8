"""French-aware search over films and people: one interface, two engines.

Both engines index the same `search_text` column, written by the services: titles and
names lower-cased, without accents, with French plurals folded ("enfants" → "enfant",
"paradis" → "paradi"), so case, accents, plurals and word order never matter.

- SQLite: FTS5 tables (`films_film_fts`, `films_person_fts`, tokenizer `unicode61
  remove_diacritics 2`, rowid = the row's pk) created by migration 0002 and kept in step
  by `store_films` / `store_people`, which the services call in their transaction; every
  word of the query is a prefix, so "cleo" finds "Cléo de 5 à 7" while typing. The index
  is asked once for the `MAX_MATCHES` best rowids, then the rows are read by primary key.
- PostgreSQL: a `contrechamp_french` text search configuration (unaccent + French stemming)
  turns `search_text` into a stored `search_vector` column with a GIN index; when it finds
  nothing, `pg_trgm` word similarity (GIN trigram index) catches typos.
"""

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import BooleanField, FloatField, IntegerField, QuerySet
from django.db.models.expressions import RawSQL

from contrechamp.films.models import Film, Person

PG_CONFIG = "contrechamp_french"
QUERY_MAX = 100
# On SQLite, the best matches kept for a query (its list pages show them, ranked).
MAX_MATCHES = 500
# Words that carry no meaning in a title search; dropped from queries (never from the
# index), unless the query holds nothing else.
STOP_WORDS = frozenset(
    "a au aux d de des du en et l la le les un une the of a an and".split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-z0-9]+")


def register_lookups() -> None:
    """`django.contrib.postgres` is not an installed app, so its trigram lookup is
    registered on the two indexed fields only (called from `FilmsConfig.ready`)."""
    for model in (Film, Person):
        model._meta.get_field("search_text").register_lookup(TrigramWordSimilar)


def words(text: str) -> list[str]:
    """Lower-case words without accents, French plurals folded to the singular."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return [_fold_plural(word) for word in _WORD.findall(stripped)]


def _fold_plural(word: str) -> str:
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def document(*parts: str) -> str:
    """The text both engines index for a film (titles, directors) or a person (name)."""
    return " ".join(" ".join(words(part)) for part in parts if part)


def query_words(query: str) -> list[str]:
    found = words(query[:QUERY_MAX])
    meaningful = [word for word in found if word not in STOP_WORDS]
    return meaningful or found


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def store_films(films: Iterable[Film]) -> None:
    """Write the films' `search_text` into the SQLite index (PostgreSQL indexes the
    column itself). Call inside the transaction that saved them."""
    _store("films_film_fts", [(film.pk, film.search_text) for film in films])


def store_people(people: Iterable[Person]) -> None:
    _store("films_person_fts", [(person.pk, person.search_text) for person in people])


def _store(table: str, rows: list[tuple[int, str]]) -> None:
    if _is_postgres() or not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [(pk,) for pk, _ in rows])  # noqa: S608
        cursor.executemany(f"INSERT INTO {table} (rowid, search_text) VALUES (%s, %s)", rows)  # noqa: S608


def _fts_ranked_ids(table: str, words_: list[str]) -> list[int]:
    """The best `MAX_MATCHES` rowids for the words, best first: FTS5 evaluates the query
    once, in its own index (a correlated subquery would run it once per row)."""
    expression = " ".join(f'"{word}"*' for word in words_)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rank LIMIT %s",  # noqa: S608
            [expression, MAX_MATCHES],
        )
        return [row[0] for row in cursor.fetchall()]


def _ranked[M: (Film, Person)](queryset: QuerySet[M], *, table: str, query: str) -> QuerySet[M]:
    """`table` is the SQLite FTS5 table; on PostgreSQL, the model's own table."""
    found = query_words(query)
    if not found:
        return queryset.none()
    if _is_postgres():
        # `search_vector` is a stored generated column with a GIN index (migration 0006).
        # Each word is [a-z0-9]+ (see `words`): the raw tsquery syntax cannot be broken.
        tsquery = " & ".join(f"{word}:*" for word in found)
        params = (PG_CONFIG, tsquery)
        matches = (
            queryset.alias(
                matched=RawSQL(  # noqa: S611 - our own table name; the query is a parameter
                    f"{table}.search_vector @@ to_tsquery(%s::regconfig, %s)",
                    params,
                    output_field=BooleanField(),
                )
            )
            .filter(matched=True)
            .annotate(
                search_rank=RawSQL(  # noqa: S611
                    f"ts_rank({table}.search_vector, to_tsquery(%s::regconfig, %s))",
                    params,
                    output_field=FloatField(),
                )
            )
            .order_by("-search_rank", "pk")
        )
        # Trigram word similarity only when full text finds nothing, so a typo
        # ("kurosava") still finds the film, but "cleo" does not bring every "clergyman".
        if matches.exists():
            return matches
        plain = " ".join(found)
        return (
            queryset.filter(search_text__trigram_word_similar=plain)
            .annotate(search_rank=TrigramWordSimilarity(plain, "search_text"))
            .order_by("-search_rank", "pk")
        )
    ids = _fts_ranked_ids(table, found)
    if not ids:
        return queryset.none()
    # The ranked ids travel as one JSON parameter: compiling hundreds of CASE branches or
    # IN parameters per request costs more than the search itself.
    ranked = json.dumps(ids)
    owner = queryset.model._meta.db_table
    # Only our own table name is interpolated; the ids are a parameter.
    position = RawSQL(  # noqa: S611
        f"(SELECT key FROM json_each(%s) WHERE value = {owner}.id)",  # noqa: S608
        (ranked,),
        output_field=IntegerField(),
    )
    return (
        queryset.filter(pk__in=RawSQL("SELECT value FROM json_each(%s)", (ranked,)))
        .annotate(search_rank=position)
        .order_by("search_rank")
    )


def _table(model_table: str) -> str:
    return model_table if _is_postgres() else f"{model_table}_fts"


def matching_films(query: str, queryset: QuerySet[Film] | None = None) -> QuerySet[Film]:
    """Films whose titles or directors match the query, best first; none for an empty query."""
    base = queryset if queryset is not None else Film.objects.all()
    return _ranked(base, table=_table("films_film"), query=query)


_TITLE_AND_YEAR = re.compile(r"(?P<title>.+?)[\s,]*\(?(?P<year>1[89]\d\d|20\d\d)\)?")


def film_named(text: str) -> Film | None:
    """The catalogue film a person names by its title, followed if needed by its year
    ("La Jetée", "La Jetée 1962", "La Jetée (1962)"): the best match among that year's
    films first, then among all; None when nothing matches."""
    text = " ".join(text.replace("\x00", "").split())
    if not text:
        return None
    dated = _TITLE_AND_YEAR.fullmatch(text)
    if dated is not None:
        of_that_year = Film.objects.filter(year=int(dated["year"]))
        film = matching_films(dated["title"], of_that_year).first()
        if film is not None:
            return film
    return matching_films(text).first()


def matching_people(query: str, queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """People whose name matches the query, best first."""
    base = queryset if queryset is not None else Person.objects.all()
    return _ranked(base, table=_table("films_person"), query=query)


@dataclass(frozen=True)
class SearchResults:
    films: list[Film]
    people: list[Person]


def search(query: str, *, limit: int = 10) -> SearchResults:
    """The best films and people for a query (two queries on either engine)."""
    return SearchResults(
        films=list(matching_films(query)[:limit]),
        people=list(matching_people(query)[:limit]),
    )
