"""`pkanban stats`: the board's flow figures, as aligned text in 80 columns or as JSON."""

from collections.abc import Callable
from datetime import date

import click

from pkanban.cli.context import Env, pass_env, say, say_json
from pkanban.cli.output import cell
from pkanban.domain.dates import DateError, parse_iso_date
from pkanban.domain.metrics import percent_text as percent
from pkanban.domain.money import format_money
from pkanban.domain.rules import over_by, wip_level
from pkanban.domain.text import clean_text, counted
from pkanban.services import metrics
from pkanban.services.figures import AgingCard, FlowFigures, TimeToClose

WIDTH = 80
RECENT_WEEKS = 12
FLOW_WEEKS = 8
OLDEST_SHOWN = 5


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """Dates here are strict YYYY-MM-DD: a period is data, not a due date typed in a hurry."""
    if value is None:
        return None
    try:
        return parse_iso_date(value)
    except DateError as error:
        raise click.BadParameter(str(error)) from None


@click.command(short_help="Flow figures: throughput, time to close, win rate, aging, forecast.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the figures as JSON (see docs/metrics.md)."
)
@click.option(
    "--since",
    callback=_iso_date,
    metavar="YYYY-MM-DD",
    help="Count cards closed on or after this day (default: all history).",
)
@click.option(
    "--until",
    callback=_iso_date,
    metavar="YYYY-MM-DD",
    help="Count cards closed on or before this day (default: today).",
)
@click.option(
    "--forecast-by",
    callback=_iso_date,
    metavar="YYYY-MM-DD",
    help="Forecast the wins until this day (default: 13 weeks from today).",
)
@pass_env
def stats(
    env: Env,
    as_json: bool,
    since: date | None,
    until: date | None,
    forecast_by: date | None,
) -> None:
    """Flow figures: WIP against limits, throughput per week, time to close (p50/p80/p95), win
    rate overall and per lane, lost reasons, aging work in progress, cumulative flow, cleared
    inventory, touches, speed to lead and a Monte Carlo forecast.

    --since/--until pick cards by the day they closed; open cards, WIP and aging are as of
    today. Dates are YYYY-MM-DD.
    """
    session = env.session()
    if as_json:
        say_json(session.run(metrics.flow_metrics, env.today, since, until, forecast_by))
        return
    figures = session.run(metrics.flow_figures, env.today, since, until, forecast_by)
    currency = session.settings().currency
    sections: tuple[Callable[[FlowFigures, str], list[str]], ...] = (
        _headline,
        _wip,
        _closing,
        _throughput,
        _aging,
        _cumulative_flow,
        _cleared,
        _touches,
        _forecast,
    )
    for section in sections:
        lines = section(figures, currency)
        if lines:
            say("\n".join(line.rstrip() for line in lines))
            say()


def _headline(figures: FlowFigures, currency: str) -> list[str]:
    charts = figures.charts
    period = charts.period
    span = (
        f"to {period.until} (all history)"
        if period.since is None
        else f"{period.since} to {period.until}"
    )
    rate = percent(charts.win_rate)
    decided = charts.won + charts.lost
    return [
        f"Flow of cards closed {span} · today {charts.today}",
        f"Best-by     {charts.best_by_days} days",
        *_wrap(clean_text(charts.best_by_explained), 12),
        f"Cards       open {charts.open:,} ({charts.past_best_by:,} past best-by)"
        f" · won {charts.won:,} · lost {charts.lost:,} · cleared {charts.cleared:,}",
        f"Win rate    {rate} ({charts.won:,} won of {decided:,} decided)",
    ]


def _wip(figures: FlowFigures, currency: str) -> list[str]:
    lines = [f"WIP now{'open':>32}  limit"]
    for label, table in (("", figures.charts.wip), ("lane ", figures.charts.lane_wip)):
        for name, entry in table.items():
            limit = "—" if entry.limit is None else f"{entry.limit:,}"
            lines.append(
                f"  {cell(label + name, 31)}{entry.count:>6,}  {limit:>5}"
                f"{_fullness(entry.count, entry.limit)}"
            )
    return lines


def _marks(close: TimeToClose) -> str:
    return " · ".join(f"{name} {days} d" for name, days in close.marks())


def _closing(figures: FlowFigures, currency: str) -> list[str]:
    close = figures.charts.time_to_close_days
    details = figures.details
    lines = [f"Time to close (created → won, {counted(close.n, 'win')})"]
    lines.append(f"  {_marks(close)}" if close.n else "  no wins in the period yet")
    lines += ["", f"Win rate by lane{'won':>22}  lost   rate"]
    for lane in details.win_rate_by_lane:
        lines.append(
            f"  {cell(lane.lane, 30)}{lane.won:>6,}{lane.lost:>6,}  {percent(lane.win_rate):>5}"
        )
    reasons = details.lost_reasons
    if reasons:
        lines += ["", "Lost reasons"]
        lines += [
            f"  {reason.count:>5,}  {cell(reason.reason, WIDTH - 9)}" for reason in reasons[:10]
        ]
        if len(reasons) > 10:
            lines.append(f"  … {len(reasons) - 10} more (--json lists all)")
    return lines


def _throughput(figures: FlowFigures, currency: str) -> list[str]:
    weeks = figures.charts.throughput_per_week
    shown = weeks[-RECENT_WEEKS:]
    note = "" if len(shown) == len(weeks) else f", last {len(shown)} of {len(weeks)}"
    lines = [
        f"Throughput per week (closed{note})",
        f"  {'week':<10}{'starts':<12}{'won':>5}{'lost':>6}{'cleared':>9}",
    ]
    lines += [
        f"  {week.week:<10}{week.start.isoformat():<12}"
        f"{week.won:>5,}{week.lost:>6,}{week.cleared:>9,}"
        for week in shown
    ]
    count = len(weeks)
    lines.append(
        f"  {'average':<22}"
        + "".join(
            f"{sum(week.count(kind) for week in weeks) / count:>{width}.1f}"
            for kind, width in (("won", 5), ("lost", 6), ("cleared", 9))
        )
        + f"   over {count} week{'s' * (count != 1)}"
    )
    return lines


def _aging(figures: FlowFigures, currency: str) -> list[str]:
    close = figures.charts.time_to_close_days
    aging = figures.charts.aging
    lines = [
        "Aging work in progress (age today vs time to close)",
        f"  {_marks(close) if close.n else 'no wins yet to compare with'}",
        f"  {'stage':<24}{'cards':>6}{'oldest':>8}{'> p50':>7}{'> p80':>7}{'> p95':>7}",
    ]
    by_stage: dict[str, list[AgingCard]] = {}
    for row in aging:
        by_stage.setdefault(row.stage, []).append(row)
    for stage, rows in by_stage.items():
        past = [row.past_percentile or 0 for row in rows]
        lines.append(
            f"  {cell(stage, 24)}{len(rows):>6,}{max(r.age_days for r in rows):>6} d"
            + "".join(f"{sum(p >= mark for p in past):>7,}" for mark in (50, 80, 95))
        )
    oldest = sorted(aging, key=lambda row: (-row.age_days, row.id))
    if oldest:
        lines.append("  oldest open cards")
        lines += [
            f"  {row.id:>6}  {cell(row.title, 40)}  {cell(row.stage, 16)}{row.age_days:>6} d"
            for row in oldest[:OLDEST_SHOWN]
        ]
    return lines


def _cumulative_flow(figures: FlowFigures, currency: str) -> list[str]:
    flow = figures.charts.cumulative_flow
    weeks = flow.weeks[-FLOW_WEEKS:]
    columns = [*flow.stages, "done"]
    width = max(6, min(12, (WIDTH - 12) // max(1, len(columns))))
    lines = [
        f"Cumulative flow (reached each stage or beyond; done since {flow.since})",
        "  " + f"{'week':<10}" + "".join(f"{cell(name, width - 1):>{width}}" for name in columns),
    ]
    lines += [
        "  "
        + f"{week.week:<10}"
        + "".join(f"{count:>{width},}" for count in (*week.reached.values(), week.done))
        for week in weeks
    ]
    wip = figures.charts.wip_over_time
    stages = wip.stages
    lines += [
        "",
        f"WIP over time (open cards per stage at each week's end, last {len(weeks)} weeks)",
        "  " + f"{'week':<10}" + "".join(f"{cell(name, width - 1):>{width}}" for name in stages),
    ]
    lines += [
        "  " + f"{week.week:<10}" + "".join(f"{week.open[name]:>{width},}" for name in stages)
        for week in wip.weeks[-FLOW_WEEKS:]
    ]
    return lines


def _cleared(figures: FlowFigures, currency: str) -> list[str]:
    rows = figures.details.cleared_per_month
    lines = ["Cleared inventory (per month and rule)"]
    if not rows:
        return [*lines, "  nothing cleared in the period"]
    lines.append(f"  {'month':<9}{'rule':<50}{'cards':>7}{'value':>10}")
    lines += [
        f"  {row.month:<9}{cell(row.reason or '(no rule recorded)', 49)} {row.cards:>7,}"
        f"{format_money(row.value, currency):>10}"
        for row in rows
    ]
    return lines


def _touches(figures: FlowFigures, currency: str) -> list[str]:
    touches = figures.details.touches
    speed = figures.details.speed_to_lead
    lines = [f"Touches (target {touches.target} per card)"]
    for outcome, entry in (("won", touches.won), ("lost", touches.lost)):
        average = "—" if entry.average is None else f"{entry.average:.1f}"
        lines.append(
            f"  {outcome:<5} cards average {average:>5} touches ({counted(entry.cards, 'card')})"
        )
    lines += ["", "Speed to lead (arrival — pulled, else added — to first touch)"]
    if speed.touched:
        lines.append(
            f"  median {speed.p50_days} d · p85 {speed.p85_days} d"
            f" over {counted(speed.touched, 'touched lead')}"
        )
    else:
        lines.append("  no lead touched in the period yet")
    lines.append(f"  {speed.waiting:,} open in active stages still waiting for a first touch")
    lines += [
        f"  {row.id:>6}  {cell(row.title, 40)}  {cell(row.stage, 16)}{row.waiting_days:>6} d"
        for row in speed.longest_waiting
    ]
    return lines


def _forecast(figures: FlowFigures, currency: str) -> list[str]:
    forecast = figures.charts.forecast
    sample = forecast.sample_weeks
    expected = forecast.expected_to_close
    commit = (
        [f"  {expected.cards:,} expected to close by {expected.by} (their close-by dates)"]
        if expected.cards  # only boards whose cards carry expected close dates
        else []
    )
    wins, through = forecast.wins_by, forecast.open_through
    if not sample or wins is None or through is None:
        return ["Forecast", "  needs at least one complete week of history in the period", *commit]
    span = sample[0] if len(sample) == 1 else f"{sample[0]}…{sample[-1]}"
    lines = [
        f"Forecast (Monte Carlo, {forecast.runs:,} runs over {len(sample)} complete"
        f" week{'s' * (len(sample) != 1)}: {span})",
    ]
    lines.append(f"  wins by {wins.date} ({wins.weeks} weeks), at least:")
    lines.append(f"    50 % sure: {wins.c50:,} · 85 % sure: {wins.c85:,} · 95 % sure: {wins.c95:,}")
    never = f"not within {through.max_weeks} weeks"
    lines.append(f"  {counted(through.cards, 'open card')} closed (won, lost or cleared) by:")
    lines.append(
        "    "
        + " · ".join(
            f"{c} % sure: {day or never}"
            for c, day in ((50, through.c50), (85, through.c85), (95, through.c95))
        )
    )
    return [*lines, *commit]


def _wrap(text: str, indent: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and indent + len(line) + 1 + len(word) > WIDTH:
            lines.append(" " * indent + line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, " " * indent + line] if line else lines


def _fullness(count: int, limit: int | None) -> str:
    level = wip_level(count, limit)
    if level == "over":
        return f"  over by {over_by(count, limit):,}"
    return f"  {level}" if level else ""


COMMANDS = (stats,)
