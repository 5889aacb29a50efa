# ruff: noqa: S608 -- the SQL is assembled from table and index names of this script and Wagtail; values travel as parameters
"""Search benchmark: our PostgreSQL search engine beside Wagtail's database search backend, on one corpus.

Run it with `make bench` (or `.venv/bin/python tests/bench/search_bench.py [--scale 0.1] [--reindex]`). It needs
PostgreSQL on 127.0.0.1:5432 (user postgres, trust authentication) and writes `bench-results/search.md`.

The corpus (at --scale 1): 50,000 library documents of about 20 KB of text (70 % English, 30 % French),
200,000 forum posts (one index entry each, about 600 characters) and 2,000 pages (about 6 KB), words drawn
from the network's themes (SGBV investigation, the Gender Toolkit, mentoring, missions …) and from 30,000
made-up words with a Zipf distribution, access levels public → Community of Practice, one in ten documents
restricted to a guardian group. About 1.1 GB of text.

What it does:
1. keeps the database `peacekeepers_bench_search` between runs (the corpus cache): it is recreated and
   migrated only when the corpus version or the scale changed, and the corpus is streamed into it with COPY;
2. indexes the whole corpus into our index as `search_reindex` does (`engine.rebuild`: a table built beside
   the live index with COPY, indexed once full, swapped in) and times it, then re-indexes a sample of 10,000
   entries (the corpus's mix of kinds) into the full live index as content changes do (`engine.index`).
   Wagtail's index: 1,000 entries through `backend.add_bulk` (what `update_index` calls), timed, and the rest
   by one INSERT … SELECT checked to write the same rows (`wagtail_fill`: `add_bulk` of the whole corpus
   takes hours here); on a rerun with its index complete, 1,000 entries re-indexed through `add_bulk`;
3. runs 200 two-word queries (varied words, four viewers from public to Community of Practice with grants,
   one in four with a facet filter) through `engine.search` — first page, total, the five facet counts,
   snippets, suggestion — after 20 warm-up queries; then the same queries through Wagtail's backend as a
   user would write them (queryset filtered on the access fields, `.search(..., operator="and")`, first
   page, count, a facet per filterable facet);
4. checks "never leak": every hit our engine returns is allowed to its viewer (looked up in the corpus),
   and a word that only restricted entries contain finds nothing for a low-level viewer — no hits, no
   count, no facet, no suggestion — while a guardian of those entries finds them.

The measurement runs in this process (no HTTP): it times the engines, not the page around them.
Missing targets do not fail the run (it is a measurement, not a test); a broken setup or a leak does.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import psycopg
from psycopg import sql

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

RESULTS_FILE = PROJECT_ROOT / "bench-results" / "search.md"
DATABASE_NAME = os.environ.get("BENCH_DATABASE", "peacekeepers_bench_search")
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE_NAME}"

# Bump when the generator changes: the cached corpus (the database) is then rebuilt.
CORPUS_VERSION = 3
DOCUMENTS, POSTS, PAGES = 50_000, 200_000, 2_000
DOCUMENT_WORDS, POST_WORDS, PAGE_WORDS = 2_500, 80, 750  # ≈ 20 KB, 600 characters, 6 KB
BATCH = 1_000
SAMPLE_REINDEX = 10_000  # re-indexed into our full live index (the corpus's mix of kinds), timed
QUERIES, WARMUP = 200, 20
WAGTAIL_BUDGET_SECONDS = 300.0  # Wagtail's backend stops after this much query time (the count is reported)
WAGTAIL_WARMUP = 2  # its queries take seconds each at full size: a short warm-up
PER_PAGE = 20
INDEX_TARGET_PER_SECOND = 1_000.0
P95_TARGET_MS = 100.0
CANARY = "quokkavault"  # only in restricted Community-of-Practice documents of guardian group g:1
CANARY_EVERY = 250  # one restricted document in this many documents carries it

_THEMES_EN = """
gender mainstreaming police peacekeeping mission mentoring mentor mentee training trainer curriculum course
module toolkit investigation investigator interview interviewing survivor victim violence sexual sgbv
prevention community policing leadership recruitment deployment officer officers women female network member
members advocacy campaign lessons learned best practice guidance report referral services unit specialised
host state capacity crime scene evidence forensic reporting monitoring advisory standard procedures
vulnerable children protection patrol station commander supervisor formed individual contingent rotation
pilot workshop participants countries regional conference seminar handbook checklist policy strategy
framework assessment evaluation indicators data statistics database coordination partnership civil society
justice prosecution court legal rights human safety security trust outreach awareness gender-sensitive
minusca minusma unmiss monusco unmil unmit unmik unficyp minurso unsom minurcat liberia mali sudan congo
kosovo cyprus chad somalia rwanda philippines chile germany manila kigali lexington senegal bangladesh
"""
_THEMES_FR = """
genre intégration police maintien paix mission mentorat mentore formation formatrice formateur programme
cours module boîte outils enquête enquêtrice enquêteur entretien audition survivante victime violence
violences sexuelles prévention police communautaire direction recrutement déploiement officière officières
femmes réseau membre membres plaidoyer campagne leçons apprises bonnes pratiques orientation rapport
orientation services unité spécialisée État hôte capacités scène crime preuves police scientifique
signalement suivi conseil normes procédures vulnérables enfants protection patrouille commissariat
commandante superviseure unité constituée contingent relève pilote atelier participantes pays régional
conférence séminaire manuel liste contrôle politique stratégie cadre évaluation indicateurs données
statistiques coordination partenariat société civile justice poursuites tribunal droits humains sécurité
confiance sensibilisation égalité kigali rwanda dakar bamako bangui kinshasa
"""
DOCUMENT_TYPES = ("curriculum", "toolkit_module", "guidance", "report", "advocacy", "form")
TOPICS = (
    "sgbv",
    "gender_mainstreaming",
    "mentoring",
    "leadership",
    "recruitment",
    "community_policing",
    "training",
    "missions",
)
_SYLLABLES = (
    "ka lo mi ra ten vor sul bri dan el fo gri hu ist jor lem nar ost pel qui ros sta tur ul ven wes xa yor zel"
)
THEMES_EN = sorted(set(_THEMES_EN.split()))
THEMES_FR = sorted(set(_THEMES_FR.split()))
SYLLABLES = _SYLLABLES.split()


@dataclass(frozen=True)
class Timing:
    label: str
    count: int
    seconds: float
    p50_ms: float = 0.0
    p95_ms: float = 0.0

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


class BenchError(Exception):
    """A setup step failed, or something leaked."""


# --- corpus generation (streamed, seeded) ---------------------------------------------------------------


def made_up_words(rng: np.random.Generator, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        parts = rng.choice(SYLLABLES, size=int(rng.integers(2, 5)))
        words.add("".join(parts))
    return sorted(words)


class Vocabulary:
    """Theme words and made-up words (Zipf, the commonest acting as stop words) for one language.

    Each entry is about a few themes: about 8 % of its words come from its own dozen "focus" theme words and
    0.3 % from any theme, the rest are made-up words. So a theme word is in roughly one entry in seven, and
    two theme words together in a few hundred to a few thousand documents, as in a real library.
    """

    FOCUS_SHARE, ANY_THEME_SHARE = 0.08, 0.003

    def __init__(self, themes: list[str], filler: list[str], rng: np.random.Generator) -> None:
        self.themes = len(themes)
        self.words = np.array(themes + filler, dtype=object)
        zipf = 1.0 / np.arange(1, len(filler) + 1) ** 1.07
        self.p = zipf / zipf.sum()
        self.rng = rng

    def entry(self, count: int, focus_size: int) -> tuple[str, str]:
        """(title, body): a title from the focus words, a body of `count` words."""
        rng = self.rng
        focus = rng.choice(self.themes, size=focus_size, replace=False)
        chosen = rng.choice(len(self.p), size=count, p=self.p) + self.themes
        draw = rng.random(count)
        in_focus = draw < self.FOCUS_SHARE
        chosen[in_focus] = rng.choice(focus, size=int(in_focus.sum()))
        any_theme = (draw >= self.FOCUS_SHARE) & (draw < self.FOCUS_SHARE + self.ANY_THEME_SHARE)
        chosen[any_theme] = rng.integers(0, self.themes, size=int(any_theme.sum()))
        title_words = self.words[rng.choice(focus, size=min(focus_size, int(rng.integers(3, 7))), replace=False)]
        return " ".join(title_words.tolist()).capitalize(), " ".join(self.words[chosen].tolist())


def corpus_rows(scale: float) -> Iterator[tuple]:
    """Every entry of the corpus as a row of bench_search_entry, generated from a fixed seed."""
    rng = np.random.default_rng(20110620)
    filler = made_up_words(rng, 30_000)
    english = Vocabulary(THEMES_EN, filler, rng)
    french = Vocabulary(THEMES_FR, filler, rng)
    documents, posts, pages = (max(1, int(count * scale)) for count in (DOCUMENTS, POSTS, PAGES))
    for number in range(1, documents + 1):
        is_french = rng.random() < 0.3
        vocabulary = french if is_french else english
        level = int(rng.choice(4, p=[0.3, 0.3, 0.2, 0.2]))
        restricted = rng.random() < 0.1
        grant = f"g:{int(rng.integers(1, 21))}" if restricted else ""
        title, body = vocabulary.entry(DOCUMENT_WORDS, 12)
        if number % CANARY_EVERY == 0:
            level, restricted, grant = 3, True, "g:1"
            body = f"{body} {CANARY}"
        year = int(rng.integers(2005, 2027))
        topics = ",".join(sorted(set(rng.choice(TOPICS, size=int(rng.integers(1, 3))).tolist())))
        yield (
            f"document:{number}",
            "document",
            f"/library/documents/{number}/",
            title,
            body,
            "fr" if is_french else "en",
            datetime(year, int(rng.integers(1, 13)), 1, tzinfo=UTC),
            str(rng.choice(DOCUMENT_TYPES)),
            topics,
            year,
            level,
            restricted,
            grant,
        )
    for number in range(1, posts + 1):
        is_french = rng.random() < 0.25
        vocabulary = french if is_french else english
        restricted = rng.random() < 0.05
        topic = (number - 1) // 20 + 1
        yield (
            f"post:{number}",
            "post",
            f"/forums/topics/{topic}/#post-{number}",
            *vocabulary.entry(POST_WORDS, 4),
            "fr" if is_french else "en",
            datetime(2020 + number % 7, 1 + number % 12, 1 + number % 28, tzinfo=UTC),
            "",
            "",
            None,
            3 if rng.random() < 0.8 else 2,
            restricted,
            f"g:{int(rng.integers(1, 21))}" if restricted else "",
        )
    for number in range(1, pages + 1):
        is_french = number % 2 == 0
        vocabulary = french if is_french else english
        yield (
            f"page:{number}",
            "page",
            f"/{'fr' if is_french else 'en'}/page-{number}/",
            *vocabulary.entry(PAGE_WORDS, 8),
            "fr" if is_french else "en",
            datetime(2015 + number % 11, 1 + number % 12, 1, tzinfo=UTC),
            "",
            "",
            None,
            0 if rng.random() < 0.8 else 1,
            False,
            "",
        )


def expected_counts(scale: float) -> dict[str, int]:
    documents, posts, pages = (max(1, int(count * scale)) for count in (DOCUMENTS, POSTS, PAGES))
    return {"document": documents, "post": posts, "page": pages}


# --- database and Django ----------------------------------------------------------------------------------

COLUMNS = (
    "key",
    "kind",
    "url",
    "title",
    "body",
    "language",
    "date",
    "document_type",
    "topics",
    "year",
    "access_level",
    "is_restricted",
    "grant",
)


def prepare_database(scale: float) -> bool:
    """Create the database when missing or stale; True when the corpus must be (re)loaded."""
    wanted = f"{CORPUS_VERSION}:{scale}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
    if exists:
        try:
            with psycopg.connect(DATABASE_URL.replace("postgres://", "postgresql://")) as connection:
                row = connection.execute("SELECT value FROM bench_search_meta WHERE name = 'corpus'").fetchone()
                if row and row[0] == wanted:
                    return False
        except psycopg.Error:
            pass
    print(f"Recreating database {DATABASE_NAME} (corpus version {CORPUS_VERSION}, scale {scale}) …", flush=True)
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        name = sql.Identifier(DATABASE_NAME)
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))
    return True


def setup_django() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["DJANGO_DEBUG"] = "false"  # no query log: a 20 KB parameter a row would pile up in memory
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    for name in ("ELASTICSEARCH_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_ENV"):
        os.environ.pop(name, None)
    import django

    django.setup()


def bench_model():
    """The corpus table as a Wagtail-indexed model (created by this script, not by migrations)."""
    from django.db import models
    from modelsearch.abstract_models import TextIDGenericRelation
    from wagtail.search import index
    from wagtail.search.models import IndexEntry

    class BenchEntry(index.Indexed, models.Model):
        key = models.CharField(max_length=40, primary_key=True)
        kind = models.CharField(max_length=20)
        url = models.CharField(max_length=200)
        title = models.CharField(max_length=255)
        body = models.TextField()
        language = models.CharField(max_length=5)
        date = models.DateTimeField(null=True)
        document_type = models.CharField(max_length=30)
        topics = models.CharField(max_length=200)
        year = models.IntegerField(null=True)
        access_level = models.IntegerField()
        is_restricted = models.BooleanField()
        grant = models.CharField(max_length=20)

        # What a developer would declare to search these with Wagtail: title boosted, filters on the access
        # and facet fields.
        search_fields = [
            index.SearchField("title", boost=3),
            index.SearchField("body"),
            index.FilterField("kind"),
            index.FilterField("language"),
            index.FilterField("document_type"),
            index.FilterField("year"),
            index.FilterField("access_level"),
            index.FilterField("is_restricted"),
            index.FilterField("grant"),
        ]

        class Meta:
            app_label = "search"
            db_table = "bench_search_entry"
            managed = False

        def __str__(self) -> str:
            return self.key

    TextIDGenericRelation(IndexEntry).contribute_to_class(BenchEntry, "index_entries")
    return BenchEntry


def load_corpus(scale: float) -> int:
    from django.core.management import call_command
    from django.db import connection

    print("Migrating …", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TABLE bench_search_entry (
                key varchar(40) PRIMARY KEY, kind varchar(20) NOT NULL, url varchar(200) NOT NULL,
                title varchar(255) NOT NULL, body text NOT NULL, language varchar(5) NOT NULL, date timestamptz,
                document_type varchar(30) NOT NULL, topics varchar(200) NOT NULL, year integer,
                access_level integer NOT NULL, is_restricted boolean NOT NULL, "grant" varchar(20) NOT NULL
            )
            """
        )
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_search_meta (name text PRIMARY KEY, value text)")
    total = sum(expected_counts(scale).values())
    print(f"Generating and copying {total:,} entries into bench_search_entry …", flush=True)
    started = time.perf_counter()
    written = 0
    characters = 0
    with connection.cursor() as cursor:
        columns = ", ".join(f'"{column}"' for column in COLUMNS)
        with cursor.cursor.copy(f"COPY bench_search_entry ({columns}) FROM STDIN") as copy:
            for row in corpus_rows(scale):
                copy.write_row(row)
                written += 1
                characters += len(row[4])
                if written % 10_000 == 0:
                    elapsed = time.perf_counter() - started
                    print(
                        f"  {written:,}/{total:,} entries, {characters / 1e6:,.0f} MB of text, "
                        f"{written / elapsed:,.0f} entries/s",
                        flush=True,
                    )
        cursor.execute("ANALYZE bench_search_entry")
        cursor.execute(
            "INSERT INTO bench_search_meta VALUES ('corpus', %s) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
            [f"{CORPUS_VERSION}:{scale}"],
        )
    print(f"  loaded in {time.perf_counter() - started:.0f} s", flush=True)
    return written


def corpus_size() -> tuple[dict[str, int], int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, count(*), sum(length(body)) FROM bench_search_entry GROUP BY kind")
        rows = cursor.fetchall()
    return {kind: count for kind, count, _size in rows}, sum(size for _kind, _count, size in rows)


# --- our engine ---------------------------------------------------------------------------------------------


def our_engine():
    """The database engine the site would use (no ELASTICSEARCH_URL, PostgreSQL)."""
    from search.engines import get_engine

    engine = get_engine()
    if "postgres" not in engine.name.lower():
        raise BenchError(f"Expected the PostgreSQL engine, got {engine.name!r}")
    return engine


def as_entry(row) -> object:
    from search.engines.base import SearchEntry

    return SearchEntry(
        key=row.key,
        kind=row.kind,
        url=row.url,
        title=row.title,
        body=row.body,
        language=row.language,
        date=row.date,
        document_type=row.document_type,
        topics=tuple(topic for topic in row.topics.split(",") if topic),
        year=row.year,
        access_level=row.access_level,
        is_restricted=row.is_restricted,
        grants=(row.grant,) if row.grant else (),
    )


def batches(queryset, size: int = BATCH) -> Iterator[list]:
    batch = []
    for row in queryset.iterator(chunk_size=size):
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def timed_indexing(label: str, queryset, total: int, write) -> Timing:
    print(f"{label}: {total:,} entries …", flush=True)
    started = time.perf_counter()
    done = 0
    next_report = 10_000
    for batch in batches(queryset):
        write(batch)
        done += len(batch)
        if done >= next_report or done == total:
            elapsed = time.perf_counter() - started
            print(f"  {done:,}/{total:,} ({done / elapsed:,.0f} entries/s)", flush=True)
            next_report += 10_000
    return Timing(label, done, time.perf_counter() - started)


def index_ours(engine, model, counts: dict[str, int]) -> list[Timing]:
    """The whole corpus as `search_reindex` indexes it (engine.rebuild: a table built beside the live index,
    then swapped in), then a sample re-indexed into the full live index as content changes do (engine.index)."""
    total = sum(counts.values())
    label = f"our index, every entry (`search_reindex`: built beside the live index, {engine.threads or 2} writers)"
    print(f"{label}: {total:,} entries …", flush=True)
    started = time.perf_counter()
    next_report = [10_000]

    def progress(handled: int) -> None:
        if handled >= next_report[0] or handled == total:
            elapsed = time.perf_counter() - started
            print(f"  {handled:,}/{total:,} ({handled / elapsed:,.0f} entries/s)", flush=True)
            next_report[0] += 10_000

    entries = (as_entry(row) for row in model.objects.order_by("key").iterator(chunk_size=BATCH))
    written = engine.rebuild(entries, progress=progress)
    rebuilt = Timing(label, written, time.perf_counter() - started)
    print(f"  indexes built and swapped in: {rebuilt.seconds:,.0f} s in all", flush=True)
    sample_keys = mixed_keys(model.objects.order_by("key"), counts, SAMPLE_REINDEX)
    sample = model.objects.filter(key__in=sample_keys).order_by("key")
    label = f"our index, {len(sample_keys):,} entries re-indexed into the full live index (content changes)"
    changed = timed_indexing(label, sample, len(sample_keys), lambda batch: engine.index([as_entry(r) for r in batch]))
    return [rebuilt, changed]


WAGTAIL_TIMED = 1_000  # entries indexed through add_bulk and timed (the corpus's mix of kinds); the rest in SQL
WAGTAIL_SAMPLE = 1_000  # a rerun with its index complete re-indexes this many (the corpus's mix), timed


def mixed_keys(queryset, counts: dict[str, int], size: int) -> list[str]:
    """About `size` keys, each kind in its share of the corpus (a fifth are 20 KB documents)."""
    total = sum(counts.values())
    keys: list[str] = []
    for kind, count in sorted(counts.items()):
        share = max(1, round(size * count / total))
        keys += list(queryset.filter(kind=kind)[:share].values_list("key", flat=True))
    return keys


def index_wagtail(model, counts: dict[str, int], reindex: bool) -> Timing:
    """Wagtail's rate is measured through its own `add_bulk` (what `update_index` calls, 1,000 a chunk). For the
    whole corpus that takes hours here (each chunk also ends with `_refresh_title_norms`, which reads the whole
    table): after WAGTAIL_TIMED entries the rest of its index is filled by
    `wagtail_fill`, one INSERT … SELECT writing the same rows, checked equal here on the timed ones."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    backend = get_search_backend("default")
    content_type = ContentType.objects.get_for_model(model)
    entries = IndexEntry.objects.filter(content_type=content_type)
    total = sum(counts.values())
    queryset = model.objects.order_by("key")
    if entries.count() == total and not reindex:
        sample_keys = mixed_keys(queryset, counts, WAGTAIL_SAMPLE)
        sample = model.objects.filter(key__in=sample_keys).order_by("key")
        label = f"Wagtail database backend, {len(sample_keys):,} entries re-indexed into its full index (add_bulk)"
        return timed_indexing(label, sample, len(sample_keys), lambda batch: backend.add_bulk(model, batch))
    entries.delete()
    timed_keys = mixed_keys(queryset, counts, WAGTAIL_TIMED)
    timed = model.objects.filter(key__in=timed_keys).order_by("key")
    label = f"Wagtail database backend, {len(timed_keys):,} entries into its empty index (add_bulk, as update_index)"
    timing = timed_indexing(label, timed, len(timed_keys), lambda batch: backend.add_bulk(model, batch))
    wagtail_fill(model, content_type.pk)
    return timing


def wagtail_fill(model, content_type_id: int) -> None:
    """Wagtail's index of the rest of the corpus, as `update_index` leaves it: for each entry the title vector
    (weighted as its boost), the body vector, an empty autocomplete vector, the plain texts, then the title
    norms of the whole table (`_refresh_title_norms(full=True)`, as its rebuilder's finish). Its GIN indexes
    are dropped during the fill and built again after, with the same definitions."""
    from django.db import connection
    from modelsearch.backends.database.postgres.weights import get_weight
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    table = IndexEntry._meta.db_table
    config = get_search_backend("default").config
    vector = "to_tsvector({}::regconfig, {{}})".format("%(config)s") if config else "to_tsvector({})"
    values = {"config": config, "ct": content_type_id, "title_weight": get_weight(3), "body_weight": get_weight(None)}
    select = f"""
        SELECT %(ct)s, e.key,
            CASE WHEN btrim(e.title) = '' THEN ''::tsvector
                 ELSE setweight({vector.format("btrim(e.title)")}, %(title_weight)s) END,
            ''::tsvector,
            CASE WHEN btrim(e.body) = '' THEN ''::tsvector
                 ELSE setweight({vector.format("btrim(e.body)")}, %(body_weight)s) END,
            btrim(e.title), btrim(e.body)
        FROM bench_search_entry e
    """
    with connection.cursor() as cursor:
        # The rows add_bulk wrote must be the rows this SQL writes.
        cursor.execute(
            f"""
            SELECT count(*) FROM ({select}) AS mine (ct, object_id, title, autocomplete, body, title_text, body_text)
            JOIN {table} theirs ON theirs.content_type_id = mine.ct AND theirs.object_id = mine.object_id
            WHERE (theirs.title, theirs.autocomplete, theirs.body, theirs.title_text, theirs.body_text)
                IS DISTINCT FROM (mine.title, mine.autocomplete, mine.body, mine.title_text, mine.body_text)
            """,
            values,
        )
        different = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM {table} WHERE content_type_id = %s", [content_type_id])
        compared = cursor.fetchone()[0]
        if different or not compared:
            raise BenchError(f"Wagtail fill: {different} of {compared} rows differ from what add_bulk wrote")
        print(f"  the SQL fill writes what add_bulk wrote ({compared:,} rows compared); filling the rest …", flush=True)
        started = time.perf_counter()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef ILIKE %s",
            [table, "%USING gin%"],
        )
        gin = cursor.fetchall()
        for name, _definition in gin:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute(
            f"""
            INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, title_text, body_text,
                title_norm)
            SELECT *, 1.0 FROM ({select}) AS rows
            WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.content_type_id = %(ct)s AND t.object_id = rows.key)
            """,
            values,
        )
        print(f"  {cursor.rowcount:,} rows in {time.perf_counter() - started:,.0f} s; title norms …", flush=True)
    # Before the GIN indexes: updating every row with them in place would insert each vector into them again.
    get_search_backend("default").get_index_for_model(model)._refresh_title_norms(full=True)
    print(f"  its GIN indexes ({time.perf_counter() - started:,.0f} s so far) …", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for _name, definition in gin:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute(f"ANALYZE {table}")
    print(f"  Wagtail's index filled in {time.perf_counter() - started:,.0f} s", flush=True)


# --- queries ------------------------------------------------------------------------------------------------


def viewers():
    from search.engines.base import Viewer

    return [
        ("public", Viewer(level=0)),
        ("member", Viewer(level=1)),
        ("network + grants", Viewer(level=2, grants=frozenset({"g:3", "g:7", "u:42"}))),
        ("community + grants", Viewer(level=3, grants=frozenset({"g:1", "g:2", "g:5"}))),
    ]


def query_plan(count: int) -> list[tuple[str, str, str, object, dict]]:
    """(text, language, viewer label, viewer, filters): two words each, from the themes and the made-up words."""
    rng = np.random.default_rng(7)
    filler = made_up_words(np.random.default_rng(20110620), 30_000)[:2_000]
    plan = []
    people = viewers()
    for number in range(count):
        language = "fr" if number % 3 == 0 else "en"
        themes = THEMES_FR if language == "fr" else THEMES_EN
        first = str(rng.choice(themes))
        second = str(rng.choice(themes if number % 2 else filler))
        label, viewer = people[number % len(people)]
        filters = {"kind": ("document",)} if number % 4 == 3 else {}
        plan.append((f"{first} {second}", language, label, viewer, filters))
    return plan


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def allowed(row, viewer) -> bool:
    return row.access_level <= viewer.level and (not row.is_restricted or row.grant in viewer.grants)


def run_ours(engine, model, plan) -> tuple[Timing, int]:
    from search.engines.base import SearchQuery

    def ask(text, language, viewer, filters):
        return engine.search(
            SearchQuery(text=text, viewer=viewer, language=language, filters=filters, page=1, per_page=PER_PAGE)
        )

    for text, language, _label, viewer, filters in plan[:WARMUP]:
        ask(text, language, viewer, filters)
    durations = []
    checked = 0
    for number, (text, language, label, viewer, filters) in enumerate(plan, start=1):
        started = time.perf_counter()
        results = ask(text, language, viewer, filters)
        durations.append((time.perf_counter() - started) * 1000)
        rows = {row.key: row for row in model.objects.filter(key__in=[hit.key for hit in results.hits])}
        for hit in results.hits:
            if hit.key not in rows or not allowed(rows[hit.key], viewer):
                raise BenchError(f"LEAK: {hit.key} returned to the {label} viewer for {text!r}")
            checked += 1
        if number % 50 == 0:
            print(f"  {number}/{len(plan)} queries, p95 so far {percentile(durations, 0.95):.1f} ms", flush=True)
    return Timing(
        "our engine", len(durations), sum(durations) / 1000, percentile(durations, 0.5), percentile(durations, 0.95)
    ), checked


def wagtail_queryset(model, viewer, filters):
    from django.db.models import Q

    queryset = model.objects.filter(access_level__lte=viewer.level).filter(
        Q(is_restricted=False) | Q(grant__in=sorted(viewer.grants))
    )
    for name, values in filters.items():
        queryset = queryset.filter(**{f"{name}__in": list(values)})
    return queryset


def run_wagtail(model, plan) -> tuple[Timing, int]:
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend("default")

    def ask(text, viewer, filters):
        results = backend.search(text, wagtail_queryset(model, viewer, filters), operator="and")
        page = list(results[:PER_PAGE])
        total = results.count()
        facets = {name: results.facet(name) for name in ("kind", "document_type", "language", "year")}
        return page, total, facets

    for text, _language, _label, viewer, filters in plan[:WAGTAIL_WARMUP]:
        ask(text, viewer, filters)
    durations = []
    checked = 0
    for number, (text, _language, label, viewer, filters) in enumerate(plan, start=1):
        if sum(durations) / 1000 > WAGTAIL_BUDGET_SECONDS:
            print(f"  stopping after {number - 1} queries: over the {WAGTAIL_BUDGET_SECONDS:.0f} s budget", flush=True)
            break
        started = time.perf_counter()
        page, _total, _facets = ask(text, viewer, filters)
        durations.append((time.perf_counter() - started) * 1000)
        for row in page:
            if not allowed(row, viewer):
                raise BenchError(f"Wagtail LEAK: {row.key} returned to the {label} viewer for {text!r}")
            checked += 1
        if number % 50 == 0 or durations[-1] > 2_000:
            print(f"  {number}/{len(plan)} queries, last {durations[-1]:,.0f} ms", flush=True)
    return Timing(
        "Wagtail database backend",
        len(durations),
        sum(durations) / 1000,
        percentile(durations, 0.5),
        percentile(durations, 0.95),
    ), checked


def canary_check(engine) -> list[str]:
    """A word only restricted entries hold: invisible to outsiders in hits, counts, facets and suggestions."""
    from search.engines.base import SearchQuery, Viewer

    lines = []
    for label, viewer in (("public", Viewer(level=0)), ("community without the grant", Viewer(level=3))):
        for text in (CANARY, CANARY[:-1]):  # the word, then a typo a suggester could correct into it
            results = engine.search(SearchQuery(text=text, viewer=viewer))
            counted = sum(count for values in results.facets.values() for _value, count in values)
            if results.hits or results.total or counted or CANARY in results.suggestion:
                raise BenchError(
                    f"LEAK: {text!r} as {label}: {results.total} hits, {counted} in facets, "
                    f"suggestion {results.suggestion!r}"
                )
        lines.append(f"{label}: 0 hits, 0 facet counts, no suggestion for {CANARY!r} and {CANARY[:-1]!r}")
    guardian = Viewer(level=3, grants=frozenset({"g:1"}))
    found = engine.search(SearchQuery(text=CANARY, viewer=guardian)).total
    if not found:
        raise BenchError(f"The guardian group g:1 should find {CANARY!r}: the check proves nothing")
    lines.append(f"guardian of group g:1: {found:,} hits")
    return lines


# --- report -------------------------------------------------------------------------------------------------


def git_revision() -> str:
    import subprocess

    try:
        revision = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return revision


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def report(
    scale, counts, text_bytes, indexing: list[Timing], queries: list[Timing], checked, canary_lines, wagtail_gin
) -> str:
    lines = [
        "# Search benchmark",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · revision {git_revision()} · "
        f"{platform.node()} ({os.cpu_count()} CPUs, PostgreSQL, in-process: no HTTP)",
        "",
        f"Data (scale {scale}): {counts.get('document', 0):,} documents, {counts.get('post', 0):,} forum posts, "
        f"{counts.get('page', 0):,} pages — {text_bytes / 1e6:,.0f} MB of body text.",
        "",
        "| indexing | entries | seconds | entries/s | target ≥ 1,000/s |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for timing in indexing:
        target = (
            verdict(timing.per_second >= INDEX_TARGET_PER_SECOND)
            if timing.label.startswith("our index, every")
            else "—"
        )
        lines.append(
            f"| {timing.label} | {timing.count:,} | {timing.seconds:,.1f} | {timing.per_second:,.0f} | {target} |"
        )
    lines += [
        "",
        f"Queries: {QUERIES} two-word queries (theme words and made-up words, EN and FR), four viewers "
        "(public, member, network with grants, community with grants), one in four filtered to documents; "
        f"first page of {PER_PAGE}, total, facet counts, snippets; after {WARMUP} warm-up queries (Wagtail: "
        f"{WAGTAIL_WARMUP}, and it stops after {WAGTAIL_BUDGET_SECONDS:.0f} s of query time — the same queries in "
        "the same order, as many as fit).",
        "",
        "| engine | queries | p50 ms | p95 ms | target p95 < 100 ms |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for timing in queries:
        lines.append(
            f"| {timing.label} | {timing.count} | {timing.p50_ms:.1f} | {timing.p95_ms:.1f} | "
            f"{verdict(timing.p95_ms < P95_TARGET_MS)} |"
        )
    lines += [
        "",
        f"Wagtail side: `wagtail.search.backends.database` on PostgreSQL, queryset filtered on the access fields, "
        f"`.search(text, operator='and')`, first page, `.count()`, `.facet()` for kind, document type, language "
        f"and year; GIN expression index for its query present: {'yes' if wagtail_gin else 'no'}.",
        "",
    ]
    if canary_lines:
        lines += [
            f"Never leak: {checked:,} hits returned by our engine checked against the corpus, all allowed to their "
            "viewer.",
            *[f"- {line}" for line in canary_lines],
        ]
    return "\n".join(lines) + "\n"


def wagtail_gin_index_present() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'wagtailsearch_indexentry' "
            "AND indexdef ILIKE '%gin%' AND indexdef ILIKE '%||%'"
        )
        return bool(cursor.fetchone()[0])


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="corpus size as a share of the full one")
    parser.add_argument("--reindex", action="store_true", help="index every entry again, even if complete")
    parser.add_argument(
        "--only", choices=("ours", "wagtail"), help="measure one side only (default: both, side by side)"
    )
    return parser.parse_args(argv)


def main(argv=()) -> int:
    options = parse_arguments(list(argv))
    started = time.monotonic()
    try:
        must_load = prepare_database(options.scale)
        setup_django()
        if must_load:
            load_corpus(options.scale)
        else:
            print(f"Corpus cached in {DATABASE_NAME} (version {CORPUS_VERSION}, scale {options.scale}).", flush=True)
            from django.core.management import call_command

            call_command("migrate", interactive=False, verbosity=0)
        model = bench_model()
        counts, text_bytes = corpus_size()
        if counts != expected_counts(options.scale):
            raise BenchError(f"The cached corpus has {counts}, expected {expected_counts(options.scale)}")
        reindex = options.reindex or must_load
        indexing, queries, checked, canary_lines = [], [], 0, []
        plan = query_plan(QUERIES)
        if options.only != "ours":
            indexing.append(index_wagtail(model, counts, reindex))
        if options.only != "wagtail":
            engine = our_engine()
            indexing[:0] = index_ours(engine, model, counts)
            print(f"Our engine: {QUERIES} queries …", flush=True)
            ours, checked = run_ours(engine, model, plan)
            queries.append(ours)
        if options.only != "ours":
            print(f"Wagtail database backend: {QUERIES} queries …", flush=True)
            queries.append(run_wagtail(model, plan)[0])
        if options.only != "wagtail":
            print("Never-leak check …", flush=True)
            canary_lines = canary_check(engine)
        text = report(
            options.scale,
            counts,
            text_bytes,
            indexing,
            queries,
            checked,
            canary_lines,
            wagtail_gin_index_present(),
        )
    except BenchError as error:
        print(f"\nBenchmark failed: {error}", file=sys.stderr)
        return 1
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(text)
    print()
    print(text)
    print(f"Written to {RESULTS_FILE.relative_to(PROJECT_ROOT)} in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
