"""Compare the index with its sources: missing, stale and extra entries per kind; exit code 1 on any drift.

    manage.py search_check [--kind K]

Stale means the entry differs from what its source gives now (title, text, URL, language or access labels).
Only the database's index is compared in full; Elasticsearch (when in use) is compared by keys.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from search.engines import database_engine, get_engine
from search.engines.postgres import entry_row
from search.models import SearchIndexEntry
from search.registry import get_sources

SHOWN = 5


def fingerprint(row: SearchIndexEntry) -> tuple:
    return (
        row.url,
        row.title,
        row.body,
        row.language,
        row.document_type,
        tuple(sorted(row.topics)),
        row.year,
        int(row.access_level),
        bool(row.is_restricted),
        tuple(sorted(row.grants)),
    )


class Command(BaseCommand):
    help = "Report drift between the site search index and its sources (exit code 1 on drift)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", default=[], help="only this kind (repeatable)")

    def handle(self, *args, **options):
        sources = get_sources()
        if options["kind"]:
            unknown = set(options["kind"]) - {source.kind for source in sources}
            if unknown:
                raise CommandError(f"Unknown kind(s): {', '.join(sorted(unknown))}")
            sources = [source for source in sources if source.kind in options["kind"]]
        database = database_engine()
        search_engine = get_engine()
        drift = 0
        for source in sources:
            expected = {entry.key: fingerprint(entry_row(entry)) for entry in source.entries(None)}
            indexed = {
                row.key: fingerprint(row) for row in SearchIndexEntry.objects.filter(kind=source.kind).iterator()
            }
            missing = sorted(set(expected) - set(indexed))
            extra = sorted(set(indexed) - set(expected))
            stale = sorted(key for key in set(expected) & set(indexed) if expected[key] != indexed[key])
            line = f"{source.kind}: {len(expected):,} expected, {len(missing)} missing, {len(stale)} stale, {len(extra)} extra"
            if search_engine.name != database.name:
                remote = search_engine.keys(source.kind)
                remote_missing, remote_extra = set(expected) - remote, remote - set(expected)
                line += f"; {search_engine.name}: {len(remote_missing)} missing, {len(remote_extra)} extra"
                drift += len(remote_missing) + len(remote_extra)
            self.stdout.write(line)
            for label, keys in (("missing", missing), ("stale", stale), ("extra", extra)):
                if keys:
                    self.stdout.write(f"  {label}: {', '.join(keys[:SHOWN])}{' …' if len(keys) > SHOWN else ''}")
            drift += len(missing) + len(stale) + len(extra)
        if not options["kind"]:
            registered = {source.kind for source in get_sources()}
            for kind, count in (
                SearchIndexEntry.objects.exclude(kind__in=registered).values_list("kind").annotate(n=Count("id"))
            ):
                self.stdout.write(f"{kind}: no source registers this kind, {count} extra")
                drift += count
        if drift:
            self.stdout.write(f"Drift: {drift} entries. Run `manage.py search_reindex` to repair.")
            sys.exit(1)
        self.stdout.write("The index matches its sources.")
