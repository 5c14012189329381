"""The search index takes new entries straight into its posting lists (fastupdate off).

With GIN's default pending list, new posts' words wait in an unsorted list that every search
reads in full until a vacuum merges it, so search time grows between vacuums on a busy forum
(PostgreSQL's manual, "GIN Fast Update Technique"). Writing a post costs a little more; every
search costs what bench/search.py measures. PostgreSQL only, like the index (0014).
"""

from django.db import migrations


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX post_search_vector SET (fastupdate = off)")
        # What already waits in the pending list moves into the index now.
        schema_editor.execute("SELECT gin_clean_pending_list('post_search_vector'::regclass)")


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX post_search_vector RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("forum", "0018_topic_unlisted_index")]

    operations = [migrations.RunPython(without_pending_list, with_pending_list)]
