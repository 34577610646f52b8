"""Text search in the library on PostgreSQL: trigram indexes on the expressions Django's
`icontains` compares (`UPPER(column::text) LIKE UPPER(%s)`), so that "?q=vertigo" over
200,000 items is an index lookup instead of a scan and a sort (600 ms to 10 ms, see
docs/performance.md). `pg_trgm` is a trusted extension (PostgreSQL 13+): the database
owner may create it.

SQLite has no trigram index; there the search scans, in 10 ms at 200,000 items.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS item_title_trgm
    ON lending_item USING gin (upper(title::text) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS item_description_trgm
    ON lending_item USING gin (upper(description::text) gin_trgm_ops);
"""

DROP = """
DROP INDEX IF EXISTS item_title_trgm;
DROP INDEX IF EXISTS item_description_trgm;
"""


def _on_postgres(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("lending", "0003_add_library_indexes")]

    operations = [
        migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP), elidable=False),
    ]
