"""PostgreSQL only: unaccent and pg_trgm, the three text search configurations, the generated tsvector
columns of the index table, their GIN indexes and the trigram index of the suggestion lexicon.
On any other database this migration does nothing (the SQLite FTS5 table comes in 0003)."""

from django.db import migrations

CONFIGURATIONS = (
    ("en_unaccent", "english", "english_stem"),
    ("fr_unaccent", "french", "french_stem"),
    ("simple_unaccent", "simple", "simple"),
)

CONFIG_OF_ENTRY = (
    "(CASE language WHEN 'fr' THEN 'fr_unaccent'::regconfig WHEN 'en' THEN 'en_unaccent'::regconfig "
    "ELSE 'simple_unaccent'::regconfig END)"
)

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    *(
        f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{name}') THEN
                CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {base});
                ALTER TEXT SEARCH CONFIGURATION {name}
                    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {dictionary};
            END IF;
        END $$
        """
        for name, base, dictionary in CONFIGURATIONS
    ),
    f"""
    ALTER TABLE search_searchindexentry
        ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector({CONFIG_OF_ENTRY}, coalesce(title, '')), 'A')
            || setweight(to_tsvector({CONFIG_OF_ENTRY}, coalesce(body, '')), 'B')
        ) STORED,
        ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
            to_tsvector({CONFIG_OF_ENTRY}, coalesce(title, ''))
        ) STORED
    """,
    "CREATE INDEX search_entry_vector ON search_searchindexentry USING gin (search_vector)",
    "CREATE INDEX search_entry_topics ON search_searchindexentry USING gin (topics)",
    "CREATE INDEX search_term_trigram ON search_searchterm USING gin (word gin_trgm_ops)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS search_term_trigram",
    "DROP INDEX IF EXISTS search_entry_topics",
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_searchindexentry DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS title_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index_table")]

    operations = [migrations.RunPython(forward, backward)]
