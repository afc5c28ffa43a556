"""Caseworkers see, add, confirm and reject topic tags; library admins also manage topics."""

from django.db import migrations

from library.roles import (
    CASEWORKERS,
    LIBRARY_ADMINS,
    TOPIC_CASEWORKER_PERMISSIONS,
    TOPIC_LIBRARY_ADMIN_PERMISSIONS,
    grant,
)


def topic_roles(apps, schema_editor):
    grant(
        apps,
        [
            (CASEWORKERS, TOPIC_CASEWORKER_PERMISSIONS),
            (LIBRARY_ADMINS, TOPIC_LIBRARY_ADMIN_PERMISSIONS),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("library", "0007_seed_topics")]

    operations = [migrations.RunPython(topic_roles, migrations.RunPython.noop)]
