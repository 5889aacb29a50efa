"""SQLite only: the FTS5 table the SQLite engine matches in (its rowid is the index entry's id).

Columns: title and body as written (snippets come from them), `stems` the lightly stemmed words of both
(search/engines/stemming.py) so "formations" finds "formation". Written by the engine, not by triggers, because
the stems are computed in Python."""

from django.db import migrations

FORWARD = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, body, stems, tokenize = 'unicode61 remove_diacritics 2')"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(FORWARD)
    schema_editor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_vocab USING fts5vocab(search_fts, 'col')")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TABLE IF EXISTS search_fts_vocab")
    schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_postgres_full_text")]

    operations = [migrations.RunPython(forward, backward)]
