"""Flow metrics (DESIGN idea 5, "make the waste visible"): every figure of `pkanban stats` and
the metrics screen, assembled from the store's aggregates and the domain's arithmetic.

The period (`since`..`until`, default: all history up to today) selects cards by the day they
were closed: throughput, time to close, win rates, lost reasons, cleared inventory and touches.
Snapshots — WIP, aging, open counts, leads waiting for a first touch — are as of `today`; the
forecast looks ahead from `today`, sampling the last complete weeks of the period.
"""

from datetime import date, timedelta

from pkanban.domain import metrics as flow
from pkanban.domain.errors import InvalidInput
from pkanban.services import views
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
) -> dict:
    """All flow figures as plain JSON-ready values (`pkanban stats --json`, the metrics screen)."""
    return {
        **chart_figures(store, today, since, until, forecast_by),
        **detail_figures(store, today, since, until),
    }


def chart_figures(
    store: Store,
    today: date,
    since: date | None = None,
    until: date | None = None,
    forecast_by: date | None = None,
) -> dict:
    """The headline figures and everything the charts draw (the metrics screen shows these
    first, then the `detail_figures` for its tables)."""
    until = _until(today, since, until)
    forecast_by = forecast_by or today + timedelta(weeks=FORECAST_HORIZON_WEEKS)
    if forecast_by <= today:
        raise InvalidInput(f"The forecast date must be after today ({today.isoformat()})")
    conn = store.conn
    context = views.board_context(store, today)
    wip = views.wip(store)
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
    return {
        "today": today.isoformat(),
        "period": {"since": _iso(since), "until": until.isoformat()},
        "best_by_days": context.best_by.days,
        "best_by_basis": context.best_by.basis,
        "best_by_explained": context.best_by.sentence,
        "past_best_by": board.count_past_best_by(conn, today, context.best_by.days),
        "open": open_now,
        **closed,
        "win_rate": flow.win_rate(closed["won"], closed["lost"]),
        "wip": wip["stages"],
        "lane_wip": wip["lanes"],
        "time_to_close_days": {
            **{f"p{point}": days for point, days in marks.items()},
            "n": wins,
        },
        "time_to_close_points": [
            {"id": card_id, "closed": day.isoformat(), "days": days}
            for card_id, day, days in queries.recent_wins(conn, since, until, SCATTER_LIMIT)
        ],
        "throughput_per_week": throughput,
        "aging": _aging(conn, today, marks),
        **_flow(conn, context, since, until),
        "forecast": _forecast(throughput, today, since, until, forecast_by, open_now)
        | {"expected_to_close": _expected_to_close(conn, today)},
    }


def detail_figures(
    store: Store, today: date, since: date | None = None, until: date | None = None
) -> dict:
    """Win rate per lane, lost reasons, cleared inventory, touches and speed to lead."""
    until = _until(today, since, until)
    conn = store.conn
    context = views.board_context(store, today)
    by_lane = queries.decided_by_lane(conn, since, until, [lane.id for lane in context.lanes])
    return {
        "win_rate_by_lane": _win_rate_by_lane(by_lane, context),
        "lost_reasons": _lost_reasons(queries.lost_reasons(conn, since, until)),
        "cleared_per_month": [
            {"month": month, "reason": reason, "cards": cards, "value": value}
            for month, reason, cards, value in queries.cleared_per_month(conn, since, until)
        ],
        "touches": _touches(by_lane, context.settings.touch_target),
        "speed_to_lead": _speed_to_lead(conn, today, since, until),
    }


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


def _throughput(per_week: list[tuple[date, str, int]], weeks: list[date]) -> list[dict]:
    counts = {monday: dict.fromkeys(queries.CLOSED, 0) for monday in weeks}
    for monday, disposition, count in per_week:
        counts[monday][disposition] += count
    return [
        {"week": flow.week_label(monday), "start": monday.isoformat(), **counts[monday]}
        for monday in weeks
    ]


def _win_rate_by_lane(by_lane: dict, context: views.BoardContext) -> list[dict]:
    rows = []
    for lane in context.lanes:
        won = by_lane.get((lane.id, "won"), (0, 0))[0]
        lost = by_lane.get((lane.id, "lost"), (0, 0))[0]
        rows.append(
            {"lane": lane.name, "won": won, "lost": lost, "win_rate": flow.win_rate(won, lost)}
        )
    return rows


def _lost_reasons(rows: list[tuple[str, int]]) -> list[dict]:
    """Reasons ranked by cards lost; "Price" and " price" are one reason (first spelling seen
    alphabetically is shown); an empty reason is shown as "(none given)"."""
    merged: dict[str, list] = {}
    for reason, count in sorted(rows):
        text = " ".join(reason.split())
        entry = merged.setdefault(text.casefold(), [text or "(none given)", 0])
        entry[1] += count
    ranked = sorted(merged.values(), key=lambda entry: (-entry[1], entry[0].casefold()))
    return [{"reason": reason, "count": count} for reason, count in ranked]


def _aging(conn, today: date, marks: dict[int, int | None]) -> list[dict]:
    found = queries.open_ages(conn, today)
    # Thousands of open cards share a few hundred ages: each age is placed once.
    past = {age: flow.exceeded_percentile(age, marks) for age in {row[-1] for row in found}}
    return [
        {
            "id": card_id,
            "title": title,
            "stage": stage,
            "lane": lane,
            "age_days": age,
            "past_percentile": past[age],
        }
        for card_id, title, stage, lane, age in found
    ]


def _flow(conn, context: views.BoardContext, since: date | None, until: date) -> dict:
    """Per week, without --since over the last 26 (the move history is read only from the
    window's start): `wip_over_time`, the open cards per stage at each week's end, and
    `cumulative_flow`, the true cumulative flow diagram — cards done since the window's start
    and, per stage, the cards that had reached it or a later stage (done included)."""
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
    labels = [(flow.week_label(monday), monday.isoformat()) for monday in weeks]
    return {
        "wip_over_time": {
            "since": start.isoformat(),
            "stages": names,
            "weeks": [
                {
                    "week": label,
                    "start": monday,
                    "open": {stage.name: level[stage.id] for stage in context.stages},
                }
                for (label, monday), level in zip(labels, series, strict=True)
            ],
        },
        "cumulative_flow": {
            "since": start.isoformat(),
            "stages": names,
            "weeks": [
                {
                    "week": label,
                    "start": monday,
                    "done": done,
                    "reached": {stage.name: reached[stage.id] for stage in context.stages},
                }
                for (label, monday), (done, reached) in zip(labels, bands, strict=True)
            ],
        },
    }


def _touches(by_lane: dict[tuple[int, str], tuple[int, int]], target: int) -> dict:
    """Average touches on the period's won and lost cards, next to the board's target."""
    figures: dict = {"target": target}
    for outcome in ("won", "lost"):
        found = [value for (_, kind), value in by_lane.items() if kind == outcome]
        cards = sum(count for count, _ in found)
        touches = sum(total for _, total in found)
        figures[outcome] = {"cards": cards, "average": round(touches / cards, 2) if cards else None}
    return figures


def _speed_to_lead(conn, today: date, since: date | None, until: date) -> dict:
    touched, marks = flow.histogram_percentiles(
        queries.speed_to_lead(conn, since, until), SPEED_TO_LEAD_PERCENTILES
    )
    waiting, longest = queries.waiting_for_first_touch(conn, today, WAITING_SHOWN)
    return {
        "touched": touched,
        **{f"p{point}_days": days for point, days in marks.items()},
        "waiting": waiting,
        "longest_waiting": [
            {"id": card_id, "title": title, "stage": stage, "waiting_days": days}
            for card_id, title, stage, days in longest
        ],
    }


def _forecast(
    throughput: list[dict],
    today: date,
    since: date | None,
    until: date,
    forecast_by: date,
    open_now: int,
) -> dict:
    """Monte Carlo from the last complete weeks of the period (a week still running, or one
    the period only partly covers, would understate the pace)."""
    last_day = min(until, today - timedelta(days=1))
    complete = [
        week
        for week in throughput
        if date.fromisoformat(week["start"]) + timedelta(days=6) <= last_day
        and (since is None or date.fromisoformat(week["start"]) >= since)
    ][-flow.FORECAST_SAMPLE_WEEKS :]
    horizon = (forecast_by - today).days // 7
    figures: dict = {
        "runs": flow.FORECAST_RUNS,
        "seed": flow.FORECAST_SEED,
        "sample_weeks": [week["week"] for week in complete],
        "wins_by": None,
        "open_through": None,
    }
    if not complete:
        return figures
    wins = flow.forecast_how_many([week["won"] for week in complete], horizon)
    figures["wins_by"] = {
        "date": forecast_by.isoformat(),
        "weeks": horizon,
        **{f"c{confidence}": count for confidence, count in wins.at_least.items()},
    }
    closures = [week["won"] + week["lost"] + week["cleared"] for week in complete]
    through = flow.forecast_how_long(closures, open_now)
    figures["open_through"] = {
        "cards": open_now,
        "max_weeks": through.max_weeks,
        **{
            f"c{confidence}": None
            if weeks is None
            else (today + timedelta(weeks=weeks)).isoformat()
            for confidence, weeks in through.within_weeks.items()
        },
    }
    return figures


def _expected_to_close(conn, today: date) -> dict:
    """How many open deals carry an expected close date in the current month (a CRM's
    commit, shown next to the Monte Carlo range)."""
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return {"by": last.isoformat(), "cards": board.count_expected_to_close(conn, first, last)}


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
