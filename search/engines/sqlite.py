# ruff: noqa: S608 -- the SQL is assembled from constants and placeholders; every value travels as a parameter
"""The SQLite engine (the embedded default): FTS5 over the same index table.

- Every query word is an FTS5 string ("word", a `"` doubled), so no user text is ever FTS5 syntax: `;`,
  quotes, `*`, `:`, `AND`, `NEAR` or NUL are words or nothing. All words must match, in the title or the body
  as written (accents folded) or, through the `stems` column, in a lightly stemmed form (stemming.py).
- The access rule of base.py is in the WHERE of the match, beside the facet filters; totals and facets are
  counted from the same filtered rows.
- Ranking: bm25 with the title weighing ten times the body, times the recency factor of the PostgreSQL engine.
- Snippets: FTS5 `snippet()` with private-use markers, HTML-escaped, markers turned into <mark>.
- "Did you mean": the closest word (difflib) of the FTS5 vocabulary sharing the first letter, offered only
  when the viewer's own filtered search finds more with it.
Limits (README): facet counts are made in Python from every matching row, a crude stemmer, no phrase search.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.db import connection, transaction

from search.models import SearchIndexEntry

from .base import FACETS, Hit, SearchEntry, SearchQuery, SearchResults, Viewer
from .postgres import batched, entry_row, upsert
from .stemming import fold, stem, stems
from .text import MARK_END, MARK_START, WORD, page_window, query_words, safe_highlight

BATCH = 400
TITLE_WEIGHT = 10.0
TITLE_BOOST = 1.0  # added when every word is in the title (bm25 alone is ~0 on a tiny index)


def fts_string(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def match_expression(words: list[str]) -> str:
    written = " AND ".join(fts_string(fold(word)) for word in words)
    stemmed = " AND ".join(fts_string(stem(word)) for word in words)
    return f"({{title body}} : ({written})) OR (stems : ({stemmed}))"


def labels_of(value: str) -> list[str]:
    return [label for label in (value or "").split("|") if label]


def recency(date) -> float:
    if date is None:
        return 1.0
    if isinstance(date, str):
        try:
            date = datetime.fromisoformat(date)
        except ValueError:
            return 1.0
    if date.tzinfo is None:
        date = date.replace(tzinfo=UTC)
    age_days = max(0.0, (datetime.now(UTC) - date).total_seconds() / 86400)
    return 1.0 + 1.0 / (1.0 + age_days / 730)


def mark_stems(snippet: str, words: list[str]) -> str:
    """A snippet FTS5 found through the stems column only has no marks: mark the words sharing a stem."""
    if MARK_START in (snippet or ""):
        return snippet
    wanted = {stem(word) for word in words}
    return WORD.sub(
        lambda found: f"{MARK_START}{found[0]}{MARK_END}" if stem(found[0]) in wanted else found[0], snippet
    )


class SqliteEngine:
    name = "sqlite"

    # -- writes

    def index(self, entries: Iterable[SearchEntry]) -> int:
        written = 0
        for batch in batched(entries, BATCH):
            rows = [entry_row(entry) for entry in batch]
            with transaction.atomic():
                upsert(rows)
                by_key = {row.key: row for row in rows}
                ids = dict(SearchIndexEntry.objects.filter(key__in=list(by_key)).values_list("key", "id"))
                with connection.cursor() as cursor:
                    placeholders = ", ".join("%s" for _ in ids)
                    cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({placeholders})", list(ids.values()))
                    cursor.executemany(
                        "INSERT INTO search_fts (rowid, title, body, stems) VALUES (%s, %s, %s, %s)",
                        [
                            (ids[key], row.title, row.body, f"{stems(row.title)} {stems(row.body)}")
                            for key, row in by_key.items()
                        ],
                    )
            written += len(by_key)
        return written

    def delete(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        for start in range(0, len(keys), BATCH):
            chunk = keys[start : start + BATCH]
            with transaction.atomic():
                ids = list(SearchIndexEntry.objects.filter(key__in=chunk).values_list("id", flat=True))
                if ids:
                    with connection.cursor() as cursor:
                        placeholders = ", ".join("%s" for _ in ids)
                        cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({placeholders})", ids)
                    SearchIndexEntry.objects.filter(id__in=ids).delete()

    def keys(self, kind: str) -> set[str]:
        return set(SearchIndexEntry.objects.filter(kind=kind).values_list("key", flat=True))

    def rebuild(
        self,
        entries: Iterable[SearchEntry],
        *,
        progress: Callable[[int], None] | None = None,
        resume: bool = False,  # nothing to resume: a new build
    ) -> int:
        written = 0
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_fts")
            SearchIndexEntry.objects.all().delete()
            for batch in batched(entries, BATCH):
                written += self.index(batch)
                if progress is not None:
                    progress(written)
        return written

    # -- reads

    @staticmethod
    def _where(match: str, viewer: Viewer, filters: dict[str, tuple[str, ...]]) -> tuple[str, list]:
        clauses = ["search_fts MATCH %s"]
        params: list = [match]
        rule = "e.access_level <= %s"
        rule_params: list = [int(viewer.level)]
        grants = sorted(viewer.grants)
        if grants:
            rule += " AND (e.is_restricted = 0 OR " + " OR ".join("instr(e.grants, %s) > 0" for _ in grants) + ")"
            rule_params += [f"|{grant}|" for grant in grants]
        else:
            rule += " AND e.is_restricted = 0"
        passes = sorted(viewer.passes)
        if passes:
            rule = f"(({rule}) OR " + " OR ".join("instr(e.grants, %s) > 0" for _ in passes) + ")"
            rule_params += [f"|{label}|" for label in passes]
        clauses.append(rule)
        params += rule_params
        for name in FACETS:
            values = sorted({str(value) for value in filters.get(name, ()) if str(value)})
            if not values:
                continue
            if name == "topics":
                clauses.append("(" + " OR ".join("instr(e.topics, %s) > 0" for _ in values) + ")")
                params += [f"|{value}|" for value in values]
            elif name == "year":
                years = [int(value) for value in values if value.isdigit() and len(value) <= 4] or [-1]
                clauses.append(f"e.year IN ({', '.join('%s' for _ in years)})")
                params += years
            else:
                clauses.append(f"e.{name} IN ({', '.join('%s' for _ in values)})")
                params += values
        return " AND ".join(clauses), params

    def _matches(self, words: list[str], viewer: Viewer, filters) -> list[tuple]:
        where, params = self._where(match_expression(words), viewer, filters)
        sql = (
            "SELECT e.id, bm25(search_fts, %s, 1.0, 0.5), e.date, e.kind, e.document_type, e.topics, e.language, "
            "e.year, e.title FROM search_fts JOIN search_searchindexentry e ON e.id = search_fts.rowid WHERE " + where
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [TITLE_WEIGHT, *params])
            return cursor.fetchall()

    def search(self, query: SearchQuery) -> SearchResults:
        words = query_words(query.text)
        if not words:
            return SearchResults(hits=[], total=0, facets={name: [] for name in FACETS}, engine=self.name)
        rows = self._matches(words, query.viewer, query.filters)
        counters: dict[str, Counter] = {name: Counter() for name in FACETS}
        scored = []
        wanted = [(fold(word), stem(word)) for word in words]
        for row_id, bm25, date, kind, document_type, topics, language, year, title in rows:
            title_words = {fold(word) for word in WORD.findall(title)}
            title_stems = {stem(word) for word in title_words}
            in_title = all(word in title_words or stemmed in title_stems for word, stemmed in wanted)
            scored.append(((-bm25 + (TITLE_BOOST if in_title else 0.0)) * recency(date), row_id))
            for name, value in (("kind", kind), ("document_type", document_type), ("language", language)):
                if value:
                    counters[name][value] += 1
            if year is not None:
                counters["year"][str(year)] += 1
            for topic in labels_of(topics):
                counters["topics"][topic] += 1
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        offset, size = page_window(query.page, query.per_page)
        page = scored[offset : offset + size]
        hits = self._hits(words, page)
        facets = {name: sorted(counters[name].items(), key=lambda pair: (-pair[1], pair[0])) for name in FACETS}
        total = len(rows)
        suggestion = self._suggestion(words, query.viewer, total) if total < 5 else ""
        return SearchResults(hits=hits, total=total, facets=facets, suggestion=suggestion, engine=self.name)

    def _hits(self, words: list[str], page: list[tuple[float, int]]) -> list[Hit]:
        if not page:
            return []
        scores = {row_id: score for score, row_id in page}
        placeholders = ", ".join("%s" for _ in scores)
        sql = (
            "SELECT e.id, e.key, e.kind, e.url, e.title, e.language, e.date, "
            "snippet(search_fts, 1, %s, %s, ' … ', 24) FROM search_fts "
            "JOIN search_searchindexentry e ON e.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND search_fts.rowid IN ({placeholders})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [MARK_START, MARK_END, match_expression(words), *scores])
            rows = cursor.fetchall()
        hits = []
        for row_id, key, kind, url, title, language, date, snippet in rows:
            if isinstance(date, str):
                date = datetime.fromisoformat(date)
            hits.append(
                Hit(
                    key=key,
                    kind=kind,
                    url=url,
                    title=title,
                    snippet_html=safe_highlight(mark_stems(snippet, words)),
                    language=language,
                    date=date,
                    score=scores[row_id],
                )
            )
        hits.sort(key=lambda hit: (-hit.score, hit.key))
        return hits

    def _suggestion(self, words: list[str], viewer: Viewer, total: int) -> str:
        folded = [fold(word) for word in words]
        corrected, changed = [], False
        with connection.cursor() as cursor:
            for word in folded:
                cursor.execute(
                    "SELECT 1 FROM search_fts_vocab WHERE term = %s AND col IN ('title', 'body') LIMIT 1", [word]
                )
                if cursor.fetchone() or len(word) < 3 or word.isdigit():
                    corrected.append(word)
                    continue
                cursor.execute(
                    "SELECT DISTINCT term FROM search_fts_vocab WHERE term >= %s AND term < %s "
                    "AND col IN ('title', 'body') AND length(term) BETWEEN %s AND %s",
                    [word[0], word[0] + "\U0010ffff", len(word) - 2, len(word) + 2],
                )
                candidates = [row[0] for row in cursor.fetchall()]
                best = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75)
                corrected.append(best[0] if best else word)
                changed = changed or bool(best)
        if not changed:
            return ""
        found = len(self._matches(corrected, viewer, {}))
        candidate = " ".join(corrected)
        return candidate if found > total and candidate != " ".join(folded) else ""
