"""Indexes for the directory's search: names and the mission filter.

Trigram indexes for the name search (PostgreSQL only; SQLite scans its small tables), and a partial index of
the members who hide a current deployment, which the mission filter leaves out.

The directory filters names with `icontains`, which PostgreSQL runs as UPPER(column::text) LIKE UPPER(pattern).
The indexes are on that same expression, so a search among tens of thousands of members reads only the rows
whose names hold the text instead of every account.
"""

from django.db import migrations, models

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
    dependencies = [("network", "0005_user_directory_order")]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                condition=models.Q(("hide_current_deployment", True)), fields=["id"], name="member_hiding_deployment"
            ),
        ),
    ]
