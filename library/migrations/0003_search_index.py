"""Full-text search structures, by database (until 0013 moved search to Tantivy).

PostgreSQL: a `search_vector tsvector` column on passages; SQLite: an FTS5 table. 0013
drops both; this migration only makes them so that the ones between apply as they did.
"""

from django.db import migrations

FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS library_passage_fts "
    "USING fts5(body, tokenize = 'unicode61 remove_diacritics 0')"
)


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE library_passage ADD COLUMN search_vector tsvector")
    elif connection.vendor == "sqlite":
        schema_editor.execute(FTS)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS passage_search_rum")
        schema_editor.execute("DROP INDEX IF EXISTS passage_search_gin")
        schema_editor.execute("ALTER TABLE library_passage DROP COLUMN search_vector")
    elif connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS library_passage_fts")


class Migration(migrations.Migration):
    dependencies = [("library", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
