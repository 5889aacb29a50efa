# ruff: noqa: S608 -- the SQL is assembled from constants and placeholders; every value travels as a parameter
"""The PostgreSQL engine: full-text search over the denormalised `search_searchindexentry` table.

- Matching: the user's words go through `plainto_tsquery` only (never `to_tsquery`/`websearch_to_tsquery`), in
  the English, French and simple configurations (all with `unaccent`), OR-ed: an entry's `search_vector` holds
  the stems of its own language, so a French entry is found by French stems, an English one by English stems.
- The access rule of base.py sits in the WHERE of the one CTE everything else reads (hits, total, facets), so
  nothing is filtered after paging and no count includes what the viewer may not see.
- Ranking: `ts_rank_cd` over `rank_vector` (title and body opening, migration 0006) when the entry has one, else
  `search_vector` (title weight A, body B; with the query in the entry's own language; capped at
  RANK_CAP) + a title boost when every word is in the title, times a recency factor between 1 and 2. So title
  matches always come first, and when they fill the requested page only they are ranked.
- Snippets: `ts_headline` with private-use markers, then HTML-escaped, then the markers become <mark>.
- "Did you mean": for words the lexicon (search_searchterm) does not hold, the closest word by trigram
  similarity; offered only when the viewer's own filtered search finds more with it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from search.models import SearchIndexEntry

from . import postgres_build
from .base import FACETS, Hit, SearchEntry, SearchQuery, SearchResults, Viewer
from .stemming import fold
from .text import MARK_END, MARK_START, clean_text, page_window, query_words, safe_highlight

TITLE_BOOST = 1.0
# The text rank is capped below half the title boost: with a recency factor of at most 2, every entry with all
# the words in its title then outranks every entry without, so when the title matches fill the page, only they
# are ranked — ranking reads each ranked entry's whole vector, the costliest part of a query.
RANK_CAP = 0.49
BATCH = 1_000
INDEX_THREADS = 2  # settings.SEARCH_INDEX_THREADS overrides
PARALLEL_MIN = 200
SIMILARITY = 0.35
LEXICON_OPENING = 1_500
LEXICON_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
HEADLINE_OPTIONS = (
    f'StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=28, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "'
)
# Headlines read this much of a body, around the first match: ts_headline parses the whole text it is given.
HEADLINE_WINDOW = 1_200
CONFIG_OF_ENTRY = (
    "(CASE e.language WHEN 'fr' THEN 'fr_unaccent'::regconfig WHEN 'en' THEN 'en_unaccent'::regconfig "
    "ELSE 'simple_unaccent'::regconfig END)"
)
TSQUERY = (
    "(plainto_tsquery('en_unaccent', %(text)s) || plainto_tsquery('fr_unaccent', %(text)s)"
    " || plainto_tsquery('simple_unaccent', %(text)s))"
)
# Ranking reads each matched entry's whole vector: rank with the query in the entry's own language only (its
# vector holds that language's stems alone), not with all three configurations OR-ed, which is about three
# times the work per entry for a rank that other configurations' stems hardly change.
RANK_TSQUERY = (
    "(CASE e.language WHEN 'fr' THEN plainto_tsquery('fr_unaccent', %(text)s)"
    " WHEN 'en' THEN plainto_tsquery('en_unaccent', %(text)s) ELSE plainto_tsquery('simple_unaccent', %(text)s) END)"
)
# Every column an upsert replaces: those the build copies, but the key it matches on.
UPDATE_FIELDS = list(postgres_build.COLUMNS[1:])


def entry_row(entry: SearchEntry) -> SearchIndexEntry:
    return SearchIndexEntry(
        key=entry.key,
        kind=entry.kind,
        url=entry.url,
        title=clean_text(entry.title)[:10_000],
        body=clean_text(entry.body),
        language=entry.language or "",
        date=entry.date,
        document_type=entry.document_type or "",
        topics=list(entry.topics),
        year=entry.year,
        access_level=int(entry.access_level),
        is_restricted=bool(entry.is_restricted),
        grants=list(entry.grants),
    )


def entry_values(entry: SearchEntry, now: datetime) -> tuple:
    """An entry as a row of postgres_build.COLUMNS (the build's COPY), cleaned as entry_row cleans it."""
    row = entry_row(entry)
    return (*(getattr(row, column) for column in postgres_build.COLUMNS[:-1]), now)


def upsert(rows: list[SearchIndexEntry]) -> None:
    """Insert or replace by key, in one statement (PostgreSQL and SQLite both know ON CONFLICT)."""
    # A key twice in one batch would make ON CONFLICT fail: the last one wins.
    unique = list({row.key: row for row in rows}.values())
    SearchIndexEntry.objects.bulk_create(
        unique, update_conflicts=True, unique_fields=["key"], update_fields=UPDATE_FIELDS, batch_size=BATCH
    )


def lexicon_words(rows: Iterable[SearchIndexEntry]) -> set[str]:
    """The words "did you mean" may offer from these entries: letters (and inner hyphens) only, 3 to 40 long,
    lower-cased, from the title and the first LEXICON_OPENING characters of the body; a hyphenated word gives
    its parts too."""
    words: set[str] = set()
    for row in rows:
        for word in LEXICON_WORD.findall(f"{row.title} {row.body[:LEXICON_OPENING]}".lower()):
            words.add(word)
            if "-" in word:
                words.update(word.split("-"))
    return {word for word in words if 3 <= len(word) <= 40}


def batched(entries: Iterable[SearchEntry], size: int = BATCH) -> Iterable[list[SearchEntry]]:
    batch: list[SearchEntry] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def access_sql(viewer: Viewer) -> tuple[str, dict]:
    """The access rule of base.py as SQL over alias `e`."""
    rule = "e.access_level <= %(level)s AND (NOT e.is_restricted OR e.grants && %(grants)s::text[])"
    params = {"level": int(viewer.level), "grants": sorted(viewer.grants)}
    if viewer.passes:
        rule = f"(({rule}) OR e.grants && %(passes)s::text[])"
        params["passes"] = sorted(viewer.passes)
    return rule, params


def facet_sql(filters: dict[str, tuple[str, ...]]) -> tuple[str, dict]:
    clauses, params = [], {}
    for name in FACETS:
        values = sorted({str(value) for value in filters.get(name, ()) if str(value)})
        if not values:
            continue
        if name == "year":
            years = [int(value) for value in values if value.isdigit() and len(value) <= 4]
            clauses.append("e.year = ANY(%(f_year)s::int[])")
            params["f_year"] = years
        elif name == "topics":
            clauses.append("e.topics && %(f_topics)s::text[]")
            params["f_topics"] = values
        else:
            clauses.append(f"e.{name} = ANY(%(f_{name})s::text[])")
            params[f"f_{name}"] = values
    return "".join(f" AND {clause}" for clause in clauses), params


class PostgresEngine:
    name = "postgresql"

    def __init__(self, threads: int | None = None):
        # Connections one large batch is split over (None: settings.SEARCH_INDEX_THREADS, else INDEX_THREADS);
        # `search_reindex --jobs` runs its own parallel writers and asks for 1.
        self.threads = threads

    # -- writes

    def index(self, entries: Iterable[SearchEntry]) -> int:
        """Upsert in batches. Outside a transaction, a large batch is split over INDEX_THREADS connections:
        building the tsvector of a 20 KB body takes milliseconds of one core, and that is most of the cost."""
        written = 0
        threads = self.threads or max(1, int(getattr(settings, "SEARCH_INDEX_THREADS", INDEX_THREADS)))
        for batch in batched(entries):
            rows = list({row.key: row for row in (entry_row(entry) for entry in batch)}.values())
            if threads > 1 and len(rows) >= PARALLEL_MIN and not connection.in_atomic_block:
                parts = [rows[start::threads] for start in range(threads)]
                with ThreadPoolExecutor(max_workers=threads) as pool:
                    written += sum(pool.map(self._write_in_own_connection, parts))
            else:
                written += self._write(rows)
        return written

    def _write(self, rows: list[SearchIndexEntry]) -> int:
        with transaction.atomic():
            upsert(rows)
            self._learn_words(rows)
        return len(rows)

    def _write_in_own_connection(self, rows: list[SearchIndexEntry]) -> int:
        try:
            return self._write(rows)
        finally:
            connection.close()  # this thread's connection, not the caller's

    def _learn_words(self, rows: list[SearchIndexEntry]) -> None:
        """Add the words of these entries' titles and body openings to the suggestion lexicon.

        The words are cut here rather than by `to_tsvector('simple', …)` in the database: the database's parser
        is the costliest part of indexing, and the lexicon needs no stemming, only lower-cased words."""
        words = sorted(lexicon_words(rows))
        if not words:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                # In word order on every connection, so two writers never wait on each other in a cycle.
                "INSERT INTO search_searchterm (word) SELECT w FROM unnest(%s::text[]) AS w ORDER BY w "
                "ON CONFLICT DO NOTHING",
                [words],
            )

    def delete(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        for start in range(0, len(keys), BATCH):
            SearchIndexEntry.objects.filter(key__in=keys[start : start + BATCH]).delete()
        if keys:
            postgres_build.note_deleted(keys)  # a rebuild running now must not bring them back

    def keys(self, kind: str) -> set[str]:
        return set(SearchIndexEntry.objects.filter(kind=kind).values_list("key", flat=True))

    def rebuild(
        self,
        entries: Iterable[SearchEntry],
        *,
        progress: Callable[[int], None] | None = None,
        resume: bool = False,
    ) -> int:
        """A new index built beside the live one, then swapped in (postgres_build): searches read the old index
        until the new one is complete. With `resume`, the build an interrupted run left goes on."""
        threads = self.threads or max(1, int(getattr(settings, "SEARCH_INDEX_THREADS", INDEX_THREADS)))

        def batches() -> Iterable[list[tuple]]:
            for batch in batched(entries):
                read = timezone.now()
                yield list({row[0]: row for row in (entry_values(entry, read) for entry in batch)}.values())

        def learn(rows: list[tuple]) -> None:
            self._learn_words([SearchIndexEntry(title=row[3], body=row[4]) for row in rows])

        build = postgres_build.IndexBuild(threads=threads, learn_words=learn)
        return build.run(batches(), resume=resume, progress=progress)

    # -- reads

    def search(self, query: SearchQuery) -> SearchResults:
        words = query_words(query.text)
        empty = SearchResults(hits=[], total=0, facets={name: [] for name in FACETS}, engine=self.name)
        if not words:
            return empty
        text = " ".join(words)
        total, page_ids, facets = self._match(text, query)
        hits = self._hits(text, page_ids)
        suggestion = self._suggestion(words, query.viewer, total) if total < 5 else ""
        return SearchResults(hits=hits, total=total, facets=facets, suggestion=suggestion, engine=self.name)

    def _where(self, query: SearchQuery) -> tuple[str, dict]:
        access, params = access_sql(query.viewer)
        facets, facet_params = facet_sql(query.filters)
        return f"e.search_vector @@ {TSQUERY} AND {access}{facets}", {**params, **facet_params}

    def _match(self, text: str, query: SearchQuery) -> tuple[int, list[tuple[int, float]], dict]:
        """Total, the page's (id, score) and the facet counts, from one filtered set, in one statement."""
        where, params = self._where(query)
        offset, size = page_window(query.page, query.per_page)
        params.update({"text": text, "offset": offset, "size": size, "boost": TITLE_BOOST, "rank_cap": RANK_CAP})
        sql = f"""
            WITH matched AS MATERIALIZED (
                SELECT e.id, e.kind, e.document_type, e.topics, e.language, e.year,
                    e.title_vector @@ {TSQUERY} AS in_title,
                    (CASE WHEN e.date IS NULL THEN 1.0 ELSE 1.0 + 1.0 / (1.0
                        + greatest(0, extract(epoch FROM now() - e.date)) / (86400.0 * 730)) END) AS recency
                FROM search_searchindexentry e
                WHERE {where}
            ),
            ranked AS (
                SELECT m.id, (least(ts_rank_cd(coalesce(e.rank_vector, e.search_vector), {RANK_TSQUERY}, 1),
                        %(rank_cap)s)
                        + CASE WHEN m.in_title THEN %(boost)s ELSE 0 END) * m.recency AS score
                FROM matched m JOIN search_searchindexentry e ON e.id = m.id
                WHERE m.in_title OR (SELECT count(*) FROM matched WHERE in_title) < %(offset)s + %(size)s
            )
            SELECT
                (SELECT count(*) FROM matched),
                (SELECT coalesce(json_agg(json_build_array(id, score)), '[]') FROM (
                    SELECT id, score FROM ranked ORDER BY score DESC, id LIMIT %(size)s OFFSET %(offset)s
                ) AS page),
                (SELECT coalesce(json_agg(json_build_array(facet, value, n)), '[]') FROM (
                    SELECT CASE WHEN GROUPING(kind) = 0 THEN 'kind'
                                WHEN GROUPING(document_type) = 0 THEN 'document_type'
                                WHEN GROUPING(language) = 0 THEN 'language' ELSE 'year' END AS facet,
                        coalesce(kind, document_type, language, year::text) AS value, count(*) AS n
                    FROM matched
                    GROUP BY GROUPING SETS ((kind), (document_type), (language), (year))
                ) AS f),
                (SELECT coalesce(json_agg(json_build_array(topic, n)), '[]') FROM (
                    SELECT topic, count(*) AS n FROM matched, unnest(matched.topics) AS topic GROUP BY topic
                ) AS t)
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            total, page, grouped, topics = cursor.fetchone()
        page, grouped, topics = (json.loads(v) if isinstance(v, str) else v for v in (page, grouped, topics))
        facets: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
        for facet, value, count in grouped:
            if value not in (None, ""):
                facets[facet].append((str(value), int(count)))
        facets["topics"] = [(str(topic), int(count)) for topic, count in topics if topic]
        for name in FACETS:
            facets[name].sort(key=lambda pair: (-pair[1], pair[0]))
        return int(total), [(int(row_id), float(score)) for row_id, score in page], facets

    def _hits(self, text: str, page: list[tuple[int, float]]) -> list[Hit]:
        if not page:
            return []
        scores = dict(page)
        # ts_headline parses all the text it is given: give it a window around the first place one of the
        # words (or its first letters, for other forms of it) appears, not 20 KB of body.
        prefixes = sorted(
            {
                variant[: max(4, len(variant) - 3)]
                for word in text.split()
                for form in (word.lower(), fold(word))
                for variant in (form, form.capitalize())
            }
        )
        sql = f"""
            SELECT e.id, e.key, e.kind, e.url, e.title, e.language, e.date,
                ts_headline({CONFIG_OF_ENTRY}, substr(e.body, w.start, {HEADLINE_WINDOW}), {TSQUERY}, %(options)s)
            FROM search_searchindexentry e,
            LATERAL (
                SELECT greatest(1, coalesce(min(nullif(strpos(e.body, prefix), 0)), 1)
                    - {HEADLINE_WINDOW // 4}) AS start
                FROM unnest(%(prefixes)s::text[]) AS prefix
            ) AS w
            WHERE e.id = ANY(%(ids)s)
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, {"text": text, "ids": list(scores), "options": HEADLINE_OPTIONS, "prefixes": prefixes})
            rows = cursor.fetchall()
        hits = [
            Hit(
                key=key,
                kind=kind,
                url=url,
                title=title,
                snippet_html=safe_highlight(headline),
                language=language,
                date=date if isinstance(date, datetime) or date is None else None,
                score=scores[row_id],
            )
            for row_id, key, kind, url, title, language, date, headline in rows
        ]
        hits.sort(key=lambda hit: (-hit.score, hit.key))
        return hits

    def _suggestion(self, words: list[str], viewer: Viewer, total: int) -> str:
        """The query with unknown words replaced by their nearest lexicon word, if the viewer then finds more."""
        lowered = [word.lower() for word in words]
        with connection.cursor() as cursor:
            cursor.execute("SELECT word FROM search_searchterm WHERE word = ANY(%s)", [lowered])
            known = {row[0] for row in cursor.fetchall()}
            changed = False
            corrected = []
            for word in lowered:
                if word in known or len(word) < 3 or word.isdigit():
                    corrected.append(word)
                    continue
                cursor.execute(
                    "SELECT word FROM search_searchterm WHERE word %% %(w)s AND similarity(word, %(w)s) >= %(s)s "
                    "ORDER BY similarity(word, %(w)s) DESC, word LIMIT 1",
                    {"w": word, "s": SIMILARITY},
                )
                row = cursor.fetchone()
                corrected.append(row[0] if row else word)
                changed = changed or bool(row)
            if not changed:
                return ""
            candidate = " ".join(corrected)
            access, params = access_sql(viewer)
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM search_searchindexentry e "
                f"WHERE e.search_vector @@ {TSQUERY} AND {access} LIMIT %(limit)s) AS found",
                {**params, "text": candidate, "limit": total + 1},
            )
            found = cursor.fetchone()[0]
        return candidate if found > total and candidate != " ".join(lowered) else ""
