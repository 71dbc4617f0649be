"""The feed's order exactly (`NewsItemQuerySet.newest_first`: published_at DESC NULLS LAST,
created_at DESC, id DESC), so a page of it is read from the index in order. The model's
index (status, -published_at) is DESC NULLS FIRST and cannot serve it: PostgreSQL sorted
every published item (a region's 30,000) for each page. PostgreSQL only — SQLite refuses
NULLS LAST in an index, and reads its small tables fast enough without it."""

from django.db import migrations

CREATE = """
CREATE INDEX news_feed_order ON communications_newsitem
    (status, published_at DESC NULLS LAST, created_at DESC, id DESC)
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS news_feed_order")


class Migration(migrations.Migration):
    dependencies = [("communications", "0012_one_line_fields")]

    operations = [migrations.RunPython(create, drop)]
