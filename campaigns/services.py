"""Campaigns: daily progress snapshots, recorded values (entered or imported), contributors, advocacy actions."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import metrics, permissions
from campaigns.choices import MetricSource
from campaigns.models import AdvocacyAction, Campaign, CampaignContributor, ProgressSnapshot, RecordedValue, Target
from campaigns.progress import invalidate_target_progress
from network import permissions as network_permissions
from network.models import User

# --- snapshots ---------------------------------------------------------------------------------------------


def snapshot_days(campaign: Campaign, days: Iterable[datetime.date]) -> list[datetime.date]:
    """The given days that fall inside the campaign (from its start to its deadline)."""
    return sorted(day for day in set(days) if campaign.start_date <= day <= campaign.deadline)


def store_snapshots(targets: Iterable[Target], days: Iterable[datetime.date]) -> int:
    """Store (or replace) each target's value on each day that falls in its campaign; returns rows written.

    A computed metric shared by several targets is computed once per day. Safe to run again: one row per
    target and day, updated in place.
    """
    computed: dict[tuple[str, datetime.date], metrics.MetricValue] = {}
    rows = []
    for target in targets:
        target_days = snapshot_days(target.campaign, days)
        if not target_days:
            continue
        if target.source == MetricSource.COMPUTED:
            values = {}
            for day in target_days:
                key = (target.metric, day)
                if key not in computed:
                    computed[key] = metrics.get_metric(target.metric).value_on(day)
                values[day] = computed[key]
        else:
            values = metrics.values_between(target, target_days)
        rows += [
            ProgressSnapshot(target=target, date=day, value=value.value, breakdown=value.breakdown)
            for day, value in values.items()
        ]
    with transaction.atomic():
        ProgressSnapshot.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["target", "date"],
            update_fields=["value", "breakdown"],
        )
    return len(rows)


def snapshot_campaign_progress(today: datetime.date | None = None) -> int:
    """Snapshot every target of the campaigns running today: today's value so far, and yesterday's final one.

    Run every hour by Celery beat, so the day's row follows the platform within the hour; the run after
    midnight completes the previous day. Afterwards the targets' cached progress and the anonymous page
    cache (the home page shows progress) are invalidated.
    """
    today = today or timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    targets = list(
        Target.objects.filter(campaign__start_date__lte=today, campaign__deadline__gte=yesterday)
        .exclude(source=MetricSource.COMPUTED, metric="")
        .select_related("campaign", "statistic_series")
    )
    targets = [target for target in targets if _has_known_metric(target)]
    written = store_snapshots(targets, [yesterday, today])
    if targets:
        # The snapshots are committed by now (store_snapshots' own transaction; the task runs outside any).
        invalidate_target_progress([target.pk for target in targets])
        warm_target_progress(targets)
    return written


def warm_target_progress(targets: list[Target]) -> None:
    """Build the targets' cached progress in every language now, so no visitor waits for it after a snapshot."""
    from django.conf import settings
    from django.utils import translation

    from campaigns.progress import get_target_progress

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            get_target_progress(targets)


def _has_known_metric(target: Target) -> bool:
    if target.source != MetricSource.COMPUTED:
        return True
    try:
        metrics.get_metric(target.metric)
    except metrics.UnknownMetric:
        return False
    return True


def backfill_snapshots(
    campaign: Campaign,
    *,
    start: datetime.date,
    end: datetime.date | None = None,
    chunk_days: int = 31,
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute the campaign's snapshots for every day from `start` to `end` (today or the deadline at most).

    Days are stored a month at a time, each month in its own transaction, so a long backfill can be
    interrupted and run again. `on_progress(done_days, total_days)` is called after each chunk.
    """
    end = min(end or timezone.localdate(), campaign.deadline, timezone.localdate())
    start = max(start, campaign.start_date)
    targets = [target for target in campaign.targets.select_related("statistic_series") if _has_known_metric(target)]
    for target in targets:
        target.campaign = campaign
    total = (end - start).days + 1 if end >= start else 0
    written = 0
    for offset in range(0, total, chunk_days):
        days = [start + datetime.timedelta(days=offset + step) for step in range(min(chunk_days, total - offset))]
        written += store_snapshots(targets, days)
        if on_progress is not None:
            on_progress(offset + len(days), total)
    if targets:
        invalidate_target_progress([target.pk for target in targets])
    return written


# --- recorded values ---------------------------------------------------------------------------------------

MAX_IMPORT_ROWS = 20_000
FORMULA_PREFIXES = ("=", "+", "-", "@")


@dataclass
class ParsedValues:
    rows: list[tuple[datetime.date, Decimal, str]] = field(default_factory=list)
    # (line number, message), line numbers as a spreadsheet shows them.
    errors: list[tuple[int, str]] = field(default_factory=list)


def parse_decimal(text: str) -> Decimal:
    """A non-negative number written with digits and an optional decimal point; raises ValidationError."""
    cleaned = text.strip().replace("\xa0", "").replace(" ", "")
    if not cleaned:
        raise ValidationError(_("The value is missing."))
    if "," in cleaned:
        raise ValidationError(
            _(
                "“%(value)s” is not a number: write it without thousands separators and with a dot for decimals, e.g. 1234.5."
            )
            % {"value": text.strip()}
        )
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": text.strip()}) from None
    if not value.is_finite():
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": text.strip()})
    if value < 0:
        raise ValidationError(_("The value cannot be negative (%(value)s).") % {"value": text.strip()})
    if value.as_tuple().exponent < -2 or abs(value) >= Decimal("1e12"):
        raise ValidationError(
            _("Use at most 12 digits before the decimal point and 2 after it (%(value)s).") % {"value": text.strip()}
        )
    return value


def parse_recorded_values_csv(content: bytes | str) -> ParsedValues:
    """Read `date,value,note` rows (a header row is optional); collects every row's problems."""
    result = ParsedValues()
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            result.errors.append((0, _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")))
            return result
    reader = csv.reader(io.StringIO(content))
    seen: dict[datetime.date, int] = {}
    for line, row in enumerate(reader, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if line == 1 and cells[0].lower() in ("date", "day", "jour"):
            continue
        if len(result.rows) + len(result.errors) >= MAX_IMPORT_ROWS:
            result.errors.append(
                (line, _("Too many rows: import at most %(count)s at a time.") % {"count": MAX_IMPORT_ROWS})
            )
            break
        if len(cells) < 2 or len(cells) > 3:
            result.errors.append(
                (line, _("Expected 2 or 3 columns (date, value, note), found %(count)s.") % {"count": len(cells)})
            )
            continue
        problems = []
        try:
            day = datetime.date.fromisoformat(cells[0])
        except ValueError:
            day = None
            problems.append(_("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": cells[0]})
        try:
            value = parse_decimal(cells[1])
        except ValidationError as error:
            value = None
            problems.extend(error.messages)
        note = cells[2] if len(cells) == 3 else ""
        # Our own export protects notes from spreadsheet formulas with a leading apostrophe: undo it.
        if note.startswith("'") and note[1:2] in FORMULA_PREFIXES:
            note = note[1:]
        if len(note) > 300:
            problems.append(_("The note is longer than 300 characters."))
        if day is not None and day > timezone.localdate():
            problems.append(_("The date %(date)s is in the future.") % {"date": cells[0]})
        if day is not None and day in seen:
            problems.append(_("The date %(date)s is also on line %(line)s.") % {"date": cells[0], "line": seen[day]})
        if problems:
            result.errors.append((line, " ".join(problems)))
            continue
        seen[day] = line
        result.rows.append((day, value, note))
    if not result.rows and not result.errors:
        result.errors.append((0, _("The file has no rows to import.")))
    return result


def check_recorded_target(target: Target) -> None:
    if target.source != MetricSource.RECORDED:
        raise ValidationError(_("Values can be recorded only for targets whose source is “recorded values”."))


@transaction.atomic
def import_recorded_values(
    target: Target, rows: list[tuple[datetime.date, Decimal, str]], *, actor: User
) -> tuple[int, int]:
    """Store all rows (a value already recorded on a date is replaced) or none; returns (created, updated)."""
    permissions.check_can_manage_campaigns(actor)
    check_recorded_target(target)
    existing = set(target.recorded_values.filter(date__in=[day for day, _v, _n in rows]).values_list("date", flat=True))
    RecordedValue.objects.bulk_create(
        [RecordedValue(target=target, date=day, value=value, note=note, created_by=actor) for day, value, note in rows],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["target", "date"],
        update_fields=["value", "note"],
    )
    transaction.on_commit(lambda: invalidate_target_progress([target.pk]))
    return len(rows) - len(existing), len(existing)


def recorded_values_csv_rows(target: Target) -> list[list[str]]:
    """A recorded target's values as CSV rows that `parse_recorded_values_csv` reads back unchanged."""
    rows = []
    for day, value, note in target.recorded_values.order_by("date").values_list("date", "value", "note"):
        rows.append([day.isoformat(), format(value.normalize(), "f"), protect_formula(note)])
    return rows


def protect_formula(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: a leading apostrophe keeps them text."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


# --- contributors ------------------------------------------------------------------------------------------


def join_campaign_contributors(campaign: Campaign, *, actor: User) -> CampaignContributor:
    """List the actor among the campaign's contributors (shown by name on the campaign page)."""
    if not permissions.can_join_campaign_contributors(actor, campaign):
        raise PermissionDenied
    contributor, created = CampaignContributor.objects.get_or_create(campaign=campaign, member=actor.member)
    if created:
        _contributors_changed()
    return contributor


def leave_campaign_contributors(campaign: Campaign, *, actor: User) -> bool:
    """Remove the actor's name from the contributors' list; True if it was there."""
    member = network_permissions.get_member(actor)
    if member is None:
        raise PermissionDenied
    deleted, _rows = CampaignContributor.objects.filter(campaign=campaign, member=member).delete()
    if deleted:
        _contributors_changed()
    return bool(deleted)


def _contributors_changed() -> None:
    # Public campaign pages are kept whole in the anonymous page cache; the list of names just changed.
    from network.page_cache import invalidate_anonymous_pages

    transaction.on_commit(invalidate_anonymous_pages)


# --- advocacy actions --------------------------------------------------------------------------------------

ADVOCACY_FIELDS = ("kind", "title", "description", "country", "place", "date", "people_reached")


def _check_advocacy_fields(fields: dict) -> None:
    if fields["date"] > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if fields["people_reached"] is None or fields["people_reached"] < 0:
        raise ValidationError({"people_reached": _("The number of people reached cannot be negative.")})


@transaction.atomic
def log_advocacy_action(*, actor: User, **fields) -> AdvocacyAction:
    """Record an advocacy action of the actor (an admitted member); it counts in the advocacy metrics."""
    permissions.check_can_log_advocacy(actor)
    _check_advocacy_fields(fields)
    return AdvocacyAction.objects.create(member=actor.member, **{name: fields[name] for name in ADVOCACY_FIELDS})


@transaction.atomic
def update_advocacy_action(action: AdvocacyAction, *, actor: User, **fields) -> AdvocacyAction:
    permissions.check_can_log_advocacy(actor)
    if action.member.user_id != actor.pk:
        raise PermissionDenied
    _check_advocacy_fields(fields)
    for name in ADVOCACY_FIELDS:
        setattr(action, name, fields[name])
    action.save()
    return action


@transaction.atomic
def delete_advocacy_action(action: AdvocacyAction, *, actor: User) -> None:
    if action.member.user_id != actor.pk:
        raise PermissionDenied
    action.delete()


# --- spotlight nominations ---------------------------------------------------------------------------------


def _featured_member_model():
    from django.apps import apps

    try:
        return apps.get_model("cms", "FeaturedMember")
    except LookupError:
        return None


def spotlight_available() -> bool:
    return _featured_member_model() is not None


@transaction.atomic
def nominate_for_spotlight(contributor: CampaignContributor, *, actor: User):
    """Create a draft featured-member entry for a listed contributor (once); returns (entry, created).

    The entry is a draft with a first revision, listed under "Draft" among the featured members in the
    admin: nothing reaches the public site until an editor reviews and publishes it, and even then only
    while her consent to be featured is on record. It carries only what the contributor already shows
    publicly (her name, and that she contributes to the campaign); her country and photo are private
    profile fields, left for the editor to add with her agreement. A member who already has an entry, in
    any language and whether draft or published, is not nominated twice.
    """
    if not network_permissions.can_nominate_for_spotlight(actor):
        raise PermissionDenied
    featured_member = _featured_member_model()
    if featured_member is None:
        raise PermissionDenied
    from wagtail.actions.create import CreateAction
    from wagtail.models import Locale

    member = contributor.member
    existing = featured_member.objects.filter(member=member).order_by("-live", "pk").first()
    if existing is not None:
        return existing, False
    entry = featured_member(
        member=member,
        name=member.display_name,
        citation=_("Contributor to the campaign “%(campaign)s”.") % {"campaign": contributor.campaign.title},
        locale=Locale.get_default(),
    )
    # Wagtail's own create action: saved as a draft (live=False) with its first revision and a "created"
    # entry in the snippet's history, as if the editor had saved a draft in the admin.
    entry = CreateAction(entry, user=actor, publish=False).execute(skip_permission_checks=True)
    return entry, True
