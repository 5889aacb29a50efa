"""The sources the site search indexes. A new kind of content plugs in with one registration, made by the app
that owns the content (in its `AppConfig.ready()`), so the search app never imports another app's internals:

    from search.registry import SearchSource, register_source

    register_source(
        SearchSource(
            kind="document",
            label=_("Documents"),
            entries=document_entries,  # (pks or None) -> SearchEntry per indexable object
            watch={"library.Document": lambda document: [document.pk]},
        )
    )

`entries(None)` yields every entry of the kind (a full rebuild); `entries(pks)` yields the entries of those objects
that are still indexable — a pk it yields nothing for is removed from the index. `watch` maps a model label to a
function giving, for a saved or deleted instance of that model, the pks of this kind to refresh (a forum post
refreshes its topic); the search app queues those refreshes to Celery on commit. `all_pks` (optional) lists
every pk of the kind in ascending order: `search_reindex` then indexes in chunks and can resume after a stop.
`passes` (optional) gives a viewer's pass labels from the app's own permission policy, for content that
policy opens beyond the access levels (a staff moderator reads every forum).
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from search.engines.base import SearchEntry

EntriesFunction = Callable[[Iterable[int] | None], Iterator[SearchEntry]]


@dataclass(frozen=True)
class SearchSource:
    kind: str
    label: str
    entries: EntriesFunction
    watch: dict[str, Callable[[object], Iterable[int]]] = field(default_factory=dict)
    # Optional: every pk of this kind in ascending order, so `search_reindex --resume` can go on in chunks.
    all_pks: Callable[[], Iterable[int]] | None = None
    # Optional: the pass labels of a viewer (user -> labels such as "forum:<id>"): entries carrying one of them
    # in their grants are open to her whatever her level, because the owning app's permission policy says she
    # may read them (search/engines/base.py, the access rule).
    passes: Callable[[object], Iterable[str]] | None = None


_sources: dict[str, SearchSource] = {}


def register_source(source: SearchSource) -> None:
    """Add (or replace, on a reload) the source of one kind of content."""
    _sources[source.kind] = source


def get_sources() -> list[SearchSource]:
    return list(_sources.values())


def get_source(kind: str) -> SearchSource | None:
    return _sources.get(kind)
