"""SQLite's search index (`make run`): an FTS5 table whose rowid is the post's id, filled for
the posts that exist. forum.search.sqlite keeps it current from the services; PostgreSQL
uses the search vector of 0010 instead, so nothing happens there."""

from django.db import migrations

CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS forum_post_fts "
    "USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')"
)
FILL = (
    "INSERT INTO forum_post_fts (rowid, title, body) "
    "SELECT p.id, CASE WHEN p.position = 1 THEN t.title ELSE '' END, "
    "replace(replace(p.body, char(2), ''), char(3), '') "
    "FROM forum_post AS p JOIN forum_topic AS t ON t.id = p.topic_id"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(CREATE)
    schema_editor.execute(FILL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS forum_post_fts")


class Migration(migrations.Migration):
    dependencies = [("forum", "0014_search")]

    operations = [migrations.RunPython(create, drop)]
