"""Search moves to Tantivy (library.search.engine), an index derived from the database.

The database's own search structures go: PostgreSQL's `search_vector` column with its
GIN or RUM index, SQLite's FTS5 table. The outbox (SearchOutbox) takes their place in
the transactions that write passages, tags and metadata. The index itself is built from
the database by the first search or write after this migration (or `manage.py reindex`).
"""

from django.db import migrations, models


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS library_passage_fts")


class Migration(migrations.Migration):
    dependencies = [("library", "0012_boilerplate_kinds")]

    operations = [
        migrations.RunPython(drop_fts, migrations.RunPython.noop),
        migrations.RemoveField(model_name="passage", name="search_vector"),
        migrations.CreateModel(
            name="SearchOutbox",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("bilag_id", models.BigIntegerField(verbose_name="bilag id")),
                (
                    "passage_id",
                    models.BigIntegerField(
                        blank=True,
                        help_text="Empty: every passage of the bilag.",
                        null=True,
                        verbose_name="passage id",
                    ),
                ),
                ("queued", models.DateTimeField(auto_now_add=True, verbose_name="queued")),
            ],
            options={
                "verbose_name": "search index change",
                "verbose_name_plural": "search index changes",
                "ordering": ["id"],
            },
        ),
    ]
