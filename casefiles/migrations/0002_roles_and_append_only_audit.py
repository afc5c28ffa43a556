"""Case permissions for both roles; on PostgreSQL, the audit log refuses UPDATE and DELETE.

The trigger is row-level, so TRUNCATE (a test database being flushed) still works.
SQLite has no such trigger: its flush deletes rows, and the model refuses changes.
"""

from django.db import migrations

from casefiles.roles import CASE_CASEWORKER_PERMISSIONS, CASE_LIBRARY_ADMIN_PERMISSIONS
from library.roles import CASEWORKERS, LIBRARY_ADMINS, grant

APPEND_ONLY = """
CREATE FUNCTION casefiles_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER casefiles_auditentry_append_only
    BEFORE UPDATE OR DELETE ON casefiles_auditentry
    FOR EACH ROW EXECUTE FUNCTION casefiles_auditentry_append_only();
"""
DROP_APPEND_ONLY = """
DROP TRIGGER casefiles_auditentry_append_only ON casefiles_auditentry;
DROP FUNCTION casefiles_auditentry_append_only();
"""

def case_roles(apps, schema_editor):
    grant(
        apps,
        [
            (CASEWORKERS, CASE_CASEWORKER_PERMISSIONS),
            (LIBRARY_ADMINS, CASE_LIBRARY_ADMIN_PERMISSIONS),
        ],
    )


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


def drop_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_APPEND_ONLY, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("casefiles", "0001_initial"),
        ("library", "0008_topic_roles"),
    ]

    operations = [
        migrations.RunPython(case_roles, migrations.RunPython.noop),
        migrations.RunPython(append_only, drop_append_only),
    ]
