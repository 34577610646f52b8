"""The search index and its two engines (see `search/engine.py`).

SQLite: an FTS5 table over the documents' `kind` and `search_text` (external content: the
words are not stored twice), kept in step by triggers on every insert, update and delete,
with prefix indexes for what a person is still typing.

PostgreSQL: a stored `search_vector` (the French configuration of films migration 0002,
plus one lexeme `kind_<kind>` that the text can never produce), with a GIN index, and a
trigram index on `search_text` for typos. Both GIN indexes write each change in place
(`fastupdate = off`): with the pending list on, every search read up to 4 MB of entries
not yet merged (22 ms instead of 2 for one query at bench size, until a vacuum), while
the index's writes are a few rows after each change.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_document_fts USING fts5(kind, search_text, "
    "content='search_document', content_rowid='id', "
    "tokenize=\"unicode61 remove_diacritics 2\", prefix='2 3')",
    "CREATE TRIGGER search_document_fts_insert AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_document_fts (rowid, kind, search_text) "
    "VALUES (new.id, new.kind, new.search_text); END",
    "CREATE TRIGGER search_document_fts_delete AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_document_fts (search_document_fts, rowid, kind, search_text) "
    "VALUES ('delete', old.id, old.kind, old.search_text); END",
    "CREATE TRIGGER search_document_fts_update AFTER UPDATE OF kind, search_text "
    "ON search_document BEGIN "
    "INSERT INTO search_document_fts (search_document_fts, rowid, kind, search_text) "
    "VALUES ('delete', old.id, old.kind, old.search_text); "
    "INSERT INTO search_document_fts (rowid, kind, search_text) "
    "VALUES (new.id, new.kind, new.search_text); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_fts_insert",
    "DROP TRIGGER IF EXISTS search_document_fts_delete",
    "DROP TRIGGER IF EXISTS search_document_fts_update",
    "DROP TABLE IF EXISTS search_document_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE search_document ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('contrechamp_french'::regconfig, search_text) "
    "|| array_to_tsvector(ARRAY['kind_' || kind])) STORED",
    "CREATE INDEX search_document_vector ON search_document USING gin (search_vector) "
    "WITH (fastupdate = off)",
    "CREATE INDEX search_document_trgm ON search_document USING gin (search_text gin_trgm_ops) "
    "WITH (fastupdate = off)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_trgm",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor: BaseDatabaseSchemaEditor, statements: dict[str, list[str]]) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('networks', '0001_initial'),
        # The `contrechamp_french` text search configuration and pg_trgm.
        ('films', '0002_search_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Document',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=30)),
                ('object_id', models.PositiveBigIntegerField()),
                ('title', models.CharField(max_length=300)),
                ('text', models.CharField(blank=True, max_length=300)),
                ('category', models.CharField(blank=True, max_length=40)),
                ('url', models.CharField(max_length=500)),
                ('search_text', models.TextField()),
                ('is_public', models.BooleanField(default=True)),
                ('owner_circle', models.BooleanField(default=False)),
                ('happens_at', models.DateTimeField(blank=True, null=True)),
                ('expires_at', models.DateTimeField(blank=True, null=True)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('network', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='networks.network')),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['kind', 'updated_at'], name='search_document_kind_updated'), models.Index(fields=['expires_at'], name='search_document_expires')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='search_document_unique')],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
