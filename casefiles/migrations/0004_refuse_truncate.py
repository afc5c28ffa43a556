"""The audit logs refuse TRUNCATE too on PostgreSQL (their row triggers never see it).

A statement-level trigger raises unless the session has set `baggrund.allow_truncate`
to `on`: nothing in Baggrund does; the test suite does for its own connections (its
databases are flushed between tests with TRUNCATE), see tests/conftest.py.
"""

from django.db import migrations

TABLES = ("casefiles_auditentry", "casefiles_loginevent")

FUNCTION = """
CREATE FUNCTION baggrund_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('baggrund.allow_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER {table}_refuse_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION baggrund_refuse_truncate();
"""


def refuse_truncate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)
        for table in TABLES:
            schema_editor.execute(TRIGGER.format(table=table), params=None)


def allow_truncate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER {table}_refuse_truncate ON {table}", params=None)
        schema_editor.execute("DROP FUNCTION baggrund_refuse_truncate()", params=None)


class Migration(migrations.Migration):
    dependencies = [("casefiles", "0003_login_events")]

    operations = [migrations.RunPython(refuse_truncate, allow_truncate)]
