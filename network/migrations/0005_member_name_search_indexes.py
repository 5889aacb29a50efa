"""Trigram indexes for the directory's name search (PostgreSQL only; SQLite scans its small tables).

The directory filters with `icontains`, which PostgreSQL runs as UPPER(column::text) LIKE UPPER(pattern): the
indexes are on that same expression, so a search among tens of thousands of members does not read every row.
"""

from django.db import migrations

INDEXES = {
    "network_user_first_name_trgm": "first_name",
    "network_user_last_name_trgm": "last_name",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON network_user USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("network", "0004_directory_visibility_columns")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
