"""`m`: the flow metrics — where the pipeline leaks and how long deals really take (DESIGN
idea 5).

Four charts (`tui.widgets.charts`: throughput run chart, time to close scatter with its
percentile lines, aging work in progress against those lines, cumulative flow) and, on `t`, the
same numbers as tables for people who would rather read. The figures come from
`services.metrics` — the very figures `pkanban stats --json` prints — computed in two worker
threads, each on its own read connection, so the screen opens at once and never blocks: the
charts are drawn as soon as their figures are in, the tables once the rest are.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Static

from pkanban.domain.metrics import percent_text
from pkanban.domain.text import counted
from pkanban.services.figures import ChartFigures, DetailFigures, FlowFigures, TouchAverage
from pkanban.services.metrics import chart_figures, detail_figures
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.text import plain
from pkanban.tui.widgets.charts import (
    FlowChart,
    draw_aging,
    draw_flow,
    draw_throughput,
    draw_time_to_close,
)
from pkanban.tui.widgets.hanging import HangingLine, HangingText
from pkanban.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from pkanban.tui.app import PkanbanApp

MIN_CHARTS_SIZE = (76, 34)
"""Columns and rows under which the four charts would overlap or mislead (they hide instead):
under 34 rows a chart has three or four rows to plot on, and plotext puts each value on the
nearest one — a p80 of 93 days drawn on the row labelled 0."""
Figures = TypeVar("Figures", ChartFigures, DetailFigures)


class MetricsScreen(Screen[None]):
    """Flow charts and their numbers, for the board as of `app.today`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,m", "close", "Board"),
        Binding("t", "toggle_view", "Tables/charts"),
        Binding("r", "recompute", "Recompute"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.charts: ChartFigures | None = None
        self.figures: FlowFigures | None = None
        # This computation's halves, as they come in.
        self._charts_in: ChartFigures | None = None
        self._details_in: DetailFigures | None = None
        self.tables_shown: FlowFigures | None = None

    @property
    def board(self) -> "PkanbanApp":
        """The app, with its board and working day (this screen runs only in `PkanbanApp`)."""
        return cast("PkanbanApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(
            f"pkanban · flow metrics · today {self.board.today.isoformat()}",
            id="metrics-title",
            markup=False,
        )
        yield HangingText(id="metrics-summary")
        with ContentSwitcher(initial="metrics-loading", id="metrics-view"):
            yield Static("Computing the flow figures…", id="metrics-loading", markup=False)
            yield Static(
                f"The charts need a terminal of at least {MIN_CHARTS_SIZE[0]}×{MIN_CHARTS_SIZE[1]}"
                " — enlarge it, or press t for the numbers",
                id="metrics-small",
                markup=False,
            )
            with Grid(id="metrics-charts"):
                for chart in ("throughput", "time-to-close", "aging", "flow"):
                    yield FlowChart(id=f"chart-{chart}")
            with VerticalScroll(id="metrics-tables"):
                yield Static("Computing the tables…", id="metrics-tables-pending", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.compute()

    def compute(self) -> None:
        """The charts' figures and the tables' at once, each in a thread on a read connection
        of its own: SQLite answers both side by side while the screen is drawn, and the
        charts show as soon as theirs are in."""
        self._charts_in = self._details_in = None
        self._compute_charts()
        self._compute_details()

    @work(thread=True, exclusive=True, group="metrics-charts")
    def _compute_charts(self) -> None:
        charts = self._figures(chart_figures)
        if charts is not None:
            self.app.call_from_thread(self.show_charts, charts)

    @work(thread=True, exclusive=True, group="metrics-details")
    def _compute_details(self) -> None:
        details = self._figures(detail_figures)
        if details is not None:
            self.app.call_from_thread(self.show_details, details)

    def _figures(self, figures: Callable[..., Figures]) -> Figures | None:
        """`figures` of the board, or None once the user was told why they could not be had."""
        try:
            session = self.board.session.reopen()
            try:
                return session.run(figures, self.board.today)
            finally:
                session.close()
        except SHOWN_ERRORS as error:
            self.app.call_from_thread(self._failed, sentence(error))
            return None

    def _failed(self, message: str) -> None:
        if not self.is_attached:
            return
        self.query_one("#metrics-loading", Static).update(Content(plain(message)))
        self.notify(plain(message), severity="error", markup=False)

    def show_charts(self, charts: ChartFigures) -> None:
        """Draw the summary and every chart (the tables wait for the rest of the figures)."""
        if not self.is_attached:  # closed while the worker was busy
            return
        self.charts = self._charts_in = charts
        self.query_one("#metrics-summary", HangingText).update(summary(charts))
        self._draw(charts)
        switcher = self.query_one("#metrics-view", ContentSwitcher)
        if switcher.current == "metrics-loading":
            switcher.current = self._charts_or_notice()
        self._show_figures()

    def _draw(self, charts: ChartFigures) -> None:
        """Draw the four charts for the terminal's size (their ticks and labels fit it)."""
        draw_throughput(self.query_one("#chart-throughput", FlowChart), charts)
        draw_time_to_close(self.query_one("#chart-time-to-close", FlowChart), charts)
        draw_aging(self.query_one("#chart-aging", FlowChart), charts)
        draw_flow(self.query_one("#chart-flow", FlowChart), charts)

    def _charts_or_notice(self) -> str:
        """Four charts in a terminal too small for them would draw over each other: they hide
        and a line says why, until the terminal is large enough again."""
        width, height = self.size
        small = width < MIN_CHARTS_SIZE[0] or height < MIN_CHARTS_SIZE[1]
        return "metrics-small" if small else "metrics-charts"

    def on_resize(self) -> None:
        switcher = self.query_one("#metrics-view", ContentSwitcher)
        if switcher.current in ("metrics-charts", "metrics-small"):
            switcher.current = self._charts_or_notice()
        if self.charts is not None:
            self._draw(self.charts)

    def show_details(self, details: DetailFigures) -> None:
        """The tables' figures are in (before or after the charts')."""
        if not self.is_attached:
            return
        self._details_in = details
        self._show_figures()

    def _show_figures(self) -> None:
        """Once every figure is in, the tables can be built (now if they are on screen)."""
        if self._charts_in is None or self._details_in is None:
            return
        self.figures = FlowFigures(self._charts_in, self._details_in)
        if self.query_one("#metrics-view", ContentSwitcher).current == "metrics-tables":
            self._fill_tables()

    def _fill_tables(self) -> None:
        """Build the tables when first shown (thousands of rows need not slow the charts)."""
        if self.figures is None or self.tables_shown is self.figures:
            return
        tables = self.query_one("#metrics-tables", VerticalScroll)
        tables.remove_children()
        for title, table in number_tables(self.figures):
            tables.mount(Static(title, classes="table-title", markup=False), table)
        self.tables_shown = self.figures

    def action_toggle_view(self) -> None:
        if self.charts is None:
            return
        switcher = self.query_one("#metrics-view", ContentSwitcher)
        switcher.current = (
            "metrics-tables"
            if switcher.current in ("metrics-charts", "metrics-small")
            else self._charts_or_notice()
        )
        if switcher.current == "metrics-tables":
            self._fill_tables()
            self.query_one("#metrics-tables", VerticalScroll).focus()

    def action_recompute(self) -> None:
        self.compute()

    def action_close(self) -> None:
        self.dismiss(None)


def summary(figures: ChartFigures) -> list[HangingLine]:
    """Three lines above the charts: what is in flight, how it closes, what comes next (each
    wraps under its own text, not under its label)."""
    close = figures.time_to_close_days
    rate = figures.win_rate
    wip = " · ".join(
        f"{plain(name)} {entry.count:,}/{'—' if entry.limit is None else f'{entry.limit:,}'}"
        for name, entry in figures.wip.items()
    )
    closing = (
        f"{counted(close.n, 'win')}: p50 {close.p50} d · p80 {close.p80} d · p95 {close.p95} d"
        if close.n
        else "no wins yet"
    )
    decided = figures.won + figures.lost
    win = "—" if rate is None else f"{rate * 100:.0f} % of {decided:,}"
    forecast = figures.forecast
    ahead = "forecast needs a complete week of history"
    wins, through = forecast.wins_by, forecast.open_through
    if wins is not None and through is not None:
        done = through.c85 or f"not within {through.max_weeks} weeks"
        ahead = (
            f"85 % sure: {wins.c85:,}+ wins by {wins.date} · "
            f"all {counted(through.cards, 'open card')} through by {done}"
        )
    expected = forecast.expected_to_close
    if expected.cards:  # only boards whose cards carry expected close dates
        ahead += f" · {expected.cards:,} expected to close by {expected.by}"
    return [
        (Content.styled("WIP now  ", "bold"), wip),
        (
            Content.styled("Closing  ", "bold"),
            f"{closing} · win rate {win} · {figures.past_best_by:,} open past best-by"
            f" ({figures.best_by_days} d)",
        ),
        (Content.styled("Ahead    ", "bold"), ahead),
    ]


def _table(columns: tuple[str, ...], rows: list[tuple]) -> DataTable:
    """A read-only table; every cell is `Text`, so names and reasons are never markup."""
    table: DataTable = DataTable(show_cursor=False, zebra_stripes=True)
    table.can_focus = False  # the page scrolls as one; a table never holds the keys
    table.add_columns(*columns)
    for row in rows:
        table.add_row(*(cell if isinstance(cell, Text) else Text(str(cell)) for cell in row))
    return table


def _name(text: str) -> Text:
    return Text(plain(text))


def number_tables(figures: FlowFigures) -> list[tuple[str, DataTable]]:
    """The charts' numbers (and the figures no chart shows) as titled tables."""
    charts, details = figures.charts, figures.details
    close = charts.time_to_close_days
    marks = close.marks()
    tables = [
        (
            "Time to close (created → won), days",
            _table(("wins", *(name for name, _ in marks)), [(close.n, *(d for _, d in marks))]),
        ),
        (
            "Throughput per week",
            _table(
                ("week", "starts", "won", "lost", "cleared"),
                [
                    (w.week, w.start.isoformat(), w.won, w.lost, w.cleared)
                    for w in reversed(charts.throughput_per_week)
                ],
            ),
        ),
        (
            "Win rate by lane",
            _table(
                ("lane", "won", "lost", "rate"),
                [
                    (_name(row.lane), row.won, row.lost, percent_text(row.win_rate))
                    for row in details.win_rate_by_lane
                ],
            ),
        ),
        (
            "Lost reasons",
            _table(
                ("cards", "reason"),
                [(row.count, _name(row.reason)) for row in details.lost_reasons],
            ),
        ),
        (
            "Aging work in progress (oldest first)",
            _table(
                ("id", "title", "stage", "age, days", "past"),
                [
                    (
                        row.id,
                        _name(row.title),
                        _name(row.stage),
                        row.age_days,
                        "" if row.past_percentile is None else f"p{row.past_percentile}",
                    )
                    for row in sorted(charts.aging, key=lambda row: -row.age_days)
                ],
            ),
        ),
        (
            "Cumulative flow (cards that reached each stage or beyond by each week's end)",
            _table(
                ("week", *charts.cumulative_flow.stages, "done"),
                [
                    (week.week, *week.reached.values(), week.done)
                    for week in reversed(charts.cumulative_flow.weeks)
                ],
            ),
        ),
        (
            "WIP over time (open cards per stage at each week's end)",
            _table(
                ("week", *charts.wip_over_time.stages),
                [(week.week, *week.open.values()) for week in reversed(charts.wip_over_time.weeks)],
            ),
        ),
        (
            "Cleared inventory",
            _table(
                ("month", "rule", "cards", "value"),
                [
                    (row.month, _name(row.reason or "(no rule recorded)"), row.cards, row.value)
                    for row in details.cleared_per_month
                ],
            ),
        ),
    ]
    touches, speed = details.touches, details.speed_to_lead
    tables.append(
        (
            f"Touches (target {touches.target}) and speed to lead",
            _table(
                ("figure", "value"),
                [
                    ("won cards, average touches", _average(touches.won)),
                    ("lost cards, average touches", _average(touches.lost)),
                    ("leads touched (arrival → first touch)", speed.touched),
                    ("median days to first touch", _dash(speed.p50_days)),
                    ("85th percentile, days", _dash(speed.p85_days)),
                    ("open, still waiting for a first touch", speed.waiting),
                ],
            ),
        )
    )
    forecast = charts.forecast
    wins, through = forecast.wins_by, forecast.open_through
    if wins is not None and through is not None:
        tables.append(
            (
                f"Forecast ({forecast.runs:,} runs over {len(forecast.sample_weeks)} weeks)",
                _table(
                    ("confidence", f"wins by {wins.date}", f"{through.cards:,} open through"),
                    [
                        (f"{c} %", f"{count:,}+", day or "later")
                        for c, count, day in (
                            (50, wins.c50, through.c50),
                            (85, wins.c85, through.c85),
                            (95, wins.c95, through.c95),
                        )
                    ],
                ),
            )
        )
    return tables


def _dash(value: int | None) -> str:
    return "—" if value is None else str(value)


def _average(entry: TouchAverage) -> str:
    return "—" if entry.average is None else f"{entry.average:.1f} ({entry.cards})"
