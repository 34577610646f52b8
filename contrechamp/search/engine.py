"""The two engines behind the one search: they find candidates, the queries do the rest.

Text is folded the catalogue's way (`films.search`: lower case, no accents, French plurals
folded, stop words dropped from queries), so a film is found with the same words here and
in the catalogue. Every word of two letters or more is a prefix, to find while typing.

A search asks for at most `cap` candidates *of each kind*, with a relevance score, and
its cost does not grow with the index:
1. One statement asks for twice `cap` matches of any kind. When there are fewer, they are
   all the matches: the usual case ("voyage lune"), one pass over the index.
2. Otherwise (a common word: "vertigo" is in 20,000 items), one statement asks each kind
   that has fewer than `cap` matches among those for `cap` of its matches: both engines
   also index the kind, so the index finds one kind's matches by itself and stops at the
   cap. A kind with few matches is still complete; a kind cut at the cap shows "500+"
   rather than an exact count.

- SQLite: the FTS5 table `search_document_fts` indexes `kind` and `search_text` (the
  kind is the phrase `kind : "events"`); matches come newest first, FTS5 walking its
  doclists backwards. Every candidate holds every word of the query, so bm25's word
  weights are the same for all of them and what orders them is the length of their
  text: the score is that length, shorter first. (bm25 itself would count the rows of
  each phrase of the query on every search, the 200,000 of `kind : "items"` included:
  6 ms for one result at bench size.)
- PostgreSQL: `search_vector` (French stemming, unaccent) also holds the lexeme
  `kind_<kind>`; matches come in the table's order (asking for the newest would visit
  every match) with their `ts_rank`. When full text finds nothing, trigram word
  similarity (`pg_trgm`) catches typos ("kurosava").
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL

from contrechamp.films.search import PG_CONFIG, document, query_words

# Words of a query that count; the rest of a pasted paragraph is ignored.
MAX_WORDS = 10
PREFIX_FROM = 2

type Row = tuple[int, str, float]


@dataclass(frozen=True)
class Candidate:
    id: int
    kind: str
    # Higher is more relevant; scores compare within one search only.
    score: float


def fold(*parts: str) -> str:
    """The `search_text` of a document whose words are `parts`."""
    return document(*parts)


def terms(query: str) -> list[str]:
    """The words of a query that the engines look for: none for a query of punctuation,
    quotes or operators only."""
    return query_words(query)[:MAX_WORDS]


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def candidates(words: Sequence[str], kinds: Sequence[str], *, cap: int) -> list[Candidate]:
    """At most `cap` documents of each of `kinds` matching every word (one or two
    queries)."""
    if not words or not kinds:
        return []
    engine = _Postgres(words) if is_postgres() else _Sqlite(words)
    every = engine.any_kind(limit=2 * cap)
    taken = dict.fromkeys(kinds, 0)
    found = []
    for pk, kind, score in every:
        if kind in taken and taken[kind] < cap:
            taken[kind] += 1
            found.append(Candidate(pk, kind, score))
    if len(every) < 2 * cap:
        return found
    # Kinds that filled their share from the first statement keep it (on SQLite they are
    # that kind's newest matches too); the others are asked one by one.
    short = [kind for kind in kinds if taken[kind] < cap]
    kept = [candidate for candidate in found if candidate.kind not in short]
    if not short:
        return kept
    return kept + [Candidate(pk, kind, score) for pk, kind, score in engine.each_kind(short, cap)]


def similar(words: Sequence[str], kinds: Sequence[str], *, cap: int) -> list[Candidate]:
    """Documents close to the words despite a typo, best first (PostgreSQL only: SQLite
    has no trigram index; there a typo finds nothing)."""
    if not words or not kinds or not is_postgres():
        return []
    plain = " ".join(words)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, kind, word_similarity(%s, search_text) AS score "
            "FROM search_document WHERE %s <%% search_text AND kind = ANY(%s) "
            "ORDER BY score DESC, id LIMIT %s",
            [plain, plain, list(kinds), cap],
        )
        return [Candidate(pk, kind, score) for pk, kind, score in cursor.fetchall()]


def among(ids: Sequence[int]) -> RawSQL:
    """A subquery of these ids, for `pk__in`: one parameter however many there are."""
    if is_postgres():
        return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(list(ids)),))


def _rows(sql: str, params: Sequence[str | int | list[str]]) -> list[Row]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(pk, kind, float(score)) for pk, kind, score in cursor.fetchall()]


class _Sqlite:
    # The score is minus the length of the text: see the module's docstring.
    SELECT = (
        "SELECT f.rowid, d.kind, -length(d.search_text) FROM (SELECT rowid "
        "FROM search_document_fts WHERE search_document_fts MATCH %s "
        "ORDER BY rowid DESC LIMIT %s) AS f JOIN search_document AS d ON d.id = f.rowid"
    )

    def __init__(self, words: Sequence[str]) -> None:
        # Each word is [a-z0-9]+ (see `films.search.words`), quoted: FTS5 syntax cannot
        # leak in.
        self.text = " ".join(
            f'"{word}"*' if len(word) >= PREFIX_FROM else f'"{word}"' for word in words
        )

    def any_kind(self, *, limit: int) -> list[Row]:
        return _rows(self.SELECT, [f"search_text : ({self.text})", limit])

    def each_kind(self, kinds: Sequence[str], cap: int) -> list[Row]:
        params: list[str | int] = []
        for kind in kinds:
            params += [f'kind : "{kind}" AND search_text : ({self.text})', cap]
        return _rows(" UNION ALL ".join([self.SELECT] * len(kinds)), params)


class _Postgres:
    """Each statement reads its matches from a MATERIALIZED common table expression: a
    CTE is planned as if read to the end, so its plan is the GIN index, and read lazily,
    so the LIMIT still stops it early. Planned with the LIMIT, PostgreSQL would rather
    scan the table in order, expecting matches everywhere: those of one kind are rows
    written together (80 ms, once in a while, at bench size)."""

    def __init__(self, words: Sequence[str]) -> None:
        # Each word is [a-z0-9]+: the raw tsquery syntax cannot be broken.
        self.tsquery = " & ".join(
            f"{word}:*" if len(word) >= PREFIX_FROM else word for word in words
        )

    def any_kind(self, *, limit: int) -> list[Row]:
        # A query of French stop words only ("le la") is an empty tsquery, which matches
        # nothing here, but AND-ed with a kind below it would match the whole kind.
        return _rows(
            "WITH matches AS MATERIALIZED (SELECT id, kind, search_vector FROM search_document "
            "WHERE search_vector @@ to_tsquery(%s::regconfig, %s)) "
            "SELECT id, kind, ts_rank(search_vector, to_tsquery(%s::regconfig, %s)) "
            "FROM matches LIMIT %s",
            [PG_CONFIG, self.tsquery, PG_CONFIG, self.tsquery, limit],
        )

    def each_kind(self, kinds: Sequence[str], cap: int) -> list[Row]:
        # One plan for every kind: the lateral subquery runs once per kind, its GIN scan
        # asking for the words and the kind's lexeme together.
        return _rows(
            "SELECT c.id, c.kind, c.score FROM unnest(%s::text[]) AS k(name), LATERAL ("
            "WITH matches AS MATERIALIZED (SELECT id, kind, search_vector "
            "FROM search_document WHERE search_vector @@ "
            "(to_tsquery(%s::regconfig, %s) && ('kind_' || k.name)::tsquery)) "
            "SELECT id, kind, ts_rank(search_vector, to_tsquery(%s::regconfig, %s)) AS score "
            "FROM matches LIMIT %s) AS c",
            [list(kinds), PG_CONFIG, self.tsquery, PG_CONFIG, self.tsquery, cap],
        )
