"""The site search's own index: one denormalised row per searchable item (a page, a document, a forum topic,
a member profile), written by the registered sources through `search.indexing`.

On PostgreSQL the table also carries generated `tsvector` columns, in the entry's own language (`en_unaccent`,
`fr_unaccent` or `simple_unaccent`): `search_vector` (title weight A, body weight B; migration 0002),
GIN-indexed, for matching; `title_vector` (the title alone, for the title boost); `rank_vector` (the title and
body opening of a long entry, for ranking; migration 0006). On SQLite an FTS5 table shadows it (migration
0003). None is declared here: the ORM never reads them, the engines do.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

LABEL_SEPARATOR = "|"


class LabelsField(models.Field):
    """A list of short strings (topics, grants): `text[]` on PostgreSQL, "|a|b|" text elsewhere.

    The surrounding separators let SQLite match one label exactly with `LIKE '%|label|%'`.
    """

    description = "A list of labels"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def db_type(self, connection):
        return "text[]" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value, connection, prepared=False):
        labels = [str(label) for label in (value or ()) if str(label)]
        if connection.vendor == "postgresql":
            return labels
        return f"{LABEL_SEPARATOR}{LABEL_SEPARATOR.join(labels)}{LABEL_SEPARATOR}" if labels else ""

    def from_db_value(self, value, expression, connection):
        if value is None:
            return []
        if isinstance(value, list):
            return value
        return [label for label in value.split(LABEL_SEPARATOR) if label]

    def to_python(self, value):
        if isinstance(value, str):
            return [label for label in value.split(LABEL_SEPARATOR) if label]
        return list(value or [])


class SearchIndexEntry(models.Model):
    key = models.CharField(max_length=100, unique=True)  # "<kind>:<pk>"
    kind = models.CharField(max_length=30)
    url = models.CharField(max_length=500)
    title = models.TextField()
    body = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    date = models.DateTimeField(null=True, blank=True)
    document_type = models.CharField(max_length=40, blank=True)
    topics = LabelsField()
    year = models.IntegerField(null=True, blank=True)
    access_level = models.PositiveSmallIntegerField(default=0)
    is_restricted = models.BooleanField(default=False)
    grants = LabelsField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        indexes = [models.Index(fields=["kind", "key"], name="search_entry_kind_key")]

    def __str__(self) -> str:
        return self.key


class ReindexCheckpoint(models.Model):
    """How far `search_reindex --resume` got: the last pk written, per kind."""

    kind = models.CharField(max_length=30, unique=True)
    last_pk = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.kind}: {self.last_pk}"


class SearchTerm(models.Model):
    """Words seen in indexed titles and body openings: the lexicon "did you mean" picks from (trigram index on
    PostgreSQL). A suggestion is only offered after the viewer's own filtered search finds it, so a word of a
    restricted entry never shows to someone who may not see the entry."""

    word = models.CharField(max_length=60, primary_key=True)

    def __str__(self) -> str:
        return self.word
