"""Rebuild the site search's index from the registered sources, kind by kind, resumable.

    manage.py search_reindex                 every kind, from the start
    manage.py search_reindex --kind page     one kind (repeatable)
    manage.py search_reindex --resume        go on from the last checkpoint of an interrupted run

Each chunk of pks is written, then its checkpoint (the last pk done, per kind) is saved, so a stopped run
resumes where it was. Entries are written to the database's index and to Elasticsearch when it answers.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

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
        parser.add_argument("--resume", action="store_true", help="continue from the last checkpoint")

    def handle(self, *args, **options):
        sources = get_sources()
        known = {source.kind for source in sources}
        unknown = set(options["kind"]) - known
        if unknown:
            raise CommandError(f"Unknown kind(s): {', '.join(sorted(unknown))}. Known: {', '.join(sorted(known))}")
        if options["kind"]:
            sources = [source for source in sources if source.kind in options["kind"]]
        engines = write_engines()
        show = options["verbosity"] > 0
        for source in sources:
            written = self.reindex(source, engines, resume=options["resume"], show=show)
            if show:
                self.stdout.write(f"{source.kind}: {written:,} entries indexed")

    def write(self, engines, entries, gone) -> None:
        for engine in engines:
            try:
                engine.index(entries)
                if gone:
                    engine.delete(sorted(gone))
            except ElasticsearchUnavailable as error:
                raise CommandError(f"Elasticsearch stopped answering: {error} (run again with --resume)") from error

    def reindex(self, source, engines, *, resume: bool, show: bool) -> int:
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
            for offset in range(0, len(pks), CHUNK):
                chunk = pks[offset : offset + CHUNK]
                entries = list(source.entries(chunk))
                gone = {f"{kind}:{pk}" for pk in chunk} - {entry.key for entry in entries}
                self.write(engines, entries, gone)
                written += len(entries)
                checkpoint.last_pk = chunk[-1]
                checkpoint.save(update_fields=["last_pk", "updated_at"])
                progress.update(len(chunk))
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
