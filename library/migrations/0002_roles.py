"""Create the two roles, caseworkers and library admins, with their permissions."""

from django.db import migrations

from library.roles import (
    CASEWORKER_PERMISSIONS,
    CASEWORKERS,
    LIBRARY_ADMIN_PERMISSIONS,
    LIBRARY_ADMINS,
    grant,
)


def create_roles(apps, schema_editor):
    grant(
        apps,
        [(CASEWORKERS, CASEWORKER_PERMISSIONS), (LIBRARY_ADMINS, LIBRARY_ADMIN_PERMISSIONS)],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
