"""The search engines' structures, one set per database vendor (see `films/search.py`)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE_FORWARD = [
    'CREATE VIRTUAL TABLE films_film_fts USING fts5('
    'search_text, tokenize="unicode61 remove_diacritics 2")',
    'CREATE VIRTUAL TABLE films_person_fts USING fts5('
    'search_text, tokenize="unicode61 remove_diacritics 2")',
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS films_film_fts", "DROP TABLE IF EXISTS films_person_fts"]

# The expressions match what `SearchVector("search_text", config=...)` compiles to, so the
# planner uses the indexes.
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS contrechamp_french",
    "CREATE TEXT SEARCH CONFIGURATION contrechamp_french (COPY = french)",
    "ALTER TEXT SEARCH CONFIGURATION contrechamp_french "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
    "CREATE INDEX films_film_search_fts ON films_film USING gin "
    "(to_tsvector('contrechamp_french'::regconfig, COALESCE(search_text, '')))",
    "CREATE INDEX films_film_search_trgm ON films_film USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX films_person_search_fts ON films_person USING gin "
    "(to_tsvector('contrechamp_french'::regconfig, COALESCE(search_text, '')))",
    "CREATE INDEX films_person_search_trgm ON films_person "
    "USING gin (search_text gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS films_film_search_fts",
    "DROP INDEX IF EXISTS films_film_search_trgm",
    "DROP INDEX IF EXISTS films_person_search_fts",
    "DROP INDEX IF EXISTS films_person_search_trgm",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS contrechamp_french",
]


def _run(schema_editor: BaseDatabaseSchemaEditor, statements: dict[str, list[str]]) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [("films", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
