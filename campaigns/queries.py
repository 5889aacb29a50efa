"""Reads for the campaign pages: campaigns a visitor may see, their targets' histories and contributors."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext

from campaigns.choices import MetricSource
from campaigns.models import Campaign, ProgressSnapshot, RecordedValue, StatisticPoint
from campaigns.permissions import filter_campaigns_for_user


@dataclass
class TargetHistory:
    """A target's dated values (snapshots, recorded values or statistic points) and its latest breakdown."""

    points: list[tuple[datetime.date, Decimal]] = field(default_factory=list)
    breakdown: dict = field(default_factory=dict)
    breakdown_date: datetime.date | None = None


def get_campaign(slug: str):
    return Campaign.objects.get(slug=slug)


def list_campaigns_for_user(user):
    return filter_campaigns_for_user(user, Campaign.objects.all()).order_by("-deadline", "title")


def list_campaign_targets(campaign) -> list:
    """The campaign's targets in order, each with `campaign` (and its statistic series) attached."""
    targets = list(campaign.targets.select_related("statistic_series").order_by("sort_order", "pk"))
    for target in targets:
        target.campaign = campaign
    return targets


def load_target_histories(targets) -> dict[int, TargetHistory]:
    """Every value of the targets with one query per kind of source (plus one for the latest breakdowns).

    Computed targets read their daily snapshots, recorded targets their recorded values, statistic targets
    their series' points (dated 1 January of their year, when they start to apply).
    """
    histories = {target.pk: TargetHistory() for target in targets}
    by_source: dict[str, list] = {}
    for target in targets:
        by_source.setdefault(target.source, []).append(target)

    computed = by_source.get(MetricSource.COMPUTED, [])
    if computed:
        today = timezone.localdate()
        last_day = {target.pk: min(target.campaign.deadline, today) for target in computed}
        latest: dict[int, tuple[datetime.date, int]] = {}
        rows = (
            ProgressSnapshot.objects.filter(target__in=[target.pk for target in computed])
            .order_by("target_id", "date")
            .values_list("target_id", "date", "value", "pk")
        )
        for target_id, day, value, pk in rows:
            histories[target_id].points.append((day, value))
            if day <= last_day[target_id]:
                latest[target_id] = (day, pk)
        if latest:
            breakdowns = ProgressSnapshot.objects.filter(pk__in=[pk for _day, pk in latest.values()]).order_by()
            for target_id, day, breakdown in breakdowns.values_list("target_id", "date", "breakdown"):
                histories[target_id].breakdown = breakdown or {}
                histories[target_id].breakdown_date = day

    recorded = by_source.get(MetricSource.RECORDED, [])
    if recorded:
        rows = RecordedValue.objects.filter(target__in=[target.pk for target in recorded]).order_by("target_id", "date")
        for target_id, day, value in rows.values_list("target_id", "date", "value"):
            histories[target_id].points.append((day, value))

    statistic = [target for target in by_source.get(MetricSource.STATISTIC, []) if target.statistic_series_id]
    if statistic:
        series_points: dict[int, list] = {}
        rows = StatisticPoint.objects.filter(series__in={target.statistic_series_id for target in statistic})
        for series_id, year, value in rows.order_by("series_id", "year").values_list("series_id", "year", "value"):
            series_points.setdefault(series_id, []).append((datetime.date(year, 1, 1), value))
        for target in statistic:
            histories[target.pk].points = list(series_points.get(target.statistic_series_id, []))
    return histories


def list_target_history_rows(target) -> tuple[list[str], list[tuple]]:
    """Header and rows of a target's CSV history: what its source holds, oldest first."""
    if target.source == MetricSource.RECORDED:
        rows = target.recorded_values.order_by("date").values_list("date", "value", "note")
        return ["date", "value", "note"], list(rows)
    if target.source == MetricSource.STATISTIC:
        if not target.statistic_series_id:
            return ["year", "value"], []
        return ["year", "value"], list(target.statistic_series.points.order_by("year").values_list("year", "value"))
    return ["date", "value"], list(target.snapshots.order_by("date").values_list("date", "value"))


@dataclass(frozen=True)
class ContributorEntry:
    pk: int
    member_id: int
    name: str


def list_campaign_contributors(campaign) -> list[ContributorEntry]:
    """Members listed as contributors (names only), in the order they joined; closed accounts left out."""
    rows = (
        campaign.contributors.filter(member__user__is_active=True)
        .exclude(member__category="")
        .order_by("joined_at", "pk")
        .values_list("pk", "member_id", "member__user__first_name", "member__user__last_name")
    )
    # The name as Member.display_name gives it, without loading whole members and users.
    return [
        ContributorEntry(pk, member_id, f"{first} {last}".strip() or gettext("Member"))
        for pk, member_id, first, last in rows
    ]


def list_advocacy_actions_for_member(member):
    return member.advocacy_actions.order_by("-date", "-pk")


def count_advocacy_actions_for_member(member) -> int:
    return member.advocacy_actions.count()


# --- the member's own data (added to the data export by apps.py) ---


def export_advocacy_actions(member) -> list[dict]:
    return [
        {
            "kind": action.kind,
            "title": action.title,
            "description": action.description,
            "country": action.country.code or "",
            "place": action.place,
            "date": action.date,
            "people_reached": action.people_reached,
            "created_at": action.created_at,
        }
        for action in member.advocacy_actions.order_by("date", "pk")
    ]


def export_campaigns_contributed_to(member) -> list[str]:
    return [str(contribution.campaign) for contribution in member.campaigns_contributed.select_related("campaign")]
