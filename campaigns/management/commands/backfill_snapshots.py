"""Recompute a campaign's daily progress snapshots for past days, e.g. after adding a target.

    python manage.py backfill_snapshots --campaign race-to-2014 --from 2010-09-01 [--to 2014-12-31]

Safe to run again (one row per target and day, replaced); interrupted runs keep the months already done.
"""

import datetime
import sys

from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from campaigns.services import backfill_snapshots


def parse_day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"“{text}” is not a date in the form YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Recompute a campaign's daily progress snapshots from a date (to today or the deadline)."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="The campaign's slug.")
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", help="Last day, YYYY-MM-DD (default: today or the deadline).")

    def handle(self, *args, campaign, start, end=None, **options):
        try:
            campaign = Campaign.objects.get(slug=campaign)
        except Campaign.DoesNotExist:
            raise CommandError(f"No campaign with the slug “{campaign}”.") from None
        start = parse_day(start)
        end = parse_day(end) if end else None
        if end is not None and end < start:
            raise CommandError("--to is before --from.")
        interactive = sys.stdout.isatty()
        last_tenth = -1

        def show(done: int, total: int) -> None:
            nonlocal last_tenth
            percent = 100 * done // total if total else 100
            line = f"  {done}/{total} days ({percent} %)"
            if interactive:
                self.stdout.write(f"\r{line}", ending="")
                self.stdout.flush()
            elif percent // 10 != last_tenth or done == total:
                last_tenth = percent // 10
                self.stdout.write(line)

        self.stdout.write(f"Backfilling snapshots of “{campaign}” from {start} …")
        written = backfill_snapshots(campaign, start=start, end=end, on_progress=show)
        if interactive:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"{written} snapshots stored."))
