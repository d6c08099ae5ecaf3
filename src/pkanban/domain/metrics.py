"""Flow arithmetic for the metrics screen: percentiles, win rate, weeks and the forecast.

Pure Python over values the store has already aggregated; no clock (today is passed in). The
percentile is the same nearest-rank rule as best-by (`domain.bestby.nearest_rank`), so "p80 time
to close" and "best-by at 80 %" can never disagree.

Forecast: a Monte Carlo over the seller's own weekly throughput. Each run builds a future by
drawing, for every coming week, one past week's count at random (with replacement). Draws are
made week by week for all runs at once from one seeded `random.Random`, so the same history
gives the same answer every time, and a longer horizon only adds weeks to the same runs — more
weeks can never forecast fewer wins.
"""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from operator import add

from pkanban.domain.bestby import nearest_rank, nearest_rank_position

TIME_TO_CLOSE_PERCENTILES = (50, 80, 95)
CONFIDENCES = (50, 85, 95)
FORECAST_RUNS = 1000
FORECAST_SEED = 8
FORECAST_SAMPLE_WEEKS = 26
FORECAST_MAX_WEEKS = 156


def percentiles(values: Sequence[int], points: Iterable[int]) -> dict[int, int | None]:
    """Nearest-rank percentiles of `values` (None for each when there are no values)."""
    return {p: nearest_rank(list(values), p) if values else None for p in points}


def histogram_percentiles(
    histogram: Sequence[tuple[int, int]], points: Iterable[int]
) -> tuple[int, dict[int, int | None]]:
    """Nearest-rank percentiles from (value, count) pairs in ascending value order — what an
    SQL `GROUP BY` returns — without expanding them: (total count, {percentile: value})."""
    total = sum(count for _, count in histogram)
    found: dict[int, int | None] = {}
    for point in points:
        found[point] = None
        if total:
            rank, seen = nearest_rank_position(total, point), 0
            for value, count in histogram:
                seen += count
                if seen >= rank:
                    found[point] = value
                    break
    return total, found


def win_rate(won: int, lost: int) -> float | None:
    """Won / (won + lost), rounded to 4 places; None before anything was decided."""
    decided = won + lost
    return round(won / decided, 4) if decided else None


def percent_text(rate: float | None) -> str:
    """A rate as `38 %` (a dash before there is one)."""
    return "—" if rate is None else f"{rate * 100:.0f} %"


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def week_label(day: date) -> str:
    """ISO week of `day` as `2017-W05` (the ISO year, which differs near New Year)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weeks_between(first: date, last: date) -> list[date]:
    """Mondays of every ISO week from `first`'s week to `last`'s week, both included."""
    monday, end = week_start(first), week_start(last)
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def running_totals(
    weeks: Sequence[date], deltas: dict[tuple[date, int], int], keys: Sequence[int]
) -> list[dict[int, int]]:
    """Cumulative sums per key at the end of each week, from per-week changes."""
    level = dict.fromkeys(keys, 0)
    series = []
    for monday in weeks:
        for key in keys:
            level[key] += deltas.get((monday, key), 0)
        series.append(dict(level))
    return series


def cumulative_flow(
    open_series: Sequence[dict[int, int]], done_per_period: Sequence[int], stage_ids: Sequence[int]
) -> list[tuple[int, dict[int, int]]]:
    """A cumulative flow diagram from open cards per stage and cards closed per period: for each
    period, the cards done so far and, per stage, the cards that had reached it or a later stage
    by then (done included). Bands are stacked with done at the bottom, so a band never crosses
    the one below it, the gap between the first stage's band and done is the open WIP, and the
    slope of done is throughput."""
    bands = []
    done = 0
    for level, closed in zip(open_series, done_per_period, strict=True):
        done += closed
        reached, running = {}, done
        for stage_id in reversed(stage_ids):
            running += level[stage_id]
            reached[stage_id] = running
        bands.append((done, {stage_id: reached[stage_id] for stage_id in stage_ids}))
    return bands


def exceeded_percentile(age_days: int, marks: dict[int, int | None]) -> int | None:
    """The highest percentile mark that `age_days` is past (None when under all of them)."""
    past = [p for p, days in marks.items() if days is not None and age_days > days]
    return max(past) if past else None


@dataclass(frozen=True)
class HowMany:
    """At `confidence` %, at least `at_least[confidence]` items in `weeks` weeks."""

    weeks: int
    at_least: dict[int, int]


@dataclass(frozen=True)
class HowLong:
    """At `confidence` %, `items` are through within `within_weeks[confidence]` weeks
    (None: not within `max_weeks`)."""

    items: int
    within_weeks: dict[int, int | None]
    max_weeks: int


def forecast_how_many(
    weekly: Sequence[int],
    weeks: int,
    *,
    runs: int = FORECAST_RUNS,
    seed: int = FORECAST_SEED,
) -> HowMany:
    """How many items `weeks` weeks will bring, at each confidence in `CONFIDENCES`.

    "85 % confident of at least X" is the 15th nearest-rank percentile of the runs' totals:
    85 % of the simulated futures did at least that well.
    """
    if not weekly:
        raise ValueError("no weekly history to sample")
    rng = random.Random(seed)
    totals = [0] * runs
    for _ in range(max(0, weeks)):
        totals = list(map(add, totals, rng.choices(weekly, k=runs)))
    return HowMany(weeks, {c: nearest_rank(totals, 100 - c) for c in CONFIDENCES})


def forecast_how_long(
    weekly: Sequence[int],
    items: int,
    *,
    runs: int = FORECAST_RUNS,
    seed: int = FORECAST_SEED,
    max_weeks: int = FORECAST_MAX_WEEKS,
) -> HowLong:
    """How many weeks until `items` are through, at each confidence in `CONFIDENCES`.

    "85 % confident within W weeks" is the 85th nearest-rank percentile of the weeks each run
    needed. Runs still unfinished after `max_weeks` count as never; simulation stops as soon as
    enough runs have finished to fix the highest confidence.
    """
    if not weekly:
        raise ValueError("no weekly history to sample")
    if items <= 0:
        return HowLong(items, dict.fromkeys(CONFIDENCES, 0), max_weeks)
    never = max_weeks + 1
    needed = [never] * runs
    if any(weekly):
        rng = random.Random(seed)
        left = [items] * runs
        enough = max(1, -(-max(CONFIDENCES) * runs // 100))
        finished = 0
        for week in range(1, max_weeks + 1):
            left = list(map(int.__sub__, left, rng.choices(weekly, k=runs)))
            for run, remaining in enumerate(left):
                if remaining <= 0 and needed[run] == never:
                    needed[run] = week
                    finished += 1
            if finished >= enough:
                break
    within = {}
    for confidence in CONFIDENCES:
        weeks = nearest_rank(needed, confidence)
        within[confidence] = None if weeks == never else weeks
    return HowLong(items, within, max_weeks)
