"""Weekly availability as time ranges in the member's time zone, compared in UTC (no database)."""

import datetime

import pytest

from mentoring.matching import (
    Person,
    Rules,
    local_hours_to_ranges,
    local_hours_to_utc_mask,
    mask_to_hours,
    ranges_to_local_hours,
    score_cohort,
)

# A Monday in winter; the zones below keep the same offset all year.
WEEK = datetime.date(2026, 12, 7)
SUNDAY = 6


def utc_hours(ranges, zone) -> list[int]:
    """The UTC hours of the week (0 = Monday 00:00 UTC) that the ranges typed in `zone` cover."""
    return mask_to_hours(local_hours_to_utc_mask(ranges_to_local_hours(ranges), zone, WEEK))


def shared_hours(mentee_ranges, mentee_zone, mentor_ranges, mentor_zone) -> int:
    mentee = Person(
        id=1,
        person=1,
        languages=frozenset({"fr"}),
        availability=local_hours_to_utc_mask(ranges_to_local_hours(mentee_ranges), mentee_zone, WEEK),
    )
    mentor = Person(
        id=2,
        person=2,
        languages=frozenset({"fr"}),
        availability=local_hours_to_utc_mask(ranges_to_local_hours(mentor_ranges), mentor_zone, WEEK),
    )
    return int(score_cohort([mentee], [mentor], Rules(min_overlap_hours=1)).overlap_hours[0, 0])


def test_two_ranges_on_one_day_cover_both():
    assert ranges_to_local_hours([(0, 7, 9), (0, 19, 21)]) == [(0, 7), (0, 8), (0, 19), (0, 20)]


def test_range_past_midnight_runs_into_the_next_day_and_sunday_into_monday():
    assert ranges_to_local_hours([(2, 22, 1)]) == [(2, 22), (2, 23), (3, 0)]
    assert ranges_to_local_hours([(SUNDAY, 23, 2)]) == [(0, 0), (0, 1), (SUNDAY, 23)]


def test_overlapping_ranges_count_each_hour_once():
    assert ranges_to_local_hours([(1, 8, 11), (1, 10, 12)]) == [(1, 8), (1, 9), (1, 10), (1, 11)]


def test_hours_become_ranges_again_for_the_migration_and_the_form():
    hours = [(0, 7), (0, 8), (0, 19), (0, 20), (4, 23)]
    assert local_hours_to_ranges(hours) == [(0, 7, 9), (0, 19, 21), (4, 23, 24)]
    assert ranges_to_local_hours(local_hours_to_ranges(hours)) == hours


@pytest.mark.parametrize("bad", [(7, 8, 9), (0, 24, 2), (0, 3, 25)])
def test_impossible_range_is_refused(bad):
    with pytest.raises(ValueError):
        ranges_to_local_hours([bad])


def test_monday_early_in_nairobi_is_sunday_evening_in_utc():
    # Nairobi is UTC+3: Monday 01:00–03:00 there is Sunday 22:00–24:00 UTC.
    assert utc_hours([(0, 1, 3)], "Africa/Nairobi") == [SUNDAY * 24 + 22, SUNDAY * 24 + 23]


def test_sunday_night_west_of_utc_is_monday_in_utc():
    # São Paulo is UTC−3: Sunday 22:00–24:00 there is Monday 01:00–03:00 UTC (the start of the week).
    assert utc_hours([(SUNDAY, 22, 24)], "America/Sao_Paulo") == [1, 2]


def test_overlap_across_time_zones_and_the_day_boundary():
    # Nairobi Monday 01:00–03:00 and São Paulo Sunday 19:00–21:00 are both Sunday 22:00–24:00 UTC.
    assert shared_hours([(0, 1, 3)], "Africa/Nairobi", [(SUNDAY, 19, 21)], "America/Sao_Paulo") == 2
    # Overnight in UTC (Sunday 23:00 – Monday 01:00) meets Monday 00:00–02:00 for one hour.
    assert shared_hours([(SUNDAY, 23, 1)], "UTC", [(0, 0, 2)], "UTC") == 1


def test_morning_and_evening_ranges_overlap_with_either():
    mentee = [(0, 7, 9), (0, 19, 21)]
    assert shared_hours(mentee, "UTC", [(0, 8, 10)], "UTC") == 1
    assert shared_hours(mentee, "UTC", [(0, 18, 22)], "UTC") == 2
    assert shared_hours(mentee, "UTC", [(0, 9, 19)], "UTC") == 0
