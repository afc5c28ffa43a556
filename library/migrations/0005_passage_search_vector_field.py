"""The search vector becomes a model field, so the ingest service can write it in the
same INSERT as the passage (instead of an UPDATE of every new row). PostgreSQL has had
the column since 0003; SQLite gets an unused one."""

import django.contrib.postgres.search
from django.db import migrations


def add_column_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ALTER TABLE library_passage ADD COLUMN search_vector tsvector NULL")


class Migration(migrations.Migration):
    dependencies = [("library", "0004_passage_search_copies")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="passage",
                    name="search_vector",
                    field=django.contrib.postgres.search.SearchVectorField(
                        editable=False, null=True
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(add_column_on_sqlite, migrations.RunPython.noop),
            ],
        ),
    ]
