"""Each post's search vector, filled for the posts that exist, and its GIN index.

The index is made here, on PostgreSQL only, rather than declared in Post.Meta: GIN does not
exist on SQLite, which searches an FTS5 table instead (0015). The vector's definition is
forum.search.postgres._VECTOR; keep the two the same. Topics written before this have no
search words; their suggestions read the opening post instead (forum.search).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations, models

FILL = r"""
UPDATE forum_post AS p SET search_vector =
    setweight(to_tsvector('english', CASE WHEN p.position = 1 THEN t.title ELSE '' END), 'A')
    || setweight(to_tsvector('english', translate(p.body, E'\x02\x03', '')), 'B')
FROM forum_topic AS t WHERE t.id = p.topic_id
"""
INDEX = "CREATE INDEX post_search_vector ON forum_post USING gin (search_vector)"
DROP = "DROP INDEX IF EXISTS post_search_vector"


def fill_and_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FILL)
    schema_editor.execute(INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("forum", "0013_fold_unread_notifications")]

    operations = [
        migrations.AddField(
            model_name="post",
            name="search_vector",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="topic",
            name="search_words",
            field=models.CharField(
                blank=True, default="", db_default="", editable=False, max_length=300
            ),
        ),
        migrations.RunPython(fill_and_index, drop_index),
    ]
