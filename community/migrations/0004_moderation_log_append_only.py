"""The database itself refuses UPDATE and DELETE on the moderation log.

TRUNCATE is left to the table owner (test databases are flushed with it); the application's
database role should not own the tables in production (see docs/architecture.md).
"""

from django.db import migrations

TABLE = "community_moderationlog"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION community_moderationlog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the moderation log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER community_moderationlog_no_update
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION community_moderationlog_append_only();
"""
POSTGRES_REVERSE = f"""
DROP TRIGGER IF EXISTS community_moderationlog_no_update ON {TABLE};
DROP FUNCTION IF EXISTS community_moderationlog_append_only();
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER community_moderationlog_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only: UPDATE refused'); END;""",
    f"""CREATE TRIGGER community_moderationlog_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only: DELETE refused'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS community_moderationlog_no_update;",
    "DROP TRIGGER IF EXISTS community_moderationlog_no_delete;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("community", "0003_reports_review_queue_moderation_log")]
    operations = [migrations.RunPython(forward, reverse)]
