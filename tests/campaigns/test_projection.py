"""The projection of a campaign target: a pure function, tested with known cases (no database)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from campaigns.projection import DAYS_PER_MONTH, Status, fit_trend, progress_fraction, project

DEADLINE = date(2014, 12, 31)


def line(start: date, days: int, *, first: float, per_day: float, step: int = 1):
    return [(start + timedelta(days=offset), first + per_day * offset) for offset in range(0, days, step)]


def test_trend_of_points_on_a_line_is_that_line():
    trend = fit_trend(line(date(2014, 1, 1), 100, first=10, per_day=2))
    assert trend.slope_per_day == pytest.approx(2)
    assert trend.intercept == pytest.approx(10)
    assert trend.value_on(date(2014, 1, 11)) == pytest.approx(30)
    assert trend.per_month == pytest.approx(2 * DAYS_PER_MONTH)


def test_trend_is_the_least_squares_line_of_scattered_points():
    # x = 0, 1, 2, 3 and y = 1, 3, 2, 4: slope 0.8, intercept 1.3 (worked out by hand).
    start = date(2020, 1, 1)
    points = [(start + timedelta(days=x), y) for x, y in [(0, 1), (1, 3), (2, 2), (3, 4)]]
    trend = fit_trend(points)
    assert trend.slope_per_day == pytest.approx(0.8)
    assert trend.intercept == pytest.approx(1.3)


def test_trend_needs_two_distinct_days_and_keeps_the_last_value_of_a_day():
    day = date(2020, 1, 1)
    assert fit_trend([]) is None
    assert fit_trend([(day, 5)]) is None
    assert fit_trend([(day, 5), (day, 7)]) is None
    trend = fit_trend([(day, 5), (day, 7), (day + timedelta(days=1), 9)])
    assert trend.slope_per_day == pytest.approx(2)


def test_steady_growth_that_reaches_the_target_in_time_is_on_track():
    # 10 a day from 0 on 1 Jan 2014: about 3,640 by 31 December, target 2,014.
    points = line(date(2014, 1, 1), 100, first=0, per_day=10)
    projection = project(points, target=2014, baseline=0, deadline=DEADLINE, today=date(2014, 4, 10))
    assert projection.status == Status.ON_TRACK
    assert projection.projected == pytest.approx(10 * (DEADLINE - date(2014, 1, 1)).days)
    assert projection.current == pytest.approx(990)
    assert projection.remaining == pytest.approx(2014 - 990)


def test_slow_growth_is_behind_and_needs_the_remaining_divided_by_the_months_left():
    # 1 a day from 1,000; on 2 Oct 2014 (90 days to the deadline) the value is 1,100: 914 still needed.
    start = date(2014, 6, 24)
    points = line(start, 101, first=1000, per_day=1)
    today = start + timedelta(days=100)
    projection = project(points, target=2014, baseline=0, deadline=DEADLINE, today=today)
    assert projection.status == Status.BEHIND
    assert projection.remaining == pytest.approx(914)
    months_left = (DEADLINE - today).days / DAYS_PER_MONTH
    assert projection.months_left == pytest.approx(months_left)
    assert projection.needed_per_month == pytest.approx(914 / months_left)
    assert projection.projected < 2014


def test_exact_monthly_case_needs_100_per_month():
    # Three months of 30.436875 days left and 300 to go: 100 per month.
    deadline = date(2030, 1, 1) + timedelta(days=round(3 * DAYS_PER_MONTH))
    points = [(date(2029, 12, 1), 100), (date(2030, 1, 1), 200)]
    projection = project(points, target=500, baseline=0, deadline=deadline, today=date(2030, 1, 1))
    assert projection.needed_per_month == pytest.approx(300 / (round(3 * DAYS_PER_MONTH) / DAYS_PER_MONTH))
    assert round(projection.needed_per_month) == 100


def test_no_data_gives_no_data():
    projection = project([], target=100, baseline=0, deadline=DEADLINE, today=date(2014, 1, 1))
    assert projection.status == Status.NO_DATA
    assert projection.current is None
    assert projection.needed_per_month is None
    assert projection.fraction == 0


def test_one_value_gives_no_trend_but_the_monthly_need():
    projection = project([(date(2014, 6, 30), 14)], target=2014, baseline=0, deadline=DEADLINE, today=date(2014, 6, 30))
    assert projection.status == Status.NO_TREND
    assert projection.trend is None
    assert projection.needed_per_month == pytest.approx(2000 / ((DEADLINE - date(2014, 6, 30)).days / DAYS_PER_MONTH))


def test_values_after_today_are_ignored():
    points = [(date(2014, 1, 1), 10), (date(2014, 2, 1), 20), (date(2014, 3, 1), 5000)]
    projection = project(points, target=100, baseline=0, deadline=DEADLINE, today=date(2014, 2, 15))
    assert projection.current == 20


def test_reached_target_says_since_when_even_after_the_deadline():
    points = [(date(2014, 9, 1), 1990), (date(2014, 9, 30), 2030), (date(2014, 12, 31), 2110)]
    projection = project(points, target=2014, baseline=0, deadline=DEADLINE, today=date(2026, 1, 1))
    assert projection.status == Status.REACHED
    assert projection.reached_on == date(2014, 9, 30)
    assert projection.remaining == 0
    assert projection.needed_per_month is None
    assert projection.fraction == 1


def test_reached_date_is_the_start_of_the_latest_run_above_the_target():
    points = [(date(2014, 1, 1), 120), (date(2014, 2, 1), 90), (date(2014, 3, 1), 110)]
    projection = project(points, target=100, baseline=0, deadline=DEADLINE, today=date(2014, 3, 1))
    assert projection.reached_on == date(2014, 3, 1)


def test_deadline_passed_without_reaching_is_missed():
    points = line(date(2014, 1, 1), 365, first=0, per_day=5)
    projection = project(points, target=2014, baseline=0, deadline=DEADLINE, today=date(2015, 3, 1))
    assert projection.status == Status.MISSED
    assert projection.months_left == 0
    assert projection.needed_per_month is None
    assert projection.remaining == pytest.approx(2014 - 5 * 364)


def test_on_the_deadline_day_one_day_is_left():
    projection = project(
        [(date(2014, 12, 1), 0), (DEADLINE, 10)], target=40, baseline=0, deadline=DEADLINE, today=DEADLINE
    )
    assert projection.status == Status.BEHIND
    assert projection.needed_per_month == pytest.approx(30 * DAYS_PER_MONTH)


def test_target_below_baseline_is_reached_by_going_down():
    # From 100 vacancies down to 50: falling 1 a day from 100 reaches 50 in 50 days.
    start = date(2014, 1, 1)
    falling = line(start, 11, first=100, per_day=-1)
    projection = project(
        falling, target=50, baseline=100, deadline=start + timedelta(days=60), today=start + timedelta(days=10)
    )
    assert projection.status == Status.ON_TRACK
    assert projection.remaining == pytest.approx(40)
    assert projection.fraction == pytest.approx(10 / 50)
    flat = [(start, 100), (start + timedelta(days=10), 100)]
    behind = project(
        flat, target=50, baseline=100, deadline=start + timedelta(days=60), today=start + timedelta(days=10)
    )
    assert behind.status == Status.BEHIND
    reached = project([(start, 40)], target=50, baseline=100, deadline=start + timedelta(days=60), today=start)
    assert reached.status == Status.REACHED


def test_progress_fraction_is_the_share_of_the_way_from_the_baseline():
    assert progress_fraction(1234, target=2014, baseline=0) == pytest.approx(1234 / 2014)
    assert progress_fraction(Decimal("10"), target=20, baseline=7) == pytest.approx(3 / 13)
    assert progress_fraction(5, target=20, baseline=7) == 0  # below the baseline
    assert progress_fraction(25, target=20, baseline=7) == 1
    assert progress_fraction(None, target=20, baseline=7) == 0
    assert progress_fraction(3, target=3, baseline=3) == 1


def test_decimal_values_are_accepted():
    points = [(date(2014, 1, 1), Decimal("7.0")), (date(2015, 1, 1), Decimal("7.4"))]
    projection = project(points, target=Decimal("20"), baseline=Decimal("7"), deadline=DEADLINE, today=date(2015, 6, 1))
    assert projection.status == Status.MISSED
    assert projection.current == pytest.approx(7.4)
