"""Campaign metrics: the value of a target on a given day.

Computed metrics are plain functions registered by name with `@metric`; a target whose source is
"computed" names one in `Target.metric`. Each takes a day and returns the value *as of the end of that
day* (a `Decimal`, or a `MetricValue` with a breakdown such as members by category and country).
A new metric (mentoring pairs, training participants…) is one decorated function plus one test: membership
metrics live here; an app that owns other data (mentoring, events) decorates its function in its own module,
imported from its AppConfig.ready(), so campaigns never imports that app.

As-of semantics, chosen so that a past day can be recomputed (for backfills) from the data kept today:

- Members: a member's category on a day is the `to_category` of their latest `CategoryChange` made
  before that day ended. Members with no category history at all (admitted before category changes were
  recorded, by the demo or by an import) count from `Member.created_at` with their current category.
  A member is "current" on a day when their membership had not expired (`membership_expires_on` empty or
  on/after the day); only the latest expiry date is kept, so a renewal after a lapse counts as current
  throughout. Deleted accounts disappear from recomputed history (stored snapshots keep them).
- Community of Practice: a request approved before the day ended (`decided_at`), not ended by then
  (`ended_at`), and whose review date had not passed.
- Advocacy actions: actions dated on or before the day (cumulative since the beginning; a campaign that
  counts from its start sets the target's baseline to the value on its first day).

Recorded targets take the latest `RecordedValue` dated on or before the day; statistic targets the latest
`StatisticPoint` whose year is not after the day's year.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from campaigns.choices import MetricSource
from network.choices import CommunityAccessState, MemberCategory

NETWORK_CATEGORIES = (MemberCategory.ACTIVE, MemberCategory.CIVILIAN, MemberCategory.HONORARY)


@dataclass(frozen=True)
class MetricValue:
    value: Decimal
    # {"category": {"active": 12, …}, "country": {"SN": 4, "": 1}, …}: counts per dimension.
    breakdown: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Metric:
    name: str
    label: str | Promise
    function: Callable[[datetime.date], Decimal | MetricValue]
    # What is counted, for sentences such as "1,234 of 2,014 members" (empty: no noun).
    noun: str | Promise = ""

    def value_on(self, day: datetime.date) -> MetricValue:
        result = self.function(day)
        return result if isinstance(result, MetricValue) else MetricValue(Decimal(result))


class UnknownMetric(LookupError):
    pass


_registry: dict[str, Metric] = {}


def metric(name: str, *, label: str | Promise, noun: str | Promise = ""):
    """Register a function `day -> Decimal | MetricValue` as the computed metric `name`."""

    def register(function: Callable[[datetime.date], Decimal | MetricValue]):
        if name in _registry:
            raise ValueError(f"A metric named {name!r} is already registered.")
        if len(name) > 60:
            raise ValueError(f"Metric names are stored in Target.metric (60 characters at most): {name!r}")
        _registry[name] = Metric(name=name, label=label, function=function, noun=noun)
        return function

    return register


def get_metric(name: str) -> Metric:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownMetric(name) from None


def registered_metrics() -> list[Metric]:
    return list(_registry.values())


def metric_choices() -> list[tuple[str, str]]:
    return [(entry.name, str(entry.label)) for entry in _registry.values()]


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` in the site's time zone: "as of the end of the day" is `< end_of_day`."""
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, timezone.get_current_timezone()
    )


# --- members ---------------------------------------------------------------------------------------------


def members_as_of(day: datetime.date) -> list:
    """Querysets of the members admitted on `day`, annotated with `category_then` and `current_then`.

    Most members' category has not changed since the day: for them it is their current category, read
    without history. Only members with a category change after the day have their latest change before it
    looked up, so a recent day (the daily snapshot of yesterday) costs about as little as today.
    """
    from network.models import CategoryChange, Member

    current = Case(
        When(Q(membership_expires_on__isnull=True) | Q(membership_expires_on__gte=day), then=Value("current")),
        default=Value("lapsed"),
        output_field=CharField(),
    )
    if day >= timezone.localdate():
        # Today (or later) the latest category change is the current category: no history needed.
        return [Member.objects.exclude(category="").annotate(category_then=F("category"), current_then=current)]
    end = end_of_day(day)
    changed_since = CategoryChange.objects.filter(created_at__gte=end).values("member_id")
    # No change since the day, and admitted by then (a change before it, or for members without any
    # history, a profile created before it): the category then is the category now.
    changed_before = CategoryChange.objects.filter(created_at__lt=end).values("member_id")
    unchanged = (
        Member.objects.filter(Q(created_at__lt=end) | Q(pk__in=changed_before))
        .exclude(category="")
        .exclude(pk__in=changed_since)
        .annotate(category_then=F("category"), current_then=current)
    )
    latest_before = (
        CategoryChange.objects.filter(member=OuterRef("pk"), created_at__lt=end)
        .order_by("-created_at", "-pk")
        .values("to_category")[:1]
    )
    changed = (
        Member.objects.filter(pk__in=changed_since)
        .annotate(category_then=Coalesce(Subquery(latest_before), Value("")), current_then=current)
        .exclude(category_then="")
    )
    return [unchanged, changed]


def count_members(day: datetime.date, *, categories: Iterable[str], current_only: bool = False) -> MetricValue:
    by_category, by_country, by_state = Counter(), Counter(), Counter()
    for members in members_as_of(day):
        members = members.filter(category_then__in=list(categories))
        if current_only:
            members = members.filter(current_then="current")
        rows = members.values("category_then", "country", "current_then").annotate(count=Count("pk")).order_by()
        for row in rows:
            by_category[row["category_then"]] += row["count"]
            by_country[row["country"] or ""] += row["count"]
            by_state[row["current_then"]] += row["count"]
    breakdown = {"category": dict(by_category), "country": dict(by_country), "state": dict(by_state)}
    return MetricValue(Decimal(sum(by_category.values())), breakdown)


@metric("members_total", label=_("Members (all four categories)"), noun=_("members"))
def members_total(day: datetime.date) -> MetricValue:
    return count_members(day, categories=MemberCategory.values)


@metric("members_current", label=_("Members whose membership has not lapsed"), noun=_("members"))
def members_current(day: datetime.date) -> MetricValue:
    return count_members(day, categories=MemberCategory.values, current_only=True)


@metric("members_network", label=_("Network members (active, civilian, honorary)"), noun=_("members"))
def members_network(day: datetime.date) -> MetricValue:
    return count_members(day, categories=NETWORK_CATEGORIES)


@metric("members_active", label=_("Active members (serving police officers)"), noun=_("members"))
def members_active(day: datetime.date) -> MetricValue:
    return count_members(day, categories=[MemberCategory.ACTIVE])


@metric("members_civilian", label=_("Civilian members"), noun=_("members"))
def members_civilian(day: datetime.date) -> MetricValue:
    return count_members(day, categories=[MemberCategory.CIVILIAN])


@metric("members_honorary", label=_("Honorary members"), noun=_("members"))
def members_honorary(day: datetime.date) -> MetricValue:
    return count_members(day, categories=[MemberCategory.HONORARY])


@metric("members_observer", label=_("Observer members"), noun=_("members"))
def members_observer(day: datetime.date) -> MetricValue:
    return count_members(day, categories=[MemberCategory.OBSERVER])


# --- Community of Practice ---------------------------------------------------------------------------------


@metric("community_members", label=_("Community of Practice members"), noun=_("members"))
def community_members(day: datetime.date) -> MetricValue:
    from network.models import CommunityAccessRequest

    end = end_of_day(day)
    # Lapsed and revoked requests were approved once: they count for the days before they ended.
    once_approved = (CommunityAccessState.APPROVED, CommunityAccessState.LAPSED, CommunityAccessState.REVOKED)
    rows = (
        CommunityAccessRequest.objects.filter(state__in=once_approved, decided_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=end))
        .filter(Q(review_on__isnull=True) | Q(review_on__gt=day))
        .values("member_id", "member__category", "member__country")
        .distinct()
    )
    by_category, by_country = Counter(), Counter()
    for row in rows:
        by_category[row["member__category"]] += 1
        by_country[row["member__country"] or ""] += 1
    return MetricValue(Decimal(sum(by_category.values())), {"category": dict(by_category), "country": dict(by_country)})


# --- advocacy ----------------------------------------------------------------------------------------------


def _advocacy_breakdown(day: datetime.date, measure) -> MetricValue:
    from campaigns.models import AdvocacyAction

    rows = AdvocacyAction.objects.filter(date__lte=day).values("kind", "country").annotate(amount=measure).order_by()
    by_kind, by_country = Counter(), Counter()
    for row in rows:
        by_kind[row["kind"]] += row["amount"] or 0
        by_country[row["country"] or ""] += row["amount"] or 0
    return MetricValue(Decimal(sum(by_kind.values())), {"kind": dict(by_kind), "country": dict(by_country)})


@metric("advocacy_actions", label=_("Advocacy actions logged by members"), noun=_("actions"))
def advocacy_actions(day: datetime.date) -> MetricValue:
    return _advocacy_breakdown(day, Count("pk"))


@metric("advocacy_people_reached", label=_("People reached by members' advocacy"), noun=_("people"))
def advocacy_people_reached(day: datetime.date) -> MetricValue:
    return _advocacy_breakdown(day, Sum("people_reached"))


# --- targets -----------------------------------------------------------------------------------------------


def value_on(target, day: datetime.date) -> MetricValue | None:
    """The target's value as of the end of `day`; None when its source has nothing up to that day."""
    if target.source == MetricSource.COMPUTED:
        return get_metric(target.metric).value_on(day)
    return values_between(target, [day]).get(day)


def current_value(target) -> MetricValue | None:
    return value_on(target, timezone.localdate())


def values_between(target, days: Iterable[datetime.date]) -> dict[datetime.date, MetricValue]:
    """Values of one target on many days, with one query for recorded and statistic sources."""
    days = sorted(set(days))
    if not days:
        return {}
    if target.source == MetricSource.COMPUTED:
        entry = get_metric(target.metric)
        return {day: entry.value_on(day) for day in days}
    if target.source == MetricSource.RECORDED:
        dated = list(target.recorded_values.filter(date__lte=days[-1]).order_by("date").values_list("date", "value"))
    elif target.source == MetricSource.STATISTIC and target.statistic_series_id:
        points = target.statistic_series.points.filter(year__lte=days[-1].year).order_by("year")
        dated = [(datetime.date(year, 1, 1), value) for year, value in points.values_list("year", "value")]
    else:
        return {}
    values: dict[datetime.date, MetricValue] = {}
    index, latest = 0, None
    for day in days:
        while index < len(dated) and dated[index][0] <= day:
            latest = dated[index][1]
            index += 1
        if latest is not None:
            values[day] = MetricValue(latest)
    return values


def noun_for(target) -> str:
    if target.source == MetricSource.COMPUTED:
        try:
            return str(get_metric(target.metric).noun)
        except UnknownMetric:
            return ""
    return ""
