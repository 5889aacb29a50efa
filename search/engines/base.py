"""The one small interface every search engine implements (PostgreSQL, SQLite FTS5, Elasticsearch).

An entry is what a registered source (pages, documents, forum topics, member profiles) gives the index: text
to match plus the access labels the query filters on. Permission filtering happens inside the engine's query,
before counting, faceting, paging and snippets, so nothing restricted can leak through a number.

Access rule (the same in every engine):
    (entry.access_level <= viewer.level AND (NOT entry.is_restricted OR entry.grants ∩ viewer.grants ≠ ∅))
    OR entry.grants ∩ viewer.passes ≠ ∅
A grant never lifts a viewer above her level. `grants` are strings "u:<user id>" and "g:<group id>", and may
hold the entry's pass labels ("forum:<id>"). A pass is what an app's own permission policy already decided the
viewer may read (the forums a staff moderator reads without a membership level, say): the source that owns
the content lists the viewer's passes (search.registry, `SearchSource.passes`), so the search agrees with
that policy instead of restating it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

# Facets every engine counts (each entry may leave any of them empty).
FACETS = ("kind", "document_type", "topics", "language", "year")


@dataclass(frozen=True)
class SearchEntry:
    """One indexed item. `key` is "<kind>:<pk>", unique across the index."""

    key: str
    kind: str
    url: str
    title: str
    body: str
    language: str = ""  # "en", "fr" or "" (unknown: indexed with the simple configuration)
    date: datetime | None = None
    document_type: str = ""
    topics: tuple[str, ...] = ()
    year: int | None = None
    access_level: int = 0
    is_restricted: bool = False
    grants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Viewer:
    """The access labels of the person searching."""

    level: int = 0
    grants: frozenset[str] = frozenset()
    passes: frozenset[str] = frozenset()  # entry labels opened whatever the level (see the access rule)


@dataclass(frozen=True)
class SearchQuery:
    """What was asked: free text (never parsed as a query language) and facet filters."""

    text: str
    viewer: Viewer
    language: str = "en"  # the interface language: which stemming to try besides the entry's own
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facet name -> accepted values
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class Hit:
    key: str
    kind: str
    url: str
    title: str
    snippet_html: str  # HTML-escaped text with the matched words in <mark>…</mark>
    language: str
    date: datetime | None
    score: float


@dataclass(frozen=True)
class SearchResults:
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]]  # facet name -> [(value, count)], counts already permission-filtered
    suggestion: str = ""  # "did you mean", only built from entries the viewer may see
    engine: str = ""


class SearchEngine(Protocol):
    name: str

    def index(self, entries: Iterable[SearchEntry]) -> int:
        """Insert or replace these entries; returns how many were written."""

    def delete(self, keys: Iterable[str]) -> None:
        """Remove these entries (unknown keys are ignored)."""

    def search(self, query: SearchQuery) -> SearchResults: ...

    def keys(self, kind: str) -> set[str]:
        """Every key of this kind in the index (for `search_check`)."""

    def rebuild(
        self,
        entries: Iterable[SearchEntry],
        *,
        progress: Callable[[int], None] | None = None,
        resume: bool = False,
    ) -> int:
        """Replace the whole index with these entries, searches reading the old one until the new one is whole
        (PostgreSQL: a table built beside it, then swapped; Elasticsearch: a new index, then the alias swaps).
        `progress` gets the number of entries written so far; `resume` goes on with a build an interrupted run
        left, where the engine keeps one (PostgreSQL), else starts again."""
