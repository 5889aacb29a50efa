"""PostgreSQL only: the index table's large values (the body, the tsvector) compressed with lz4 instead of pglz
when the server was built with it: several times faster to compress on every write and to decompress for each
ranked match, at about the same size. Only rows written afterwards change (a reindex rewrites them all); on a
server without lz4 this does nothing."""

from django.db import migrations

COLUMNS = ("body", "search_vector")


def set_compression(schema_editor, method: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    alter = ", ".join(f"ALTER COLUMN {column} SET COMPRESSION {method}" for column in COLUMNS)
    schema_editor.execute(
        f"""
        DO $$ BEGIN
            ALTER TABLE search_searchindexentry {alter};
        EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
            RAISE NOTICE 'lz4 compression is not available: the index keeps pglz';
        END $$
        """
    )


def forward(apps, schema_editor):
    set_compression(schema_editor, "lz4")


def backward(apps, schema_editor):
    set_compression(schema_editor, "pglz")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_wagtail_search_gin_index")]

    operations = [migrations.RunPython(forward, backward)]
