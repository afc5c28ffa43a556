"""The library's history (BilagChange) is append-only in PostgreSQL too, as the case
files' audit log is: UPDATE, DELETE and TRUNCATE are refused by triggers.

TRUNCATE passes only when the session has set `baggrund.allow_truncate` to `on`, which
nothing in Baggrund does; the test suite does for its own connections (tests/conftest.py),
because pytest-django flushes its databases with TRUNCATE between tests.
"""

from django.db import migrations

APPEND_ONLY = """
CREATE FUNCTION library_bilagchange_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('baggrund.allow_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the library history is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER library_bilagchange_append_only
    BEFORE UPDATE OR DELETE ON library_bilagchange
    FOR EACH ROW EXECUTE FUNCTION library_bilagchange_append_only();
CREATE TRIGGER library_bilagchange_refuse_truncate
    BEFORE TRUNCATE ON library_bilagchange
    FOR EACH STATEMENT EXECUTE FUNCTION library_bilagchange_append_only();
"""
DROP_APPEND_ONLY = """
DROP TRIGGER library_bilagchange_refuse_truncate ON library_bilagchange;
DROP TRIGGER library_bilagchange_append_only ON library_bilagchange;
DROP FUNCTION library_bilagchange_append_only();
"""


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


def drop_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_APPEND_ONLY, params=None)


class Migration(migrations.Migration):
    dependencies = [("library", "0016_topic_description_da")]

    operations = [migrations.RunPython(append_only, drop_append_only)]
