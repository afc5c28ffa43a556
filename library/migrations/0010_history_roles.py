"""Library admins read the library's history (corrections and withdrawals)."""

from django.db import migrations

from library.roles import HISTORY_LIBRARY_ADMIN_PERMISSIONS, LIBRARY_ADMINS, grant


def history_roles(apps, schema_editor):
    grant(apps, [(LIBRARY_ADMINS, HISTORY_LIBRARY_ADMIN_PERMISSIONS)])


class Migration(migrations.Migration):
    dependencies = [("library", "0009_bilag_history")]

    operations = [migrations.RunPython(history_roles, migrations.RunPython.noop)]
