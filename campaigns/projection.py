"""Trend and projection of a campaign target: pure functions, no database, no Django.

From the dated values of a target (snapshots, recorded values or a statistic series) this fits a
least-squares trend line, extends it to the deadline and says where the target stands:

- "reached"   the latest value meets the target (at any time, before or after the deadline);
- "missed"    the deadline has passed and the target was not met;
- "on track"  the trend reaches the target by the deadline;
- "behind"    it does not: the target needs N per month from now on (N = remaining / months left);
- "no trend"  only one dated value so far: no trend yet, but N per month is still known;
- "no data"   nothing recorded yet.

A target may also go down (a target below its baseline, e.g. "fewer than 50 vacancies"): "reaching" then
means falling to the target or below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

# The mean Gregorian month, so "per month" does not depend on which months lie ahead.
DAYS_PER_MONTH = 365.2425 / 12

Number = int | float | Decimal


class Status(StrEnum):
    NO_DATA = "no_data"
    NO_TREND = "no_trend"
    REACHED = "reached"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MISSED = "missed"


@dataclass(frozen=True)
class Trend:
    """The least-squares line value = intercept + slope_per_day × (days since origin)."""

    origin: date
    intercept: float
    slope_per_day: float

    def value_on(self, day: date) -> float:
        return self.intercept + self.slope_per_day * (day - self.origin).days

    @property
    def per_month(self) -> float:
        return self.slope_per_day * DAYS_PER_MONTH


@dataclass(frozen=True)
class Projection:
    status: Status
    as_of: date
    deadline: date
    target: float
    baseline: float
    current: float | None = None
    current_date: date | None = None
    trend: Trend | None = None
    # The trend's value at the deadline (None without a trend).
    projected: float | None = None
    # How far the latest value is from the target, in the target's direction (0 once reached).
    remaining: float = 0.0
    # Months from `as_of` to the deadline (0 once it has passed).
    months_left: float = 0.0
    # What the target needs per month from now on; None when reached, missed or without data.
    needed_per_month: float | None = None
    # The first dated value that met the target, when it has been reached.
    reached_on: date | None = None

    @property
    def rising(self) -> bool:
        return self.target >= self.baseline

    @property
    def fraction(self) -> float:
        """How far along from baseline to target, between 0 and 1."""
        return progress_fraction(self.current, target=self.target, baseline=self.baseline)


def progress_fraction(current: Number | None, *, target: Number, baseline: Number) -> float:
    """Share of the way from baseline to target (0–1); a target equal to its baseline is all or nothing."""
    if current is None:
        return 0.0
    current, target, baseline = float(current), float(target), float(baseline)
    if target == baseline:
        return 1.0 if meets_target(current, target=target, baseline=baseline) else 0.0
    return min(max((current - baseline) / (target - baseline), 0.0), 1.0)


def meets_target(value: float, *, target: float, baseline: float) -> bool:
    return value >= target if target >= baseline else value <= target


def clean_points(points: Iterable[tuple[date, Number]]) -> list[tuple[date, float]]:
    """Sort by date and keep the last value given for each day."""
    by_day: dict[date, float] = {}
    for day, value in sorted(points, key=lambda point: point[0]):
        by_day[day] = float(value)
    return sorted(by_day.items())


def fit_trend(points: Iterable[tuple[date, Number]]) -> Trend | None:
    """Ordinary least squares of value on days; None with fewer than two distinct days."""
    cleaned = clean_points(points)
    if len(cleaned) < 2:
        return None
    origin = cleaned[0][0]
    xs = [(day - origin).days for day, _value in cleaned]
    ys = [value for _day, value in cleaned]
    count = len(xs)
    mean_x = sum(xs) / count
    mean_y = sum(ys) / count
    # Centred sums keep the arithmetic stable for thousands of daily values.
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    return Trend(origin=origin, intercept=mean_y - slope * mean_x, slope_per_day=slope)


def project(
    points: Iterable[tuple[date, Number]],
    *,
    target: Number,
    baseline: Number,
    deadline: date,
    today: date,
) -> Projection:
    """Where a target stands on `today`, from its dated values up to that day."""
    target, baseline = float(target), float(baseline)
    cleaned = [(day, value) for day, value in clean_points(points) if day <= today]
    days_left = max((deadline - today).days, 0)
    months_left = days_left / DAYS_PER_MONTH
    common = {"as_of": today, "deadline": deadline, "target": target, "baseline": baseline}
    if not cleaned:
        return Projection(Status.NO_DATA, months_left=months_left, **common)

    current_date, current = cleaned[-1]
    rising = target >= baseline
    remaining = max(target - current, 0.0) if rising else max(current - target, 0.0)
    trend = fit_trend(cleaned)
    projected = trend.value_on(deadline) if trend else None
    common.update(current=current, current_date=current_date, trend=trend, projected=projected, months_left=months_left)

    if meets_target(current, target=target, baseline=baseline):
        # The start of the latest unbroken run of values meeting the target (it may have dipped before).
        reached_on = None
        for day, value in cleaned:
            if not meets_target(value, target=target, baseline=baseline):
                reached_on = None
            elif reached_on is None:
                reached_on = day
        return Projection(Status.REACHED, remaining=0.0, reached_on=reached_on, **common)
    if today > deadline:
        return Projection(Status.MISSED, remaining=remaining, **common)

    # On the deadline day itself there is still that day: count at least one day.
    needed = remaining / max(months_left, 1 / DAYS_PER_MONTH)
    if trend is None:
        return Projection(Status.NO_TREND, remaining=remaining, needed_per_month=needed, **common)
    on_track = meets_target(projected, target=target, baseline=baseline)
    return Projection(
        Status.ON_TRACK if on_track else Status.BEHIND, remaining=remaining, needed_per_month=needed, **common
    )
