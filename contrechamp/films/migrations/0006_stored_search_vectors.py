"""PostgreSQL: store each row's text search vector (a generated column) and index it.

Ranking many matches with `ts_rank` then reads the stored vector instead of recomputing
`to_tsvector` row by row (measured in bench/films.py). SQLite keeps its FTS5 tables.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLES = ("films_film", "films_person")


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
            "(to_tsvector('contrechamp_french'::regconfig, COALESCE(search_text, ''))) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {table}_search_vector ON {table} USING gin (search_vector)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_fts")


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
        schema_editor.execute(
            f"CREATE INDEX {table}_search_fts ON {table} USING gin "
            "(to_tsvector('contrechamp_french'::regconfig, COALESCE(search_text, '')))"
        )


class Migration(migrations.Migration):
    dependencies = [("films", "0005_add_film_lists")]

    operations = [migrations.RunPython(forward, backward)]
