"""What a target's progress looks like on a page: value, bar, status sentence, chart, table and breakdowns.

Building it reads the target's whole history (three years of daily snapshots are ~1,100 rows) and draws an
SVG, so the result is cached per target, per day and per language. Every change to what a target shows
(a snapshot, a recorded value, a statistic point, the target or its campaign) moves the target's version
number, which is part of the cache key: the next page view rebuilds it. Versions are unique timestamps,
never counters, so a version lost from the cache can never bring back an old entry.
"""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from campaigns import charts, metrics, queries
from campaigns.choices import AdvocacyKind, MetricSource, TargetUnit
from campaigns.projection import Projection, Status, project
from network.choices import MemberCategory

VERSION_KEY = "campaign-target:{id}:version"
PROGRESS_KEY = "campaign-target:{id}:{version}:{day}:{language}"
PROGRESS_TIMEOUT = 26 * 3600
TOP_COUNTRIES = 12

BREAKDOWN_TITLES = {
    "category": lambda: _("By member category"),
    "country": lambda: _("By country"),
    "state": lambda: _("By membership state"),
    "kind": lambda: _("By kind of action"),
}


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    count: int
    percent: int

    @property
    def count_text(self) -> str:
        return charts.format_number(self.count)


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    title: str
    rows: list[BreakdownRow]


@dataclass(frozen=True)
class TargetProgress:
    """Everything a page shows about one target, ready to render (and to cache)."""

    target_id: int
    campaign_slug: str
    title: str
    unit: str
    source: str
    projection: Projection
    current_text: str
    target_text: str
    baseline_text: str
    percent: int
    bar_text: str
    status_text: str
    chart: str
    table: str
    breakdowns: list[Breakdown] = field(default_factory=list)
    breakdown_date: datetime.date | None = None
    points_count: int = 0
    # "31 Dec. 2014", or the year alone for a yearly statistic series.
    current_date_text: str = ""
    # The target's whole section of the campaign page, rendered once with the rest (the page's main cost).
    section: str = ""

    @property
    def status(self) -> str:
        return self.projection.status

    @property
    def current(self) -> float | None:
        return self.projection.current

    @property
    def trend_text(self) -> str:
        trend = self.projection.trend
        return charts.signed(trend.per_month, self.unit) if trend else ""

    @property
    def projected_text(self) -> str:
        projected = self.projection.projected
        return charts.format_value(max(projected, 0), self.unit) if projected is not None else ""

    @property
    def needed_text(self) -> str:
        needed = self.projection.needed_per_month
        return charts.format_value(needed, self.unit, decimals=0 if needed >= 10 else 1) if needed is not None else ""


# --- cache versions ----------------------------------------------------------------------------------------


def invalidate_target_progress(target_ids: Iterable[int], *, pages: bool = True) -> None:
    """Forget what the targets show (and the anonymous page cache, since the home page shows progress)."""
    versions = {VERSION_KEY.format(id=target_id): time.time_ns() for target_id in set(target_ids)}
    if versions:
        cache.set_many(versions, timeout=None)
    if pages:
        from network.page_cache import invalidate_anonymous_pages

        invalidate_anonymous_pages()


def _versions(target_ids: Sequence[int]) -> dict[int, int]:
    keys = {target_id: VERSION_KEY.format(id=target_id) for target_id in target_ids}
    found = cache.get_many(keys.values())
    versions = {}
    for target_id, key in keys.items():
        if key not in found:
            # add() rather than set(): a concurrent request may have created it a moment ago.
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
        versions[target_id] = found[key]
    return versions


CAMPAIGNS_VERSION_KEY = "campaign-pages:version"
CAMPAIGN_KEY = "campaign-pages:{version}:{slug}"


def invalidate_campaigns() -> None:
    """Forget every cached campaign with its targets (any campaign or target was saved or deleted)."""
    cache.set(CAMPAIGNS_VERSION_KEY, time.time_ns(), timeout=None)


def get_campaign_with_targets(slug: str):
    """(campaign, targets in order with `campaign` attached) from the cache or two queries; raises
    Campaign.DoesNotExist. Campaigns and targets change rarely, and every change forgets them all."""
    version = cache.get(CAMPAIGNS_VERSION_KEY)
    if version is None:
        cache.add(CAMPAIGNS_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(CAMPAIGNS_VERSION_KEY)
    key = CAMPAIGN_KEY.format(version=version, slug=slug)
    found = cache.get(key)
    if found is None:
        campaign = queries.get_campaign(slug)
        found = (campaign, queries.list_campaign_targets(campaign))
        cache.set(key, found, timeout=PROGRESS_TIMEOUT)
    return found


def get_target_progress(targets: Sequence, *, today: datetime.date | None = None) -> dict[int, TargetProgress]:
    """Progress of each target (with `campaign` loaded), from the cache or built with a few queries for all."""
    if not targets:
        return {}
    today = today or timezone.localdate()
    language = translation.get_language() or "en"
    versions = _versions([target.pk for target in targets])
    keys = {
        target.pk: PROGRESS_KEY.format(id=target.pk, version=versions[target.pk], day=today, language=language)
        for target in targets
    }
    found = cache.get_many(keys.values())
    progress = {target_id: found[key] for target_id, key in keys.items() if key in found}
    missing = [target for target in targets if target.pk not in progress]
    if missing:
        histories = queries.load_target_histories(missing)
        built = {target.pk: build_target_progress(target, histories[target.pk], today=today) for target in missing}
        cache.set_many({keys[target_id]: item for target_id, item in built.items()}, timeout=PROGRESS_TIMEOUT)
        progress.update(built)
    return progress


# --- building ----------------------------------------------------------------------------------------------


def chart_window(points: Sequence[tuple[datetime.date, Decimal]], start: datetime.date, deadline: datetime.date):
    """The values inside the campaign, plus the latest one before it began (the starting value)."""
    before = [point for point in points if point[0] < start]
    inside = [point for point in points if start <= point[0] <= deadline]
    return before[-1:] + inside


def build_target_progress(target, history: queries.TargetHistory, *, today: datetime.date) -> TargetProgress:
    campaign = target.campaign
    unit = target.unit
    points = chart_window(history.points, campaign.start_date, campaign.deadline)
    projection = project(
        points, target=target.target_value, baseline=target.baseline, deadline=campaign.deadline, today=today
    )
    shown = [(day, float(value)) for day, value in points if day <= today]
    noun = metrics.noun_for(target)
    current_text = charts.format_value(projection.current, unit)
    target_text = charts.format_value(target.target_value, unit)
    percent = round(projection.fraction * 100)
    chart = charts.progress_chart(
        chart_id=f"target-{target.pk}-chart",
        title=target.local_title,
        points=shown,
        start=campaign.start_date,
        deadline=campaign.deadline,
        target=target.target_value,
        baseline=target.baseline,
        unit=unit,
        projection=projection,
    )
    yearly = target.source == MetricSource.STATISTIC
    table_points = charts.month_end_points(shown) if len(shown) > 60 else shown

    def day_text(day: datetime.date) -> str:
        return str(day.year) if yearly else charts.format_day(day)

    table = charts.data_table(
        caption=_("%(title)s: values by date") % {"title": target.local_title},
        headers=[_("Year") if yearly else _("Date"), _("Value")],
        rows=[(day_text(day), charts.format_value(value, unit)) for day, value in table_points],
        table_id=f"target-{target.pk}-table",
    )
    progress = TargetProgress(
        target_id=target.pk,
        campaign_slug=campaign.slug,
        title=target.local_title,
        unit=unit,
        source=target.source,
        projection=projection,
        current_text=current_text,
        target_text=target_text,
        baseline_text=charts.format_value(target.baseline, unit),
        percent=percent,
        bar_text=bar_text(projection, current_text, target_text, percent, noun, unit),
        status_text=status_text(projection, unit, current_text, target_text),
        chart=chart,
        table=table,
        breakdowns=build_breakdowns(history.breakdown),
        breakdown_date=history.breakdown_date,
        points_count=len(shown),
        current_date_text=day_text(projection.current_date) if projection.current_date else "",
    )
    section = render_to_string("campaigns/_target_section.html", {"progress": progress})
    return dataclasses.replace(progress, section=mark_safe(section))  # noqa: S308 -- a rendered template


def bar_text(projection: Projection, current: str, target: str, percent: int, noun: str, unit: str) -> str:
    """ "1,234 of 2,014 members (61 %)"; with a baseline, the share is of the way from the baseline."""
    if projection.current is None:
        return _("No value yet; target %(target)s") % {"target": target}
    if noun and unit != TargetUnit.PERCENT:
        text = _("%(current)s of %(target)s %(noun)s (%(percent)s %%)")
    else:
        text = _("%(current)s of %(target)s (%(percent)s %%)")
    if projection.baseline:
        text = _("%(current)s of %(target)s (%(percent)s %% of the way from %(baseline)s)")
    return text % {
        "current": current,
        "target": target,
        "noun": noun,
        "percent": percent,
        "baseline": charts.format_value(projection.baseline, unit),
    }


def status_text(projection: Projection, unit: str, current: str, target: str) -> str:
    """The projection as one sentence: reached / on track / behind: needs N per month / missed."""
    deadline = charts.format_day(projection.deadline)
    status = projection.status
    if status == Status.NO_DATA:
        return _("No values yet.")
    if status == Status.REACHED:
        if projection.reached_on:
            return _("Target reached on %(date)s.") % {"date": charts.format_day(projection.reached_on)}
        return _("Target reached.")
    if status == Status.MISSED:
        # Said calmly: a campaign that ended short of a target is a result to report, not an alarm.
        return _("Ended on %(deadline)s at %(current)s of %(target)s.") % {
            "current": current,
            "target": target,
            "deadline": deadline,
        }
    needed = projection.needed_per_month
    needed_text = charts.format_value(needed, unit, decimals=0 if needed >= 10 else 1)
    if status == Status.NO_TREND:
        return _("Needs %(needed)s per month to reach the target by %(deadline)s (one value so far: no trend yet).") % {
            "needed": needed_text,
            "deadline": deadline,
        }
    trend = charts.signed(projection.trend.per_month, unit)
    projected = charts.format_value(max(projection.projected, 0), unit)
    if status == Status.ON_TRACK:
        return _("On track: at the current trend (%(trend)s per month) about %(projected)s by %(deadline)s.") % {
            "trend": trend,
            "projected": projected,
            "deadline": deadline,
        }
    return _("Behind: needs %(needed)s per month to reach the target by %(deadline)s (trend: %(trend)s per month).") % {
        "needed": needed_text,
        "deadline": deadline,
        "trend": trend,
    }


def _dimension_label(dimension: str, key: str) -> str:
    if dimension == "category":
        return str(MemberCategory(key).label) if key in MemberCategory.values else _("Not admitted")
    if dimension == "country":
        return (countries.name(key) if key else "") or _("Country not given")
    if dimension == "kind":
        return str(AdvocacyKind(key).label) if key in AdvocacyKind.values else key
    if dimension == "state":
        return {"current": _("Membership current"), "lapsed": _("Membership lapsed")}.get(key, key)
    return key


def build_breakdowns(breakdown: dict) -> list[Breakdown]:
    result = []
    for dimension in ("category", "kind", "state", "country"):
        counts = breakdown.get(dimension) or {}
        total = sum(counts.values())
        if not total:
            continue
        # Largest first; "country not given" and the like last, on a row of their own.
        unknown = counts.get("", 0)
        ordered = sorted(
            ((key, count) for key, count in counts.items() if key),
            key=lambda item: (-item[1], _dimension_label(dimension, item[0])),
        )
        others = ordered[TOP_COUNTRIES:] if dimension == "country" and len(ordered) > TOP_COUNTRIES + 1 else []
        if others:
            ordered = ordered[:TOP_COUNTRIES]
        rows = [_row(_dimension_label(dimension, key), count, total) for key, count in ordered]
        if others:
            label = ngettext("%(count)s other country", "%(count)s other countries", len(others))
            rows.append(_row(label % {"count": len(others)}, sum(count for _key, count in others), total))
        if unknown:
            rows.append(_row(_dimension_label(dimension, ""), unknown, total))
        result.append(Breakdown(dimension=dimension, title=BREAKDOWN_TITLES[dimension](), rows=rows))
    return result


def _row(label: str, count: int, total: int) -> BreakdownRow:
    return BreakdownRow(label=label, count=int(count), percent=round(100 * count / total) if total else 0)


def source_label(target) -> str:
    if target.source == MetricSource.COMPUTED:
        try:
            return str(metrics.get_metric(target.metric).label)
        except metrics.UnknownMetric:
            return target.metric
    if target.source == MetricSource.STATISTIC and target.statistic_series_id:
        return str(target.statistic_series)
    return str(MetricSource(target.source).label)
