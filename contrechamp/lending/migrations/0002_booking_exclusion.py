"""No double booking, enforced by PostgreSQL: two bookings that hold the same item
(pending, approved or checked out) cannot have overlapping time ranges.

SQLite has no exclusion constraints; there the IMMEDIATE transactions serialise writers
and `services.book_equipment` re-checks overlaps inside the transaction. The operation is
a no-op there, so the migration graph is the same on both databases.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE lending_booking ADD CONSTRAINT booking_no_overlap
    EXCLUDE USING gist (item_id WITH =, tstzrange("start", "end", '[)') WITH &&)
    WHERE (status IN ('pending', 'approved', 'checked_out'));
"""

DROP = "ALTER TABLE lending_booking DROP CONSTRAINT IF EXISTS booking_no_overlap;"


def _on_postgres(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("lending", "0001_initial")]

    operations = [
        migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP), elidable=False),
    ]
