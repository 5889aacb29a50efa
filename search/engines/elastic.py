"""The Elasticsearch engine: one alias over a versioned index, English and French analyzers, the access rule in
every query body.

Selected when ELASTICSEARCH_URL is set (see `search.engines.get_engine()`). Any connection error, timeout or
error answer (no index yet, credentials) raises `ElasticsearchUnavailable`, which the caller catches to fall
back to the database engine.

Layout:
    alias  <prefix>-search            what every read and write goes through
    index  <prefix>-search-<UTC time>  one concrete index; `rebuild` loads a new one and swaps the alias atomically

The query bodies are built by pure functions (`search_body`, `suggestion_check_body`) so the tests can show the
permission filter is in each of them. User text only ever travels as the `query` value of a `multi_match`
(never `query_string`), so `;`, quotes, `*`, `:`, `AND` or NUL are words or nothing, never syntax.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Response,
    Search,
    Text,
    analyzer,
    token_filter,
)

from .base import FACETS, Hit, SearchEntry, SearchQuery, SearchResults, Viewer

logger = logging.getLogger(__name__)

# Highlight markers: private-use characters no document keeps (they are stripped at indexing), so after the
# snippet is HTML-escaped they are the only places a <mark> can appear.
MARK_START = "\ue000"
MARK_END = "\ue001"
_UNSAFE_CHARACTERS = re.compile("[\x00\ue000\ue001]")

MAX_QUERY_LENGTH = 500  # longer input is cut: a query of 2,000 characters is no search anyone meant
MAX_RESULT_WINDOW = 10_000  # Elasticsearch's default index.max_result_window
TITLE_BOOST = 3
FACET_SIZES = {"kind": 10, "document_type": 20, "topics": 30, "language": 5, "year": 50}
BULK_CHUNK = 500


class ElasticsearchUnavailable(RuntimeError):
    """The cluster cannot answer (down, timeout, no index yet): the caller falls back to the database engine."""


# --- analysis -------------------------------------------------------------------------------------------

english_stop = token_filter("english_stop", type="stop", stopwords="_english_")
english_stemmer = token_filter("english_stemmer", type="stemmer", language="english")
english_possessive = token_filter("english_possessive_stemmer", type="stemmer", language="possessive_english")
french_elision = token_filter(
    "french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
french_stop = token_filter("french_stop", type="stop", stopwords="_french_")
french_stemmer = token_filter("french_stemmer", type="stemmer", language="light_french")

english = analyzer(
    "pk_english",
    tokenizer="standard",
    filter=[english_possessive, "lowercase", "asciifolding", english_stop, english_stemmer],
)
french = analyzer(
    "pk_french",
    tokenizer="standard",
    filter=[french_elision, "lowercase", "asciifolding", french_stop, french_stemmer],
)
# Entries of unknown language, names, codes: words as written, case and accents folded, no stemming.
folded = analyzer("pk_folded", tokenizer="standard", filter=["lowercase", "asciifolding"])


def _text_field(**options: Any) -> Text:
    """A folded text field with English and French sub-fields (`<name>.en`, `<name>.fr`)."""
    return Text(
        analyzer=folded,
        fields={"en": Text(analyzer=english, **options), "fr": Text(analyzer=french, **options)},
        **options,
    )


class SearchDocument(Document):
    """One index entry; the same fields as `SearchEntry` (`key` is also the document id)."""

    key = Keyword()
    kind = Keyword()
    url = Keyword(index=False)
    title = _text_field()
    # Offsets make the unified highlighter fast on 20 KB bodies.
    body = _text_field(index_options="offsets")
    language = Keyword()
    date = Date()
    document_type = Keyword()
    topics = Keyword(multi=True)
    year = Integer()
    access_level = Integer()
    is_restricted = Boolean()
    grants = Keyword(multi=True)

    @classmethod
    def from_entry(cls, entry: SearchEntry) -> SearchDocument:
        return cls(
            meta={"id": entry.key},
            key=entry.key,
            kind=entry.kind,
            url=entry.url,
            title=clean_text(entry.title),
            body=clean_text(entry.body),
            language=entry.language,
            date=entry.date,
            document_type=entry.document_type,
            topics=list(entry.topics),
            year=entry.year,
            access_level=entry.access_level,
            is_restricted=entry.is_restricted,
            grants=list(entry.grants),
        )


def clean_text(text: str) -> str:
    """Drop NUL and the highlight markers, so text can never fake a highlight."""
    return _UNSAFE_CHARACTERS.sub("", text or "")


def index_definition(name: str, *, using: Elasticsearch | str = "default", loading: bool = False) -> Index:
    """The concrete index `name` with the analyzers and mapping; `loading` turns refresh off for a bulk load."""
    index = Index(name, using=using)
    index.document(SearchDocument)
    settings: dict[str, Any] = {"number_of_shards": 1}
    if loading:
        settings["refresh_interval"] = "-1"
    index.settings(**settings)
    return index


# --- query bodies (pure) --------------------------------------------------------------------------------


def permission_filter(viewer: Viewer) -> dict:
    """The access rule of base.py as a bool filter: level, then (not restricted OR a shared grant); or a pass."""
    open_to_viewer: list[dict] = [{"term": {"is_restricted": False}}]
    if viewer.grants:
        open_to_viewer.append({"terms": {"grants": sorted(viewer.grants)}})
    by_level = {
        "bool": {
            "filter": [
                {"range": {"access_level": {"lte": int(viewer.level)}}},
                {"bool": {"should": open_to_viewer, "minimum_should_match": 1}},
            ]
        }
    }
    if not viewer.passes:
        return by_level
    return {"bool": {"should": [by_level, {"terms": {"grants": sorted(viewer.passes)}}], "minimum_should_match": 1}}


def clean_query_text(text: str) -> str:
    """User text as plain data: NUL and control characters removed, whitespace collapsed, length capped."""
    text = "".join(character if character.isprintable() else " " for character in text or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def text_query(text: str) -> dict:
    """Every word must match (in the title or the body, in any of the three analyses); titles weigh more."""
    return {
        "multi_match": {
            "query": text,
            "type": "cross_fields",
            "operator": "and",
            "fields": [
                f"title^{TITLE_BOOST}",
                f"title.en^{TITLE_BOOST}",
                f"title.fr^{TITLE_BOOST}",
                "body",
                "body.en",
                "body.fr",
            ],
        }
    }


def facet_filters(filters: dict[str, tuple[str, ...]]) -> list[dict]:
    """One `terms` filter per chosen facet (unknown facet names and empty choices are ignored)."""
    clauses = []
    for name in FACETS:
        values = [str(value) for value in filters.get(name, ()) if str(value)]
        if values:
            clauses.append({"terms": {name: sorted(set(values))}})
    return clauses


def filtered_query(text: str, viewer: Viewer, filters: dict[str, tuple[str, ...]] | None = None) -> dict:
    """The text query inside a bool whose filter holds the access rule (and the chosen facets)."""
    return {
        "bool": {
            "must": [text_query(text)],
            "filter": [permission_filter(viewer), *facet_filters(filters or {})],
        }
    }


def _page_window(query: SearchQuery) -> tuple[int, int]:
    size = max(1, min(int(query.per_page), 100))
    start = (max(1, int(query.page)) - 1) * size
    start = min(start, MAX_RESULT_WINDOW - size)
    return start, size


def search_body(query: SearchQuery) -> dict:
    """The whole request body for a search: filtered query, recency, highlights, facet counts, suggestions.

    Facet filters sit in the query, beside the access rule, so the aggregations count exactly the results a
    viewer may see in the narrowed list. The term suggester reads the raw term dictionary, which is why a
    suggestion is only offered after `suggestion_check_body` counts visible hits for it.
    """
    text = clean_query_text(query.text)
    start, size = _page_window(query)
    highlight_field = {"number_of_fragments": 2, "fragment_size": 160, "no_match_size": 160}
    return {
        "query": {
            "function_score": {
                "query": filtered_query(text, query.viewer, query.filters),
                # Score × (1 + decay): a fresh entry counts up to twice an old one, an old one never sinks to 0.
                "functions": [
                    {"gauss": {"date": {"origin": "now", "offset": "30d", "scale": "730d", "decay": 0.5}}},
                    {"weight": 1},
                ],
                "score_mode": "sum",
                "boost_mode": "multiply",
            }
        },
        "from": start,
        "size": size,
        "track_total_hits": True,
        "_source": ["key", "kind", "url", "title", "language", "date"],
        "highlight": {
            "pre_tags": [MARK_START],
            "post_tags": [MARK_END],
            "encoder": "default",  # escaping is ours, after the markers are in place
            "fields": {
                "body": highlight_field,
                "body.en": {"number_of_fragments": 2, "fragment_size": 160},
                "body.fr": {"number_of_fragments": 2, "fragment_size": 160},
            },
        },
        "aggs": {name: {"terms": {"field": name, "size": FACET_SIZES[name]}} for name in FACETS},
        "suggest": {
            "text": text,
            "did_you_mean": {"term": {"field": "body", "suggest_mode": "missing", "sort": "frequency", "size": 1}},
        },
    }


def suggestion_check_body(text: str, viewer: Viewer) -> dict:
    """A count request: does the suggested text find anything this viewer may see?"""
    return {"query": filtered_query(clean_query_text(text), viewer)}


def alias_swap_actions(alias: str, new_index: str, old_indices: Iterable[str]) -> list[dict]:
    """One atomic `_aliases` request: the alias leaves the old indices and points at the new one.

    A concrete index that took the alias's own name (written to before any alias existed) is removed in
    the same request, otherwise the alias could not be created.
    """
    actions: list[dict] = []
    for old in sorted(set(old_indices)):
        if old == alias:
            actions.append({"remove_index": {"index": old}})
        else:
            actions.append({"remove": {"index": old, "alias": alias}})
    actions.append({"add": {"index": new_index, "alias": alias, "is_write_index": True}})
    return actions


def index_actions(entries: Iterable[SearchEntry], index: str) -> Iterator[dict]:
    """Bulk `index` actions (insert or replace by key), streamed."""
    for entry in entries:
        document = SearchDocument.from_entry(entry)
        yield {"_op_type": "index", "_index": index, "_id": entry.key, "_source": document.to_dict()}


def delete_actions(keys: Iterable[str], index: str) -> Iterator[dict]:
    for key in keys:
        yield {"_op_type": "delete", "_index": index, "_id": key}


# --- reading a response (pure) --------------------------------------------------------------------------


def safe_highlight(fragment: str) -> str:
    """HTML-escape a highlighted fragment, then turn our markers (only ours can be there) into <mark>."""
    escaped = html.escape(fragment, quote=True)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _first_highlight(highlight: dict, names: Iterable[str]) -> list[str]:
    for name in names:
        fragments = list(highlight.get(name) or [])
        if fragments:
            return fragments
    return []


def _preferred(base: str, language: str) -> list[str]:
    """The entry's own analysis first (a French entry's snippet from `body.fr`), then the others."""
    order = [f"{base}.{language}"] if language in ("en", "fr") else []
    return order + [name for name in (f"{base}.en", f"{base}.fr", base) if name not in order]


def _fragments_with_marks(fragments: list[str]) -> list[str]:
    marked = [fragment for fragment in fragments if MARK_START in fragment]
    return marked or fragments


def parse_response(response: Response) -> tuple[list[Hit], int, dict[str, list[tuple[str, int]]]]:
    """Hits with escaped snippets, the total and the facet counts of a search response."""
    hits = []
    for result in response:
        meta = result.meta
        source = result.to_dict()
        language = source.get("language", "") or ""
        highlight = meta.to_dict().get("highlight") or {}
        body_fragments = _fragments_with_marks(_first_highlight(highlight, _preferred("body", language)))
        snippet_html = " … ".join(safe_highlight(fragment) for fragment in body_fragments)
        date = source.get("date")
        if isinstance(date, str):
            date = datetime.fromisoformat(date.replace("Z", "+00:00"))
        hits.append(
            Hit(
                key=source.get("key", meta.id),
                kind=source.get("kind", ""),
                url=source.get("url", ""),
                title=source.get("title", ""),
                snippet_html=snippet_html,
                language=language,
                date=date,
                score=float(meta.score or 0.0),
            )
        )
    raw = response.to_dict()
    total = raw.get("hits", {}).get("total", {})
    total = total.get("value", 0) if isinstance(total, dict) else int(total or 0)
    facets = {}
    for name in FACETS:
        buckets = raw.get("aggregations", {}).get(name, {}).get("buckets", [])
        facets[name] = [(str(bucket["key"]), int(bucket["doc_count"])) for bucket in buckets]
    return hits, total, facets


def suggested_text(raw_response: dict, text: str) -> str:
    """The query with each word the term suggester would correct replaced by its best option ("" if none)."""
    entries = raw_response.get("suggest", {}).get("did_you_mean", [])
    if not entries:
        return ""
    pieces = []
    last = 0
    changed = False
    for entry in entries:
        offset, length = int(entry.get("offset", 0)), int(entry.get("length", 0))
        options = entry.get("options") or []
        pieces.append(text[last:offset])
        if options:
            pieces.append(options[0]["text"])
            changed = True
        else:
            pieces.append(text[offset : offset + length])
        last = offset + length
    pieces.append(text[last:])
    suggestion = "".join(pieces).strip()
    return suggestion if changed and suggestion.lower() != text.lower() else ""


# --- the engine -----------------------------------------------------------------------------------------


class ElasticsearchEngine:
    """`SearchEngine` over an Elasticsearch 8/9 cluster."""

    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, *, prefix: str = "peacekeepers") -> None:
        self.client = client
        self.alias = f"{prefix}-search"
        self._alias_checked = False

    @classmethod
    def from_settings(cls) -> ElasticsearchEngine:
        """The engine for settings.ELASTICSEARCH_URL (raises ElasticsearchUnavailable when it is not set)."""
        from django.conf import settings

        url = getattr(settings, "ELASTICSEARCH_URL", "")
        if not url:
            raise ElasticsearchUnavailable("ELASTICSEARCH_URL is not set")
        prefix = getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "") or "peacekeepers"
        # Short timeouts and one retry: a slow cluster should hand over to the database, not hold a request.
        client = Elasticsearch(url, request_timeout=5, max_retries=1, retry_on_timeout=False)
        return cls(client, prefix=prefix)

    # -- health

    def ping(self) -> bool:
        """True when the cluster answers its info request (the client's own ping takes a HEAD 404 for yes)."""
        try:
            self.client.info()
        except (TransportError, ApiError):
            return False
        return True

    def _call(self, what: str, function: Callable[[], Any]) -> Any:
        """Run a cluster call; any failure of the cluster becomes ElasticsearchUnavailable.

        Transport errors (refused, timeout, TLS) and every error answer (no index yet: 404, credentials: 401/403,
        overload: 429/5xx, even a 400) make the site fall back to the database for this request rather than
        fail; the message keeps the status for the log.
        """
        try:
            return function()
        except TransportError as error:
            raise ElasticsearchUnavailable(f"Elasticsearch {what}: {error}") from error
        except ApiError as error:
            raise ElasticsearchUnavailable(f"Elasticsearch {what}: HTTP {error.meta.status}: {error}") from error

    # -- index management

    def _indices_behind_alias(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except ApiError as error:
            if error.meta.status == 404:
                return []
            raise

    def _new_index_name(self) -> str:
        return f"{self.alias}-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"

    def ensure_index(self) -> None:
        """Create an empty index behind the alias if there is none yet (first write before any rebuild)."""
        if self._alias_checked:
            return

        def create() -> None:
            if not self.client.indices.exists_alias(name=self.alias):
                name = self._new_index_name()
                index_definition(name, using=self.client).create()
                old = [self.alias] if self.client.indices.exists(index=self.alias) else []
                self.client.indices.update_aliases(actions=alias_swap_actions(self.alias, name, old))

        self._call("creating the index", create)
        self._alias_checked = True

    def rebuild(
        self,
        entries: Iterable[SearchEntry],
        *,
        progress: Callable[[int], None] | None = None,
        resume: bool = False,  # nothing to resume: a new build
    ) -> int:
        """Load a new concrete index, then swap the alias in one request: searches never see a half index."""
        name = self._new_index_name()
        self._call("creating the index", lambda: index_definition(name, using=self.client, loading=True).create())
        written = 0
        try:
            written = self._bulk(index_actions(entries, name), progress=progress)
            if progress is not None:
                progress(written)
            self._call(
                "finishing the index",
                lambda: (
                    self.client.indices.put_settings(index=name, settings={"index": {"refresh_interval": None}}),
                    self.client.indices.refresh(index=name),
                ),
            )

            def swap() -> list[str]:
                old = self._indices_behind_alias()
                if self.client.indices.exists(index=self.alias) and not old:
                    old = [self.alias]
                self.client.indices.update_aliases(actions=alias_swap_actions(self.alias, name, old))
                return old

            old_indices = self._call("swapping the alias", swap)
        except BaseException:
            # The alias still points at the previous index: drop the half-loaded one and report.
            try:
                self.client.indices.delete(index=name, ignore_unavailable=True)
            except (TransportError, ApiError):
                logger.warning("Could not delete the unfinished index %s", name)
            raise
        for old in old_indices:
            if old != self.alias:  # a concrete index named like the alias was removed by the swap itself
                self._call("deleting the old index", lambda old=old: self.client.indices.delete(index=old))
        self._alias_checked = True
        return written

    # -- writes

    def _bulk(self, actions: Iterable[dict], *, progress: Callable[[int], None] | None = None) -> int:
        """Stream actions in chunks of BULK_CHUNK; a failed item raises helpers.BulkIndexError."""

        def run() -> int:
            written = 0
            for ok, _item in helpers.streaming_bulk(self.client, actions, chunk_size=BULK_CHUNK):
                written += int(ok)
                if progress is not None and written % BULK_CHUNK == 0:
                    progress(written)
            return written

        return self._call("bulk indexing", run)

    def index(self, entries: Iterable[SearchEntry]) -> int:
        self.ensure_index()
        return self._bulk(index_actions(entries, self.alias))

    def delete(self, keys: Iterable[str]) -> None:
        self.ensure_index()
        self._call(
            "deleting entries",
            lambda: helpers.bulk(self.client, delete_actions(keys, self.alias), ignore_status=(404,)),
        )

    def refresh(self) -> None:
        """Make the latest writes searchable now (tests; the cluster refreshes every second by itself)."""
        self._call("refreshing", lambda: self.client.indices.refresh(index=self.alias))

    # -- reads

    def keys(self, kind: str) -> set[str]:
        query = {"query": {"term": {"kind": kind}}, "_source": False}
        return self._call(
            "listing keys",
            lambda: {hit["_id"] for hit in helpers.scan(self.client, query=query, index=self.alias)},
        )

    def search(self, query: SearchQuery) -> SearchResults:
        text = clean_query_text(query.text)
        if not text:
            return SearchResults(hits=[], total=0, facets={name: [] for name in FACETS}, engine=self.name)
        body = search_body(query)
        raw = self._call("searching", lambda: self.client.search(index=self.alias, body=body).body)
        response = Response(Search(index=self.alias), raw)
        hits, total, facets = parse_response(response)
        suggestion = ""
        candidate = suggested_text(raw, text)
        if candidate:
            check = suggestion_check_body(candidate, query.viewer)
            count = self._call("checking a suggestion", lambda: self.client.count(index=self.alias, body=check))
            if int(count["count"]) > total:
                suggestion = candidate
        return SearchResults(hits=hits, total=total, facets=facets, suggestion=suggestion, engine=self.name)
