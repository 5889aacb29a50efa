"""The directory's search text: names and shared fields, folded (lower case, no accents), on the member.

On PostgreSQL one trigram index on it replaces the two on UPPER(first_name) and UPPER(last_name), which the
search no longer reads; SQLite scans its small tables.
"""

from django.db import migrations, models

from network.directory_text import directory_search_text

OLD_INDEXES = {
    "network_user_first_name_trgm": "first_name",
    "network_user_last_name_trgm": "last_name",
}
INDEX = "network_member_directory_search_trgm"


def fill_search_text(apps, schema_editor):
    Member = apps.get_model("network", "Member")
    batch = []
    members = Member.objects.select_related("user").only(
        "country", "police_service", "rank", "visibility", "user__first_name", "user__last_name"
    )
    for member in members.iterator(chunk_size=2000):
        member.directory_search = directory_search_text(
            member.user.first_name,
            member.user.last_name,
            country=str(member.country or ""),
            police_service=member.police_service,
            rank=member.rank,
            visibility=member.visibility,
        )
        batch.append(member)
        if len(batch) >= 2000:
            Member.objects.bulk_update(batch, ["directory_search"])
            batch = []
    Member.objects.bulk_update(batch, ["directory_search"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON network_member USING gin (directory_search gin_trgm_ops)"
    )
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    for name, column in OLD_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON network_user USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("network", "0007_campaigns_moved_to_their_app")]

    operations = [
        migrations.AddField(
            model_name="member",
            name="directory_search",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
