# ruff: noqa: S608 -- the SQL is assembled from our own table and index names; every value travels as a parameter
"""Rebuilding the PostgreSQL index beside the live one, then swapping it in.

Writing a whole index row by row into the live table is slow: every row updates the GIN index of its
`tsvector` (thousands of posting lists for a 20 KB body). A build instead

1. creates `search_searchindexentry_build` like the live table (columns, generated `tsvector` columns,
   compression, identity) with only a unique index on `key`, and `search_searchindexentry_gone`, where
   `PostgresEngine.delete` notes the keys deleted while the build runs;
2. streams the entries in with COPY over several connections (building the `tsvector`s is CPU work for the
   database server: more connections use more of its cores), each batch committed on its own, so a stopped
   build resumes (`resume=True`) with the entries it has not written yet;
3. creates the live table's other indexes on the full table (one sorted pass each, with a large
   `maintenance_work_mem`: settings.SEARCH_BUILD_MAINTENANCE_WORK_MEM), two at a time;
4. swaps, in one short transaction: writers wait (readers do not), the changes made to the live index while
   the build ran are replayed (keys deleted meanwhile, live rows written since the build began), the old
   table is dropped and the new one takes its name, its indexes', its constraints' and its sequence's.

Searches read the old index until the swap commits. A build that fails is dropped; the live index is untouched.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction

from search.models import SearchIndexEntry

LIVE = SearchIndexEntry._meta.db_table
BUILD = f"{LIVE}_build"
GONE = f"{LIVE}_gone"
BUILD_KEY_INDEX = f"{BUILD}_key"
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
    "grants",
    "updated_at",
)
# Rows of the live index written this long before the build began are replayed too: `updated_at` comes from the
# application's clock (auto_now), the start from the database's, and they may differ a little. Replaying a
# current row again is harmless.
REPLAY_MARGIN = timedelta(seconds=30)
QUEUED_BATCHES = 4  # per writer: enough to keep it busy, little memory


def build_exists(cursor) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [BUILD])
    return bool(cursor.fetchone()[0])


def note_deleted(keys: list[str]) -> None:
    """Called by PostgresEngine.delete: while a build runs, the keys it must not bring back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [GONE])
        if cursor.fetchone()[0]:
            cursor.execute(
                f"INSERT INTO {GONE} (key) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                [keys],
            )


class IndexBuild:
    """One rebuild of the live index; `run` does it all (see the module's docstring)."""

    def __init__(self, threads: int, learn_words: Callable[[list], None]):
        self.threads = max(1, threads)
        self.learn_words = learn_words  # the lexicon of "did you mean", from each batch

    def run(
        self,
        batches: Iterable[list[tuple]],
        *,
        resume: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Write `batches` (lists of rows in COLUMNS order) into a new index and swap it in; returns the number
        of entries the new index holds. `progress` is called with the number of entries handled so far. With
        `resume`, a build left by an interrupted run goes on."""
        inline = connection.in_atomic_block  # other connections would not see this transaction's tables
        threads = 1 if inline else self.threads
        started, done = self._start(resume)
        try:
            self._fill(batches, done, threads, progress)
            self._create_indexes(1 if inline else 2)
            # Inline, the writes before the build are the caller's own, one clock: no margin to allow for.
            return self._swap(started, margin=timedelta(0) if inline else REPLAY_MARGIN)
        except KeyboardInterrupt:
            raise  # stopped by hand: the build stays, for `resume`
        except BaseException:
            if not inline:  # inline, the caller's transaction is rolled back and the build with it
                self.abandon()
            raise

    # -- 1. the build tables

    def _start(self, resume: bool) -> tuple[datetime, set[str]]:
        with connection.cursor() as cursor:
            if resume and build_exists(cursor):
                cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", [BUILD])
                started = datetime.fromisoformat(cursor.fetchone()[0])
                cursor.execute(f"SELECT key FROM {BUILD}")
                return started, {row[0] for row in cursor.fetchall()}
            cursor.execute(f"DROP TABLE IF EXISTS {BUILD}, {GONE}")
            cursor.execute(
                f"CREATE TABLE {BUILD} (LIKE {LIVE} INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING STORAGE "
                "INCLUDING COMPRESSION INCLUDING IDENTITY INCLUDING CONSTRAINTS)"
            )
            cursor.execute(f"CREATE UNIQUE INDEX {BUILD_KEY_INDEX} ON {BUILD} (key)")
            cursor.execute(f"CREATE TABLE {GONE} (key varchar(100) PRIMARY KEY)")
            cursor.execute("SELECT clock_timestamp()")  # now() is a transaction's start
            started = cursor.fetchone()[0]
            # A utility statement takes no parameters; an ISO date holds no quote.
            cursor.execute(f"COMMENT ON TABLE {BUILD} IS '{started.isoformat()}'")
        return started, set()

    def abandon(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {BUILD}, {GONE}")

    # -- 2. the rows

    def _fill(self, batches, done: set[str], threads: int, progress) -> None:
        def fresh(batch):
            return [row for row in batch if row[0] not in done] if done else batch

        seen = 0  # entries handed on (or found written already, on resume)
        if threads == 1:
            for batch in batches:
                rows = fresh(batch)
                if rows:
                    self.learn_words(rows)
                    _copy(rows)
                seen += len(batch)
                if progress is not None:
                    progress(seen)
            return
        work: queue.Queue = queue.Queue(maxsize=QUEUED_BATCHES * threads)
        failures: list[BaseException] = []

        def writer() -> None:
            try:
                while (rows := work.get()) is not None:
                    if failures:
                        continue  # drained, so the producer never waits on a full queue; it stops at its next batch
                    try:
                        _copy(rows)
                    except BaseException as error:  # handed to the producing thread, which raises it
                        failures.append(error)
            finally:
                connection.close()  # this writer's own connection

        workers = [threading.Thread(target=writer, daemon=True) for _ in range(threads)]
        for worker in workers:
            worker.start()
        try:
            for batch in batches:
                if failures:
                    break
                rows = fresh(batch)
                if rows:
                    self.learn_words(rows)
                    work.put(rows)
                seen += len(batch)
                if progress is not None:
                    progress(seen)
        finally:
            for _worker in workers:
                work.put(None)
            for worker in workers:
                worker.join()
        if failures:
            raise failures[0]

    # -- 3. the indexes

    def _live_indexes(self, cursor) -> list[tuple[str, str, str | None, str | None]]:
        """(index name, definition, constraint name, constraint type) of each index of the live table."""
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid), c.conname, c.contype
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
            WHERE x.indrelid = %s::regclass ORDER BY i.relname
            """,
            [LIVE],
        )
        return cursor.fetchall()

    @staticmethod
    def _is_key_index(definition: str) -> bool:
        return definition.startswith("CREATE UNIQUE INDEX") and definition.endswith("USING btree (key)")

    @staticmethod
    def _build_name(number: int) -> str:
        return f"{BUILD}_i{number}"

    def _index_statements(self) -> list[tuple[str, str]]:
        with connection.cursor() as cursor:
            indexes = self._live_indexes(cursor)
        statements = []
        for number, (_name, definition, _constraint, _kind) in enumerate(indexes):
            if self._is_key_index(definition):
                continue  # built with the table
            # "CREATE [UNIQUE] INDEX <name> ON <schema>.<table> USING <method> (<columns>) [WHERE …]"
            parts = re.fullmatch(r"CREATE (UNIQUE )?INDEX \S+ ON \S+ (USING .+)", definition, flags=re.DOTALL)
            if parts is None:
                raise RuntimeError(f"Unexpected index definition on {LIVE}: {definition}")
            unique, rest = parts.group(1) or "", parts.group(2)
            name = self._build_name(number)
            # A resumed build may hold it already, from a run stopped while its indexes were being built.
            statements.append((f"DROP INDEX IF EXISTS {name}", f"CREATE {unique}INDEX {name} ON {BUILD} {rest}"))
        # The GIN indexes of the tsvectors take longest: started first.
        return sorted(statements, key=lambda statement: "USING gin" not in statement[1])

    def _create_indexes(self, parallel: int) -> None:
        memory = settings.SEARCH_BUILD_MAINTENANCE_WORK_MEM
        statements = self._index_statements()
        lock = threading.Lock()
        failures: list[BaseException] = []

        def create(own_connection: bool) -> None:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('maintenance_work_mem', %s, false)", [memory])
                    while True:
                        with lock:
                            if not statements or failures:
                                break
                            statement = statements.pop(0)
                        for step in statement:
                            cursor.execute(step)
                    cursor.execute("RESET maintenance_work_mem")
            except BaseException as error:
                failures.append(error)
            finally:
                if own_connection:
                    connection.close()

        if parallel == 1:
            create(own_connection=False)
        else:
            workers = [threading.Thread(target=create, args=(True,), daemon=True) for _ in range(parallel)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
        if failures:
            raise failures[0]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {BUILD}")

    # -- 4. the swap

    def _swap(self, started: datetime, margin: timedelta) -> int:
        columns = ", ".join(COLUMNS)
        with transaction.atomic(), connection.cursor() as cursor:
            indexes = self._live_indexes(cursor)
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id'), pg_get_serial_sequence(%s, 'id')", [LIVE, BUILD])
            live_sequence, build_sequence = cursor.fetchone()
            cursor.execute(f"LOCK TABLE {LIVE} IN SHARE ROW EXCLUSIVE MODE")  # writers wait, readers go on
            cursor.execute(f"DELETE FROM {BUILD} b USING {GONE} g WHERE b.key = g.key")
            # Every change to the content queues a refresh of the live index, so a live row written since the
            # build began is at least as current as the one the build read: it wins.
            since = started - margin
            cursor.execute(f"DELETE FROM {BUILD} b USING {LIVE} l WHERE b.key = l.key AND l.updated_at >= %s", [since])
            cursor.execute(
                f"INSERT INTO {BUILD} ({columns}) SELECT {columns} FROM {LIVE} WHERE updated_at >= %s", [since]
            )
            cursor.execute(f"DROP TABLE {LIVE}, {GONE}")
            cursor.execute(f"ALTER TABLE {BUILD} RENAME TO {LIVE}")
            for number, (name, definition, constraint, kind) in enumerate(indexes):
                built = BUILD_KEY_INDEX if self._is_key_index(definition) else self._build_name(number)
                if constraint is not None and kind in ("p", "u"):
                    what = "PRIMARY KEY" if kind == "p" else "UNIQUE"
                    cursor.execute(f"ALTER TABLE {LIVE} ADD CONSTRAINT {constraint} {what} USING INDEX {built}")
                else:
                    cursor.execute(f"ALTER INDEX {built} RENAME TO {name}")
            if live_sequence and build_sequence:
                cursor.execute(f"ALTER SEQUENCE {build_sequence} RENAME TO {live_sequence.split('.')[-1]}")
            cursor.execute(f"COMMENT ON TABLE {LIVE} IS NULL")
            cursor.execute(f"SELECT count(*) FROM {LIVE}")
            return cursor.fetchone()[0]


def _copy(rows: list[tuple]) -> None:
    """One batch into the build table, in its own COPY (committed on its own outside a transaction)."""
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {BUILD} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
