"""Full-text search structures, by database.

PostgreSQL: a `search_vector tsvector` column on passages (NULL for boilerplate) and a
RUM index where the extension is installed, else GIN. SQLite: an FTS5 table whose rowid
is the passage id. Neither is a model field: the ingest service keeps them in step
through `library.search.index`, and `manage.py reindex` rebuilds them.
"""

from django.db import migrations

FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS library_passage_fts "
    "USING fts5(body, tokenize = 'unicode61 remove_diacritics 0')"
)


def forwards(apps, schema_editor):
    from library.search import index

    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE library_passage ADD COLUMN search_vector tsvector")
    elif connection.vendor == "sqlite":
        schema_editor.execute(FTS)
    index.create_index()
    index.reindex_all(progress=False)


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
