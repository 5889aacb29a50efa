"""Rebuild the site search's index from the registered sources, resumable.

    manage.py search_reindex                 the whole index, built beside the live one, then swapped in
    manage.py search_reindex --resume        go on with the build a stopped run left (with --kind or --in-place:
                                             from the kinds' checkpoints)
    manage.py search_reindex --kind page     one kind (repeatable), written into the live index chunk by chunk
    manage.py search_reindex --in-place      every kind, chunk by chunk into the live index
    manage.py search_reindex --jobs 4        4 parallel writers (default: one per CPU)

The whole index (no --kind) is rebuilt by each engine's `rebuild`: on PostgreSQL a new table filled with COPY
and indexed once it is full (search/engines/postgres_build.py), on Elasticsearch a new index behind the
alias. Searches read the old index until the new one is complete; a stopped PostgreSQL build resumes.

With --kind or --in-place, each chunk of pks is written into the live index, then its checkpoint (the last pk
done, per kind) is saved, so a stopped run resumes where it was. With several jobs, chunks are written in
parallel, each writer on its own database connection (building a 20 KB body's tsvector is CPU work for the
database server, so more server cores index faster), and the checkpoint only moves past a chunk once every
chunk before it is written too. Entries are written to the database's index and to Elasticsearch when it
answers.
"""

import os
import queue
import sys
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from search.engines.elastic import ElasticsearchUnavailable
from search.indexing import write_engines
from search.models import ReindexCheckpoint
from search.registry import get_sources

CHUNK = 500


class Progress:
    """A progress bar (tqdm when installed), else one counter line rewritten in place."""

    def __init__(self, label: str, total: int | None, stream, enabled: bool):
        self.label, self.total, self.stream, self.enabled = label, total, stream, enabled
        self.done = 0
        self.started = time.monotonic()
        self.bar = None
        if enabled:
            try:
                from tqdm import tqdm
            except ImportError:
                tqdm = None
            if tqdm is not None:
                self.bar = tqdm(total=total, desc=label, unit="entries", file=stream)

    def update(self, count: int) -> None:
        self.done += count
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.update(count)
            return
        elapsed = max(time.monotonic() - self.started, 1e-6)
        of = f"/{self.total:,}" if self.total is not None else ""
        share = f" {100 * self.done / self.total:3.0f} %" if self.total else ""
        self.stream.write(f"\r{self.label}: {self.done:,}{of}{share} ({self.done / elapsed:,.0f}/s)")
        self.stream.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.enabled:
            self.stream.write("\n")


def key_pk(key: str) -> int | None:
    try:
        return int(key.split(":", 1)[1])
    except (IndexError, ValueError):
        return None


class Command(BaseCommand):
    help = "Rebuild the site search index from its sources (resumable with --resume)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", default=[], help="only this kind (repeatable)")
        parser.add_argument("--resume", action="store_true", help="continue where a stopped run was")
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="write every kind chunk by chunk into the live index instead of building a new one beside it",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="parallel writers, each on its own database connection (default: the number of CPUs)",
        )

    def handle(self, *args, **options):
        sources = get_sources()
        known = {source.kind for source in sources}
        unknown = set(options["kind"]) - known
        if unknown:
            raise CommandError(f"Unknown kind(s): {', '.join(sorted(unknown))}. Known: {', '.join(sorted(known))}")
        if options["kind"]:
            sources = [source for source in sources if source.kind in options["kind"]]
        if options["jobs"] < 1:
            raise CommandError("--jobs must be at least 1.")
        # Inside a transaction (a test, a caller's atomic block) other connections would not see its data; SQLite
        # takes one writer at a time.
        jobs = 1 if connection.in_atomic_block or connection.vendor == "sqlite" else options["jobs"]
        engines = write_engines()
        show = options["verbosity"] > 0
        if not options["kind"] and not options["in_place"]:
            self.rebuild(sources, engines, resume=options["resume"], show=show, jobs=jobs)
            return
        if jobs > 1:
            for engine in engines:
                if hasattr(engine, "threads"):
                    engine.threads = 1  # the jobs are the parallelism: no second split inside each write
        for source in sources:
            written = self.reindex(source, engines, resume=options["resume"], show=show, jobs=jobs)
            if show:
                self.stdout.write(f"{source.kind}: {written:,} entries indexed")

    def rebuild(self, sources, engines, *, resume: bool, show: bool, jobs: int) -> None:
        """The whole index, new, from every source; engine by engine (the database's, then Elasticsearch)."""

        def everything():
            for source in sources:
                if source.all_pks is None:
                    yield from source.entries(None)
                    continue
                pks = [int(pk) for pk in source.all_pks()]
                for offset in range(0, len(pks), CHUNK):
                    yield from source.entries(pks[offset : offset + CHUNK])

        total = sum(len(list(source.all_pks())) for source in sources if source.all_pks is not None)
        exact = all(source.all_pks is not None for source in sources)
        for engine in engines:
            if hasattr(engine, "threads"):
                engine.threads = jobs
            progress = Progress(f"{engine.name}: new index", total if exact else None, sys.stderr, show)

            def moved(handled: int, progress=progress) -> None:
                progress.update(handled - progress.done)

            try:
                written = engine.rebuild(everything(), progress=moved, resume=resume)
            except ElasticsearchUnavailable as error:
                raise CommandError(f"Elasticsearch stopped answering: {error} (run again)") from error
            finally:
                progress.close()
            if show:
                self.stdout.write(f"{engine.name}: {written:,} entries indexed")
        ReindexCheckpoint.objects.all().delete()  # the chunked runs' checkpoints: the index is new

    def write(self, engines, entries, gone) -> None:
        for engine in engines:
            try:
                engine.index(entries)
                if gone:
                    engine.delete(sorted(gone))
            except ElasticsearchUnavailable as error:
                raise CommandError(f"Elasticsearch stopped answering: {error} (run again with --resume)") from error

    def write_chunk(self, source, engines, chunk: list[int]) -> int:
        entries = list(source.entries(chunk))
        gone = {f"{source.kind}:{pk}" for pk in chunk} - {entry.key for entry in entries}
        self.write(engines, entries, gone)
        return len(entries)

    def write_chunks(self, source, engines, chunks: list[list[int]], jobs: int, done) -> int:
        """Write the chunks in order (one job) or over `jobs` writer threads; `done(index, written)` is called
        in the calling thread for each chunk written. A writer's error stops the run after the chunks in
        flight, and is raised here."""
        if jobs <= 1 or len(chunks) <= 1:
            total = 0
            for index, chunk in enumerate(chunks):
                written = self.write_chunk(source, engines, chunk)
                total += written
                done(index, written)
            return total
        todo: queue.Queue = queue.Queue()
        for item in enumerate(chunks):
            todo.put(item)
        results: queue.Queue = queue.Queue()
        stop = threading.Event()

        def writer() -> None:
            try:
                while not stop.is_set():
                    try:
                        index, chunk = todo.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        results.put((index, self.write_chunk(source, engines, chunk), None))
                    except BaseException as error:  # handed to the calling thread, which raises it
                        stop.set()
                        results.put((index, 0, error))
                        return
            finally:
                connection.close()  # this writer's own connection

        threads = [threading.Thread(target=writer, daemon=True) for _ in range(min(jobs, len(chunks)))]
        for thread in threads:
            thread.start()
        total, failure, received = 0, None, 0
        while received < len(chunks) and any(thread.is_alive() for thread in threads) or not results.empty():
            try:
                index, written, error = results.get(timeout=0.5)
            except queue.Empty:
                continue
            received += 1
            if error is not None:
                failure = failure or error
                continue
            total += written
            done(index, written)
        for thread in threads:
            thread.join()
        if failure is not None:
            raise failure
        return total

    def reindex(self, source, engines, *, resume: bool, show: bool, jobs: int = 1) -> int:
        kind = source.kind
        checkpoint, _created = ReindexCheckpoint.objects.get_or_create(kind=kind)
        if not resume:
            checkpoint.last_pk = 0
            checkpoint.save()
        start = checkpoint.last_pk
        written = 0
        if source.all_pks is not None:
            every_pk = [int(pk) for pk in source.all_pks()]
            pks = [pk for pk in every_pk if pk > start]
            progress = Progress(kind, len(pks), sys.stderr, show)
            chunks = [pks[offset : offset + CHUNK] for offset in range(0, len(pks), CHUNK)]
            finished: set[int] = set()
            contiguous = [0]  # chunks 0 .. contiguous[0] - 1 are all written

            def done(index: int, _written: int) -> None:
                finished.add(index)
                progress.update(len(chunks[index]))
                moved = False
                while contiguous[0] in finished:
                    finished.discard(contiguous[0])
                    contiguous[0] += 1
                    moved = True
                if moved:
                    checkpoint.last_pk = chunks[contiguous[0] - 1][-1]
                    checkpoint.save(update_fields=["last_pk", "updated_at"])

            written = self.write_chunks(source, engines, chunks, jobs, done)
            expected = {f"{kind}:{pk}" for pk in every_pk}
        else:
            progress = Progress(kind, None, sys.stderr, show)
            expected = set()
            batch = []
            for entry in source.entries(None):
                expected.add(entry.key)
                pk = key_pk(entry.key)
                if pk is not None and pk <= start:
                    continue
                batch.append(entry)
                if len(batch) >= CHUNK:
                    self.write(engines, batch, set())
                    written += len(batch)
                    progress.update(len(batch))
                    batch = []
            if batch:
                self.write(engines, batch, set())
                written += len(batch)
                progress.update(len(batch))
        progress.close()
        # Objects deleted while nothing was listening leave keys behind: the run is whole, remove them.
        for engine in engines:
            try:
                extra = engine.keys(kind) - expected
                if extra:
                    engine.delete(sorted(extra))
            except ElasticsearchUnavailable as error:
                raise CommandError(f"Elasticsearch stopped answering: {error}") from error
        checkpoint.delete()
        return written
