"""PostgreSQL only: `rank_vector`, the vector a long entry is ranked by — its title and the first
RANK_OPENING characters of its body, in its own language (title weight A, body B); NULL for an entry whose
body is shorter (its `search_vector` is small already and ranks it).

Ranking reads each matched entry's whole vector: for a two-word query matching thousands of 20 KB documents
that was most of the query's time. Matching still uses `search_vector`, the whole text."""

from django.db import migrations

RANK_OPENING = 2_000
CONFIG_OF_ENTRY = (
    "(CASE language WHEN 'fr' THEN 'fr_unaccent'::regconfig WHEN 'en' THEN 'en_unaccent'::regconfig "
    "ELSE 'simple_unaccent'::regconfig END)"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"""
        ALTER TABLE search_searchindexentry ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS (
            CASE WHEN length(body) > {RANK_OPENING} THEN
                setweight(to_tsvector({CONFIG_OF_ENTRY}, coalesce(title, '')), 'A')
                || setweight(to_tsvector({CONFIG_OF_ENTRY}, left(body, {RANK_OPENING})), 'B')
            END
        ) STORED
        """
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_searchindexentry DROP COLUMN IF EXISTS rank_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_lz4_compression")]

    operations = [migrations.RunPython(forward, backward)]
