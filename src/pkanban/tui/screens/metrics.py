"""`m`: the flow metrics — where the pipeline leaks and how long deals really take (DESIGN
idea 5).

Four charts drawn with plotext (throughput run chart, time to close scatter with its percentile
lines, aging work in progress against those lines, cumulative flow) and, on `t`, the same
numbers as tables for people who would rather read. The figures come from
`services.metrics` — the very figures `pkanban stats --json` prints — computed in two worker
threads, each on its own read connection, so the screen opens at once and never blocks: the
charts are drawn as soon as their figures are in, the tables once the rest are.
"""

import math
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from statistics import median
from typing import ClassVar

from plotext._utility import colors_to_ansi, no_color, space
from rich.ansi import AnsiDecoder
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.content import Content, Span
from textual.screen import Screen
from textual.style import Style
from textual.widgets import ContentSwitcher, DataTable, Static
from textual_plotext import PlotextPlot

from pkanban.services.metrics import chart_figures, detail_figures
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.text import display_line, plain
from pkanban.tui.widgets.key_footer import KeyFooter

PERCENTILES = ("p50", "p80", "p95")
CHART_WEEKS = 52
LINE_COLORS = {"p50": "green", "p80": "orange", "p95": "red"}
FLOW_COLORS = ("blue", "cyan", "green", "orange", "red", "magenta", "yellow", "white")
KINDS = ("won", "lost", "cleared")  # what throughput counts per week
FLOW_MARKERS = ("●", "■", "▲", "◆", "x", "+", "o", "*")
MIN_CHARTS_SIZE = (76, 22)
"""Columns and rows under which the four charts would overlap (they hide instead)."""
BLANK, NO_STYLE = space, no_color  # a plotext cell that shows nothing but its background


class FlowChart(PlotextPlot):
    """A plotext chart that is rebuilt only when its data, size or theme change: a build
    takes 10–60 ms, and Textual asks for a render far more often than that."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._version = 0
        self._cache: tuple[tuple, object] | None = None

    def on_unmount(self) -> None:
        """textual-plotext subscribes every plot to theme changes and never unsubscribes, and
        the subscription holds the plot: without this, each closed metrics screen would keep
        its four charts in memory, and every later garbage collection would walk them."""
        self.app.theme_changed_signal.unsubscribe(self)

    def redraw(self) -> None:
        """Show what was just plotted."""
        self._version += 1
        self.refresh()

    def render(self):
        key = (self._version, self.size, self.app.theme)
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, self._plotted())
        return self._cache[1]

    def _plotted(self) -> Content:
        """What `PlotextPlot.render` shows, without its detour through text: plotext would
        write the chart as ANSI codes for Rich to parse back, most of the time a chart takes;
        here plotext's character matrix becomes styled content directly."""
        plot = self.plt
        width, height = self.size
        plot.plotsize(width, height)
        plot._set_size(width, height)
        plot.theme(self._get_plotext_theme_name(self.app.theme))
        plot._set_sizes()
        plot._build_matrix()
        return matrix_content(plot.monitor.matrix, self.app.ansi_theme)


def matrix_content(matrix, ansi_theme) -> Content:
    """A plotext matrix as styled content: the characters and colours `Text.from_ansi` of its
    ANSI text would give, in as few spans as show the same thing. A blank cell's foreground
    colour is invisible, so a run of cells in one background takes in the blanks around its
    marks: a scatter of dots is a few spans a line, not one per dot and gap."""
    plain: list[str] = []
    spans: list[Span] = []
    offset = 0
    for row in reversed(matrix.Rows):
        markers = matrix.marker[row]
        cells = list(
            zip(
                markers,
                matrix.fullground[row],
                matrix.style[row],
                matrix.background[row],
                strict=True,
            )
        )
        start = 0
        while start < len(cells):
            _, _, style, background = cells[start]
            foreground = None  # any, while the run holds only blanks
            end = start
            while end < len(cells):
                marker, color, cell_style, cell_background = cells[end]
                if cell_style != style or cell_background != background:
                    break
                if marker != BLANK or style != NO_STYLE:
                    if foreground is not None and color != foreground:
                        break
                    foreground = color
                end += 1
            text = "".join(markers[start:end])
            colors = (cells[start][1] if foreground is None else foreground, style, background)
            shown = _cell_style(colors_to_ansi(*colors), ansi_theme)
            if shown is not None:
                spans.append(Span(offset, offset + len(text), shown))
            plain.append(text)
            offset += len(text)
            start = end
        plain.append("\n")
        offset += 1
    return Content("".join(plain), spans)


@lru_cache(maxsize=256)
def _cell_style(ansi: str, ansi_theme) -> Style | None:
    """The style Rich reads from `ansi` (a chart's few colours, each parsed once)."""
    rich_style = AnsiDecoder().decode_line(f"{ansi}x").spans
    return Style.from_rich_style(rich_style[0].style, ansi_theme) if rich_style else None


class MetricsScreen(Screen[None]):
    """Flow charts and their numbers, for the board as of `app.today`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,m", "close", "Board"),
        Binding("t", "toggle_view", "Tables/charts"),
        Binding("r", "recompute", "Recompute"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict | None = None
        self.figures: dict | None = None
        self._arrived: dict[str, dict] = {}  # this computation's halves, as they come in
        self.tables_shown: dict | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            f"pkanban · flow metrics · today {self.app.today.isoformat()}",
            id="metrics-title",
            markup=False,
        )
        yield Static("", id="metrics-summary", markup=False)
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
        self._arrived = {}
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

    def _figures(self, figures) -> dict | None:
        """`figures` of the board, or None once the user was told why they could not be had."""
        try:
            session = self.app.session.reopen()
            try:
                return session.run(figures, self.app.today)
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

    def show_charts(self, charts: dict) -> None:
        """Draw the summary and every chart (the tables wait for the rest of the figures)."""
        if not self.is_attached:  # closed while the worker was busy
            return
        self.charts = self._arrived["charts"] = charts
        self.query_one("#metrics-summary", Static).update(summary(charts))
        draw_throughput(self.query_one("#chart-throughput", FlowChart), charts)
        draw_time_to_close(self.query_one("#chart-time-to-close", FlowChart), charts)
        draw_aging(self.query_one("#chart-aging", FlowChart), charts)
        draw_flow(self.query_one("#chart-flow", FlowChart), charts)
        switcher = self.query_one("#metrics-view", ContentSwitcher)
        if switcher.current == "metrics-loading":
            switcher.current = self._charts_or_notice()
        self._show_figures()

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

    def show_details(self, details: dict) -> None:
        """The tables' figures are in (before or after the charts')."""
        if not self.is_attached:
            return
        self._arrived["details"] = details
        self._show_figures()

    def _show_figures(self) -> None:
        """Once every figure is in, the tables can be built (now if they are on screen)."""
        if len(self._arrived) < 2:
            return
        self.figures = {**self._arrived["charts"], **self._arrived["details"]}
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


def summary(figures: dict) -> Content:
    """Three lines above the charts: what is in flight, how it closes, what comes next."""
    close = figures["time_to_close_days"]
    rate = figures["win_rate"]
    wip = " · ".join(
        f"{plain(name)} {entry['count']}/{'—' if entry['limit'] is None else entry['limit']}"
        for name, entry in figures["wip"].items()
    )
    closing = (
        f"{close['n']} wins: p50 {close['p50']} d · p80 {close['p80']} d · p95 {close['p95']} d"
        if close["n"]
        else "no wins yet"
    )
    decided = figures["won"] + figures["lost"]
    win = "—" if rate is None else f"{rate * 100:.0f} % of {decided}"
    forecast = figures["forecast"]
    ahead = "forecast needs a complete week of history"
    if forecast["wins_by"] is not None:
        wins, through = forecast["wins_by"], forecast["open_through"]
        done = through["c85"] or f"not within {through['max_weeks']} weeks"
        ahead = (
            f"85 % sure: {wins['c85']}+ wins by {wins['date']} · "
            f"all {through['cards']} open cards through by {done}"
        )
    expected = forecast["expected_to_close"]
    if expected["cards"]:  # only boards whose cards carry expected close dates
        ahead += f" · {expected['cards']} expected to close by {expected['by']}"
    return Content.assemble(
        ("WIP now  ", "bold"),
        wip,
        "\n",
        ("Closing  ", "bold"),
        f"{closing} · win rate {win} · {figures['past_best_by']} open past best-by"
        f" ({figures['best_by_days']} d)",
        "\n",
        ("Ahead    ", "bold"),
        ahead,
    )


def _week_ticks(labels: list[str], most: int = 6) -> tuple[list[int], list[str]]:
    """A few evenly spaced week labels for an x axis that counts weeks."""
    if not labels:
        return [], []
    step = max(1, -(-len(labels) // most))
    positions = list(range(0, len(labels), step))
    return positions, [labels[n] for n in positions]


def draw_throughput(widget: FlowChart, figures: dict) -> None:
    """A run chart of the last year: cards won, lost and cleared per week, with the median of
    wins as its centre line (the table has every week)."""
    plt = widget.plt
    plt.clear_data()
    plt.clear_figure()
    weeks = figures["throughput_per_week"][-CHART_WEEKS:]
    won = [week["won"] for week in weeks]
    plt.title(f"Throughput per week · median {median(won):g} won")
    xs = list(range(len(weeks)))
    for kind, color, marker in (
        ("cleared", "gray", "·"),
        ("lost", "red", "x"),
        ("won", "green", "●"),
    ):
        plt.plot(xs, [week[kind] for week in weeks], label=kind, color=color, marker=marker)
    plt.hline(median(won), "green")
    positions, labels = _week_ticks([week["week"] for week in weeks])
    plt.xticks(positions, labels)
    plt.yticks(whole_ticks(max((week[kind] for week in weeks for kind in KINDS), default=0)))
    widget.redraw()


def draw_time_to_close(widget: FlowChart, figures: dict) -> None:
    """Each win's days from created to won against its close date, with the percentiles."""
    plt = widget.plt
    plt.clear_data()
    plt.clear_figure()
    points = figures["time_to_close_points"]
    close = figures["time_to_close_days"]
    shown = f"{close['n']}" if len(points) == close["n"] else f"last {len(points)} of {close['n']}"
    plt.title(f"Time to close · {shown} wins")
    if not points:
        widget.redraw()
        return
    first = date.fromisoformat(points[0]["closed"])
    xs = [(date.fromisoformat(point["closed"]) - first).days for point in points]
    _scatter(plt, zip(xs, (point["days"] for point in points), strict=True))
    for mark in PERCENTILES:
        plt.hline(close[mark], LINE_COLORS[mark])
        plt.text(f"{mark} {close[mark]}d", x=0, y=close[mark], color=LINE_COLORS[mark])
    span = max(xs) or 1
    ticks = sorted({0, span // 2, span})
    plt.xticks(ticks, [date.fromordinal(first.toordinal() + tick).isoformat() for tick in ticks])
    plt.xlabel("close date")
    plt.ylabel("days to close")
    plt.yticks(whole_ticks(max(max(point["days"] for point in points), close["p95"] or 0)))
    widget.redraw()


def draw_aging(widget: FlowChart, figures: dict) -> None:
    """Each open card's age by stage, against the time-to-close percentiles: a dot above the
    red line is older than 95 % of wins ever got."""
    plt = widget.plt
    plt.clear_data()
    plt.clear_figure()
    aging = figures["aging"]
    stages = figures["wip_over_time"]["stages"]
    close = figures["time_to_close_days"]
    plt.title(f"Aging WIP · {len(aging)} open")
    column = {name: n for n, name in enumerate(stages)}
    if aging:
        _scatter(
            plt,
            (
                (column.get(row["stage"], 0) + _spread(n), row["age_days"])
                for n, row in enumerate(aging)
            ),
        )
    for mark in PERCENTILES if close["n"] else ():
        plt.hline(close[mark], LINE_COLORS[mark])
        plt.text(
            f"{mark} {close[mark]}d",
            x=len(stages) - 0.5,
            y=close[mark],
            color=LINE_COLORS[mark],
            alignment="right",
        )
    plt.xticks(list(range(len(stages))), [display_line(name, 12) for name in stages])
    plt.xlim(-0.5, len(stages) - 0.5)
    plt.ylabel("age, days")
    oldest = max((row["age_days"] for row in aging), default=0)
    plt.yticks(whole_ticks(max(oldest, close["p95"] if close["n"] else 0)))
    widget.redraw()


def _scatter(plt, points: Iterable[tuple[float, int]]) -> None:
    """Blue dots at `points`, each place drawn once: thousands of cards share a few thousand
    places, and plotext's time grows with every point it is given."""
    places = dict.fromkeys(points)
    plt.scatter([x for x, _ in places], [y for _, y in places], color="blue", marker="dot")


def _spread(n: int) -> float:
    """A fixed sideways offset within a stage's column, so cards of the same age stay apart."""
    return ((n % 9) - 4) / 12


def draw_flow(widget: FlowChart, figures: dict) -> None:
    """The cumulative flow diagram: per week, the cards that had reached each stage or beyond,
    stacked with done (won, lost, cleared since the chart's start) at the bottom. The vertical
    gap between two lines is the cards in that stage, between the top line and done the WIP;
    the slope of done is throughput. (Lines, not filled areas: a fill costs plotext ten times
    as long.)"""
    plt = widget.plt
    plt.clear_data()
    plt.clear_figure()
    flow = figures["cumulative_flow"]
    weeks = flow["weeks"]
    stages = flow["stages"]
    plt.title("Cumulative flow · done at the bottom")
    if weeks and stages:
        xs = list(range(len(weeks)))
        for n in range(len(stages)):
            top = [week["reached"][stages[n]] for week in weeks]
            color = FLOW_COLORS[n % len(FLOW_COLORS)]
            marker = FLOW_MARKERS[n % len(FLOW_MARKERS)]  # shapes too: not only colours
            plt.plot(xs, top, label=display_line(stages[n], 14), color=color, marker=marker)
        done = [week["done"] for week in weeks]
        plt.plot(xs, done, label="done", color="gray", marker=FLOW_MARKERS[-1])
        positions, labels = _week_ticks([week["week"] for week in weeks])
        plt.xticks(positions, labels)
        plt.yticks(whole_ticks(max(max(week["reached"].values(), default=0) for week in weeks)))
    widget.redraw()


def whole_ticks(highest: float, most: int = 5) -> list[int]:
    """Axis ticks in whole units (days, cards) from 0 past `highest`: at most `most` of them,
    evenly spaced — plotext's own ticks fall on fractions such as 12.5 days."""
    step = max(1, math.ceil(highest / (most - 1)))
    return list(range(0, step * most, step))[: max(2, math.ceil(highest / step) + 1)]


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


def number_tables(figures: dict) -> list[tuple[str, DataTable]]:
    """The charts' numbers (and the figures no chart shows) as titled tables."""
    close = figures["time_to_close_days"]
    tables = [
        (
            "Time to close (created → won), days",
            _table(("wins", *PERCENTILES), [(close["n"], *(close[p] for p in PERCENTILES))]),
        ),
        (
            "Throughput per week",
            _table(
                ("week", "starts", "won", "lost", "cleared"),
                [
                    (w["week"], w["start"], w["won"], w["lost"], w["cleared"])
                    for w in reversed(figures["throughput_per_week"])
                ],
            ),
        ),
        (
            "Win rate by lane",
            _table(
                ("lane", "won", "lost", "rate"),
                [
                    (_name(row["lane"]), row["won"], row["lost"], _percent(row["win_rate"]))
                    for row in figures["win_rate_by_lane"]
                ],
            ),
        ),
        (
            "Lost reasons",
            _table(
                ("cards", "reason"),
                [(row["count"], _name(row["reason"])) for row in figures["lost_reasons"]],
            ),
        ),
        (
            "Aging work in progress (oldest first)",
            _table(
                ("id", "title", "stage", "age, days", "past"),
                [
                    (
                        row["id"],
                        _name(row["title"]),
                        _name(row["stage"]),
                        row["age_days"],
                        "" if row["past_percentile"] is None else f"p{row['past_percentile']}",
                    )
                    for row in sorted(figures["aging"], key=lambda row: -row["age_days"])
                ],
            ),
        ),
        (
            "Cumulative flow (cards that reached each stage or beyond by each week's end)",
            _table(
                ("week", *figures["cumulative_flow"]["stages"], "done"),
                [
                    (week["week"], *week["reached"].values(), week["done"])
                    for week in reversed(figures["cumulative_flow"]["weeks"])
                ],
            ),
        ),
        (
            "WIP over time (open cards per stage at each week's end)",
            _table(
                ("week", *figures["wip_over_time"]["stages"]),
                [
                    (week["week"], *week["open"].values())
                    for week in reversed(figures["wip_over_time"]["weeks"])
                ],
            ),
        ),
        (
            "Cleared inventory",
            _table(
                ("month", "rule", "cards", "value"),
                [
                    (row["month"], _name(row["reason"]), row["cards"], row["value"])
                    for row in figures["cleared_per_month"]
                ],
            ),
        ),
    ]
    touches, speed = figures["touches"], figures["speed_to_lead"]
    tables.append(
        (
            f"Touches (target {touches['target']}) and speed to lead",
            _table(
                ("figure", "value"),
                [
                    ("won cards, average touches", _average(touches["won"])),
                    ("lost cards, average touches", _average(touches["lost"])),
                    ("leads touched (arrival → first touch)", speed["touched"]),
                    ("median days to first touch", _dash(speed["p50_days"])),
                    ("85th percentile, days", _dash(speed["p85_days"])),
                    ("open, still waiting for a first touch", speed["waiting"]),
                ],
            ),
        )
    )
    forecast = figures["forecast"]
    if forecast["wins_by"] is not None:
        wins, through = forecast["wins_by"], forecast["open_through"]
        tables.append(
            (
                f"Forecast ({forecast['runs']:,} runs over {len(forecast['sample_weeks'])} weeks)",
                _table(
                    ("confidence", f"wins by {wins['date']}", f"{through['cards']} open through"),
                    [
                        (f"{c} %", f"{wins[f'c{c}']}+", through[f"c{c}"] or "later")
                        for c in (50, 85, 95)
                    ],
                ),
            )
        )
    return tables


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f} %"


def _dash(value) -> str:
    return "—" if value is None else str(value)


def _average(entry: dict) -> str:
    return "—" if entry["average"] is None else f"{entry['average']:.1f} ({entry['cards']})"
