"""Flow arithmetic: percentiles agree with a plain sorted list, weeks are ISO weeks, and the
forecast is reproducible and never promises fewer wins for more time."""

import math
from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkanban.domain.bestby import nearest_rank
from pkanban.domain.metrics import (
    CONFIDENCES,
    exceeded_percentile,
    forecast_how_long,
    forecast_how_many,
    histogram_percentiles,
    percentiles,
    running_totals,
    week_label,
    week_start,
    weeks_between,
    win_rate,
)

days_lists = st.lists(st.integers(min_value=0, max_value=2000), min_size=1, max_size=300)
percentile_points = st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=5)


def by_hand(values: list[int], p: int) -> int:
    """Nearest rank as a textbook states it: sort, take the ⌈p/100·n⌉-th value (1-based)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p * len(ordered) / 100))
    return ordered[rank - 1]


@given(days_lists, percentile_points)
def test_percentiles_agree_with_a_sorted_list(values, points):
    assert percentiles(values, points) == {p: by_hand(values, p) for p in points}


@given(days_lists, percentile_points)
def test_percentiles_from_a_histogram_equal_those_of_the_expanded_values(values, points):
    histogram = sorted(Counter(values).items())
    total, found = histogram_percentiles(histogram, points)
    assert total == len(values)
    assert found == {p: by_hand(values, p) for p in points}
    assert found == {p: nearest_rank(values, p) for p in points}


def test_percentiles_of_nothing_are_none():
    assert percentiles([], (50, 80)) == {50: None, 80: None}
    assert histogram_percentiles([], (50,)) == (0, {50: None})


def test_the_textbook_example_of_nearest_rank():
    # Wikipedia's example: 15, 20, 35, 40, 50 → p30 = 20, p40 = 20, p50 = 35, p100 = 50.
    assert percentiles([50, 15, 40, 20, 35], (30, 40, 50, 100)) == {30: 20, 40: 20, 50: 35, 100: 50}


def test_win_rate_is_won_over_decided():
    assert win_rate(2, 1) == 0.6667
    assert win_rate(0, 3) == 0.0
    assert win_rate(0, 0) is None


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_weeks_start_on_monday_and_carry_the_iso_label(day):
    monday = week_start(day)
    assert monday.weekday() == 0 and 0 <= (day - monday).days < 7
    year, week, _ = day.isocalendar()
    assert week_label(day) == week_label(monday) == f"{year}-W{week:02d}"


def test_iso_week_labels_around_new_year():
    assert week_label(date(2018, 1, 1)) == "2018-W01"  # a Monday
    assert week_label(date(2017, 12, 31)) == "2017-W52"  # the Sunday before
    assert week_label(date(2021, 1, 3)) == "2020-W53"  # early January can be last year's week
    assert week_label(date(2024, 12, 30)) == "2025-W01"  # late December can be next year's


def test_weeks_between_covers_both_ends_whole():
    weeks = weeks_between(date(2026, 11, 25), date(2026, 12, 8))
    assert weeks == [date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 7)]
    assert weeks_between(date(2026, 11, 25), date(2026, 11, 25)) == [date(2026, 11, 23)]


def test_running_totals_accumulate_per_key():
    weeks = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    deltas = {(weeks[0], 1): 3, (weeks[1], 1): -1, (weeks[1], 2): 2, (weeks[2], 2): -2}
    assert running_totals(weeks, deltas, [1, 2]) == [{1: 3, 2: 0}, {1: 2, 2: 2}, {1: 2, 2: 0}]


def test_exceeded_percentile_names_the_highest_mark_passed():
    marks = {50: 40, 80: 90, 95: 120}
    assert exceeded_percentile(40, marks) is None  # at a mark is not past it
    assert exceeded_percentile(41, marks) == 50
    assert exceeded_percentile(121, marks) == 95
    assert exceeded_percentile(500, {50: None}) is None


weekly = st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=26)


@given(weekly, st.integers(min_value=0, max_value=30))
def test_the_wins_forecast_is_reproducible(history, weeks):
    assert forecast_how_many(history, weeks, runs=200) == forecast_how_many(
        history, weeks, runs=200
    )


@given(weekly, st.integers(min_value=0, max_value=30))
def test_more_weeks_never_forecast_fewer_wins(history, weeks):
    shorter = forecast_how_many(history, weeks, runs=200).at_least
    longer = forecast_how_many(history, weeks + 1, runs=200).at_least
    assert all(longer[c] >= shorter[c] for c in CONFIDENCES)


@given(weekly, st.integers(min_value=0, max_value=30))
def test_higher_confidence_never_promises_more(history, weeks):
    at_least = forecast_how_many(history, weeks, runs=200).at_least
    assert at_least[50] >= at_least[85] >= at_least[95]
    assert weeks * min(history) <= at_least[95] and at_least[50] <= weeks * max(history)


def test_a_steady_pace_forecasts_exactly():
    assert forecast_how_many([3], 13).at_least == {50: 39, 85: 39, 95: 39}
    assert forecast_how_long([3], 10).within_weeks == {50: 4, 85: 4, 95: 4}


def test_the_forecast_matches_a_by_hand_simulation_with_the_same_seed():
    import random

    history, weeks, runs, seed = [0, 2, 5, 1], 6, 300, 99
    rng = random.Random(seed)
    totals = [0] * runs
    for _ in range(weeks):
        draws = rng.choices(history, k=runs)
        totals = [total + draw for total, draw in zip(totals, draws, strict=True)]
    expected = {c: by_hand(totals, 100 - c) for c in CONFIDENCES}
    assert forecast_how_many(history, weeks, runs=runs, seed=seed).at_least == expected


@given(weekly, st.integers(min_value=1, max_value=60))
def test_how_long_is_reproducible_and_ordered(history, items):
    first = forecast_how_long(history, items, runs=200)
    assert first == forecast_how_long(history, items, runs=200)
    within = [first.within_weeks[c] for c in CONFIDENCES]
    if any(history):
        finite = [w for w in within if w is not None]
        assert finite == sorted(finite)
        assert within == finite + [None] * (len(within) - len(finite))  # "never" only at the top
    else:
        assert within == [None, None, None]


@given(weekly, st.integers(min_value=1, max_value=60))
def test_more_cards_never_finish_sooner(history, items):
    fewer = forecast_how_long(history, items, runs=200).within_weeks
    more = forecast_how_long(history, items + 5, runs=200).within_weeks
    for c in CONFIDENCES:
        if fewer[c] is None:
            assert more[c] is None
        elif more[c] is not None:
            assert more[c] >= fewer[c]


def test_how_long_gives_up_past_the_horizon():
    assert forecast_how_long([1], 500, max_weeks=52).within_weeks == dict.fromkeys(CONFIDENCES)
    assert forecast_how_long([1], 0).within_weeks == dict.fromkeys(CONFIDENCES, 0)


def test_a_forecast_needs_history():
    with pytest.raises(ValueError):
        forecast_how_many([], 4)
    with pytest.raises(ValueError):
        forecast_how_long([], 4)


def test_weeks_between_handles_a_long_span():
    weeks = weeks_between(date(2016, 10, 25), date(2018, 1, 1))
    assert weeks[0] == date(2016, 10, 24) and weeks[-1] == date(2018, 1, 1)
    assert all(b - a == timedelta(days=7) for a, b in pairwise(weeks))
