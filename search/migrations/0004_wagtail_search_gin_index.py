"""PostgreSQL only: the GIN expression index Wagtail's database search backend needs.

Its PostgreSQL query filters on `(title || body) @@ tsquery` over `wagtailsearch_indexentry`; the GIN indexes
Wagtail creates are on each column alone, which that expression cannot use, so every admin search read the
whole table. tests/search/test_wagtail_search_index.py shows the plan uses this index."""

from django.db import migrations

INDEX = "search_wagtail_indexentry_title_body"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_sqlite_fts"), ("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(forward, backward)]
