"""Flow metrics (DESIGN idea 5, "make the waste visible"): every figure of `pkanban stats` and
the metrics screen, assembled from the store's aggregates and the domain's arithmetic.

The period (`since`..`until`, default: all history up to today) selects cards by the day they
were closed: throughput, time to close, win rates, lost reasons, cleared inventory and touches.
Snapshots — WIP, aging, open counts, leads waiting for a first touch — are as of `today`; the
forecast looks ahead from `today`, sampling the last complete weeks of the period.
"""

import sqlite3
from dataclasses import replace
from datetime import date, timedelta

from pkanban.domain import metrics as flow
from pkanban.domain.errors import InvalidInput
from pkanban.services import views
from pkanban.services.figures import (
    AgingCard,
    ChartFigures,
    ClearedMonth,
    ClosePoint,
    CumulativeFlow,
    DetailFigures,
    ExpectedToClose,
    FlowFigures,
    FlowWeek,
    Forecast,
    Json,
    LaneWinRate,
    LostReason,
    OpenThrough,
    Period,
    SpeedToLead,
    TimeToClose,
    TouchAverage,
    Touches,
    WaitingLead,
    WeekClosed,
    WinsBy,
    WipOverTime,
    WipWeek,
)
from pkanban.store import board
from pkanban.store import metrics as queries
from pkanban.store.database import Store

SCATTER_LIMIT = 1000
CUMULATIVE_FLOW_WEEKS = 26
WAITING_SHOWN = 5
SPEED_TO_LEAD_PERCENTILES = (50, 85)
FORECAST_HORIZON_WEEKS = 13


def flow_metrics(
    store: Store,
    today: date,
    since: date | None = None,
    until: date | None = None,
    forecast_by: date | None = None,
) -> dict[str, Json]:
    """All flow figures as JSON (`pkanban stats --json`), derived from `flow_figures`."""
    return flow_figures(store, today, since, until, forecast_by).as_json()


def flow_figures(
    store: Store,
    today: date,
    since: date | None = None,
    until: date | None = None,
    forecast_by: date | None = None,
) -> FlowFigures:
    """All flow figures (`pkanban stats`, the metrics screen)."""
    return FlowFigures(
        chart_figures(store, today, since, until, forecast_by),
        detail_figures(store, today, since, until),
    )


def chart_figures(
    store: Store,
    today: date,
    since: date | None = None,
    until: date | None = None,
    forecast_by: date | None = None,
) -> ChartFigures:
    """The headline figures and everything the charts draw (the metrics screen shows these
    first, then the `detail_figures` for its tables)."""
    until = _until(today, since, until)
    forecast_by = forecast_by or today + timedelta(weeks=FORECAST_HORIZON_WEEKS)
    if forecast_by <= today:
        raise InvalidInput(f"The forecast date must be after today ({today.isoformat()})")
    conn = store.conn
    context = views.board_context(store, today)
    wip = board.wip_now(conn)
    per_week = queries.closed_per_week(conn, since, until)
    closed = dict.fromkeys(queries.CLOSED, 0)
    for _, disposition, count in per_week:
        closed[disposition] += count
    wins, marks = flow.histogram_percentiles(
        queries.days_to_close_histogram(conn, since, until), flow.TIME_TO_CLOSE_PERCENTILES
    )
    first = since or min(queries.first_closed(conn) or until, until)
    weeks = flow.weeks_between(first, until)
    throughput = _throughput(per_week, weeks)
    open_now = board.count_open(conn)
    wip_over_time, cumulative = _flow(conn, context, since, until)
    return ChartFigures(
        today=today,
        period=Period(since, until),
        best_by_days=context.best_by.days,
        best_by_basis=context.best_by.basis,
        best_by_explained=context.best_by.sentence,
        past_best_by=board.count_past_best_by(conn, today, context.best_by.days),
        open=open_now,
        won=closed["won"],
        lost=closed["lost"],
        cleared=closed["cleared"],
        win_rate=flow.win_rate(closed["won"], closed["lost"]),
        wip={w.name: w for w in wip if w.what == "stage"},
        lane_wip={w.name: w for w in wip if w.what == "lane"},
        time_to_close_days=TimeToClose(marks[50], marks[80], marks[95], wins),
        time_to_close_points=[
            ClosePoint(card_id, day, days)
            for card_id, day, days in queries.recent_wins(conn, since, until, SCATTER_LIMIT)
        ],
        throughput_per_week=throughput,
        aging=_aging(conn, today, marks),
        wip_over_time=wip_over_time,
        cumulative_flow=cumulative,
        forecast=_forecast(throughput, today, since, until, forecast_by, open_now, conn),
    )


def detail_figures(
    store: Store, today: date, since: date | None = None, until: date | None = None
) -> DetailFigures:
    """Win rate per lane, lost reasons, cleared inventory, touches and speed to lead."""
    until = _until(today, since, until)
    conn = store.conn
    context = views.board_context(store, today)
    by_lane = queries.decided_by_lane(conn, since, until, [lane.id for lane in context.lanes])
    return DetailFigures(
        win_rate_by_lane=_win_rate_by_lane(by_lane, context),
        lost_reasons=_lost_reasons(queries.lost_reasons(conn, since, until)),
        cleared_per_month=[
            ClearedMonth(month, reason, cards, value)
            for month, reason, cards, value in queries.cleared_per_month(conn, since, until)
        ],
        touches=_touches(by_lane, context.settings.touch_target),
        speed_to_lead=_speed_to_lead(conn, today, since, until),
    )


def _until(today: date, since: date | None, until: date | None) -> date:
    """The period's last day (default today), refusing a period that makes no sense."""
    until = until or today
    if until > today:
        raise InvalidInput(f"--until cannot be after today ({today.isoformat()})")
    if since is not None and since > until:
        raise InvalidInput(
            f"--since ({since.isoformat()}) must be on or before --until ({until.isoformat()})"
        )
    return until


def _throughput(per_week: list[tuple[date, str, int]], weeks: list[date]) -> list[WeekClosed]:
    counts = {monday: dict.fromkeys(queries.CLOSED, 0) for monday in weeks}
    for monday, disposition, count in per_week:
        counts[monday][disposition] += count
    return [
        WeekClosed(
            flow.week_label(monday),
            monday,
            counts[monday]["won"],
            counts[monday]["lost"],
            counts[monday]["cleared"],
        )
        for monday in weeks
    ]


def _win_rate_by_lane(
    by_lane: dict[tuple[int, str], tuple[int, int]], context: views.BoardContext
) -> list[LaneWinRate]:
    rows = []
    for lane in context.lanes:
        won = by_lane.get((lane.id, "won"), (0, 0))[0]
        lost = by_lane.get((lane.id, "lost"), (0, 0))[0]
        rows.append(LaneWinRate(lane.name, won, lost, flow.win_rate(won, lost)))
    return rows


def _lost_reasons(rows: list[tuple[str, int]]) -> list[LostReason]:
    """Reasons ranked by cards lost; "Price" and " price" are one reason (first spelling seen
    alphabetically is shown); an empty reason is shown as "(none given)"."""
    merged: dict[str, tuple[str, int]] = {}
    for reason, count in sorted(rows):
        text = " ".join(reason.split())
        shown, total = merged.get(text.casefold(), (text or "(none given)", 0))
        merged[text.casefold()] = (shown, total + count)
    ranked = sorted(merged.values(), key=lambda entry: (-entry[1], entry[0].casefold()))
    return [LostReason(reason, count) for reason, count in ranked]


def _aging(conn: sqlite3.Connection, today: date, marks: dict[int, int | None]) -> list[AgingCard]:
    found = queries.open_ages(conn, today)
    # Thousands of open cards share a few hundred ages: each age is placed once.
    past = {age: flow.exceeded_percentile(age, marks) for age in {row[-1] for row in found}}
    return [
        AgingCard(card_id, title, stage, lane, age, past[age])
        for card_id, title, stage, lane, age in found
    ]


def _flow(
    conn: sqlite3.Connection, context: views.BoardContext, since: date | None, until: date
) -> tuple[WipOverTime, CumulativeFlow]:
    """Per week, without --since over the last 26 (the move history is read only from the
    window's start): the open cards per stage at each week's end, and the true cumulative
    flow diagram — cards done since the window's start and, per stage, the cards that had
    reached it or a later stage (done included)."""
    start = since or flow.week_start(until) - timedelta(weeks=CUMULATIVE_FLOW_WEEKS - 1)
    weeks = flow.weeks_between(start, until)
    deltas = queries.stage_changes_per_week(conn, start, until)
    stage_ids = [stage.id for stage in context.stages]
    series = flow.running_totals(weeks, deltas, stage_ids)
    closed: dict[date, int] = {}
    for monday, _, count in queries.closed_per_week(conn, start, until):
        closed[monday] = closed.get(monday, 0) + count
    bands = flow.cumulative_flow(series, [closed.get(monday, 0) for monday in weeks], stage_ids)
    names = [stage.name for stage in context.stages]
    labels = [(flow.week_label(monday), monday) for monday in weeks]
    wip_over_time = WipOverTime(
        since=start,
        stages=names,
        weeks=[
            WipWeek(label, monday, {stage.name: level[stage.id] for stage in context.stages})
            for (label, monday), level in zip(labels, series, strict=True)
        ],
    )
    cumulative = CumulativeFlow(
        since=start,
        stages=names,
        weeks=[
            FlowWeek(
                label,
                monday,
                done,
                {stage.name: reached[stage.id] for stage in context.stages},
            )
            for (label, monday), (done, reached) in zip(labels, bands, strict=True)
        ],
    )
    return wip_over_time, cumulative


def _touches(by_lane: dict[tuple[int, str], tuple[int, int]], target: int) -> Touches:
    """Average touches on the period's won and lost cards, next to the board's target."""

    def average(outcome: str) -> TouchAverage:
        found = [value for (_, kind), value in by_lane.items() if kind == outcome]
        cards = sum(count for count, _ in found)
        touches = sum(total for _, total in found)
        return TouchAverage(cards, round(touches / cards, 2) if cards else None)

    return Touches(target, average("won"), average("lost"))


def _speed_to_lead(
    conn: sqlite3.Connection, today: date, since: date | None, until: date
) -> SpeedToLead:
    touched, marks = flow.histogram_percentiles(
        queries.speed_to_lead(conn, since, until), SPEED_TO_LEAD_PERCENTILES
    )
    waiting, longest = queries.waiting_for_first_touch(conn, today, WAITING_SHOWN)
    return SpeedToLead(
        touched=touched,
        p50_days=marks[50],
        p85_days=marks[85],
        waiting=waiting,
        longest_waiting=[
            WaitingLead(card_id, title, stage, days) for card_id, title, stage, days in longest
        ],
    )


def _forecast(
    throughput: list[WeekClosed],
    today: date,
    since: date | None,
    until: date,
    forecast_by: date,
    open_now: int,
    conn: sqlite3.Connection,
) -> Forecast:
    """Monte Carlo from the last complete weeks of the period (a week still running, or one
    the period only partly covers, would understate the pace)."""
    last_day = min(until, today - timedelta(days=1))
    complete = [
        week
        for week in throughput
        if week.start + timedelta(days=6) <= last_day and (since is None or week.start >= since)
    ][-flow.FORECAST_SAMPLE_WEEKS :]
    forecast = Forecast(
        runs=flow.FORECAST_RUNS,
        seed=flow.FORECAST_SEED,
        sample_weeks=[week.week for week in complete],
        wins_by=None,
        open_through=None,
        expected_to_close=_expected_to_close(conn, today),
    )
    if not complete:
        return forecast
    horizon = (forecast_by - today).days // 7
    wins = flow.forecast_how_many([week.won for week in complete], horizon).at_least
    closures = [week.won + week.lost + week.cleared for week in complete]
    through = flow.forecast_how_long(closures, open_now)

    def by(confidence: int) -> date | None:
        weeks = through.within_weeks[confidence]
        return None if weeks is None else today + timedelta(weeks=weeks)

    return replace(
        forecast,
        wins_by=WinsBy(forecast_by, horizon, wins[50], wins[85], wins[95]),
        open_through=OpenThrough(open_now, through.max_weeks, by(50), by(85), by(95)),
    )


def _expected_to_close(conn: sqlite3.Connection, today: date) -> ExpectedToClose:
    """How many open deals carry an expected close date in the current month (a CRM's
    commit, shown next to the Monte Carlo range)."""
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return ExpectedToClose(last, board.count_expected_to_close(conn, first, last))
