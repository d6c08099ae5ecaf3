"""The metrics screen's four charts, drawn with plotext from the typed flow figures: the
throughput run chart, time to close against its percentile lines, aging work in progress
against those lines, and the cumulative flow diagram.

`FlowChart` draws plotext's character matrix (read through `plotext_adapter`) as styled
content instead of parsing plotext's ANSI text back, and redraws only when its data, size or
theme change.
"""

import math
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from statistics import median

from rich.ansi import AnsiDecoder
from rich.style import Style as RichStyle
from rich.terminal_theme import TerminalTheme
from textual.content import Content, Span
from textual.geometry import Size
from textual.style import Style
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

from pkanban.domain.text import counted
from pkanban.services.figures import ChartFigures
from pkanban.tui.text import display_line
from pkanban.tui.widgets.plotext_adapter import BLANK, NO_STYLE, MatrixRow, ansi, draw_matrix

CHART_WEEKS = 52
LINE_COLORS = {"p50": "green", "p80": "orange", "p95": "red"}
FLOW_COLORS = ("blue", "cyan", "green", "orange", "red", "magenta", "yellow", "white")
FLOW_MARKERS = ("●", "■", "▲", "◆", "x", "+", "o", "*")


class FlowChart(PlotextPlot):
    """A plotext chart that is rebuilt only when its data, size or theme change: a build
    takes 10–60 ms, and Textual asks for a render far more often than that."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._version = 0
        self._cache: tuple[tuple[int, Size, str], Content] | None = None

    def on_unmount(self) -> None:
        """textual-plotext subscribes every plot to theme changes and never unsubscribes, and
        the subscription holds the plot: without this, each closed metrics screen would keep
        its four charts in memory, and every later garbage collection would walk them."""
        self.app.theme_changed_signal.unsubscribe(self)

    def redraw(self) -> None:
        """Show what was just plotted."""
        self._version += 1
        self.refresh()

    def render(self) -> Content:
        key = (self._version, self.size, self.app.theme)
        if self._cache is None or self._cache[0] != key:
            width, height = self.size
            rows = draw_matrix(self, width, height, self.app.theme)
            self._cache = (key, matrix_content(rows, self.app.ansi_theme))
        return self._cache[1]


def matrix_content(rows: Iterable[MatrixRow], ansi_theme: TerminalTheme) -> Content:
    """A plotext matrix as styled content: the characters and colours `Text.from_ansi` of its
    ANSI text would give, in as few spans as show the same thing. A blank cell's foreground
    colour is invisible, so a run of cells in one background takes in the blanks around its
    marks: a scatter of dots is a few spans a line, not one per dot and gap."""
    plain: list[str] = []
    spans: list[Span] = []
    offset = 0
    for row in rows:
        markers = row.markers
        cells = list(zip(markers, row.foregrounds, row.styles, row.backgrounds, strict=True))
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
            shown = _cell_style(ansi(*colors), ansi_theme)
            if shown is not None:
                spans.append(Span(offset, offset + len(text), shown))
            plain.append(text)
            offset += len(text)
            start = end
        plain.append("\n")
        offset += 1
    return Content("".join(plain), spans)


@lru_cache(maxsize=256)
def _cell_style(code: str, ansi_theme: TerminalTheme) -> Style | None:
    """The style Rich reads from `code` (a chart's few colours, each parsed once)."""
    spans = AnsiDecoder().decode_line(f"{code}x").spans
    if not spans:
        return None
    found = spans[0].style
    return Style.from_rich_style(
        RichStyle.parse(found) if isinstance(found, str) else found, ansi_theme
    )


def _week_ticks(labels: list[str], most: int = 6) -> tuple[list[float], list[str]]:
    """A few evenly spaced week labels for an x axis that counts weeks."""
    if not labels:
        return [], []
    step = max(1, -(-len(labels) // most))
    positions = range(0, len(labels), step)
    return [n for n in positions], [labels[n] for n in positions]


def draw_throughput(widget: FlowChart, figures: ChartFigures) -> None:
    """A run chart of the last year: cards won, lost and cleared per week, with the median of
    wins as its centre line (the table has every week)."""
    plt = widget.plt
    plt.clear_data()
    plt.clear_figure()
    weeks = figures.throughput_per_week[-CHART_WEEKS:]
    won = [week.won for week in weeks]
    plt.title(f"Throughput per week · median {median(won):,g} won")
    xs = list(range(len(weeks)))
    for kind, color, marker in (
        ("cleared", "gray", "·"),
        ("lost", "red", "x"),
        ("won", "green", "●"),
    ):
        plt.plot(xs, [week.count(kind) for week in weeks], label=kind, color=color, marker=marker)
    plt.hline(median(won), "green")
    positions, labels = _week_ticks([week.week for week in weeks])
    plt.xticks(positions, labels)
    highest = max((max(week.won, week.lost, week.cleared) for week in weeks), default=0)
    plt.yticks(whole_ticks(highest))
    widget.redraw()


def draw_time_to_close(widget: FlowChart, figures: ChartFigures) -> None:
    """Each win's days from created to won against its close date, with the percentiles."""
    plt = widget.plt
    plt.clear_data()
    plt.clear_figure()
    points = figures.time_to_close_points
    close = figures.time_to_close_days
    shown = counted(close.n, "win")
    if len(points) != close.n:
        shown = f"last {len(points):,} of {shown}"
    plt.title(f"Time to close · {shown}")
    if not points:
        widget.redraw()
        return
    first = points[0].closed
    xs = [(point.closed - first).days for point in points]
    _scatter(plt, zip(xs, (point.days for point in points), strict=True))
    for mark, days in close.marks():
        if days is None:
            continue
        plt.hline(days, LINE_COLORS[mark])
        plt.text(f"{mark} {days}d", x=0, y=days, color=LINE_COLORS[mark])
    span = max(xs) or 1
    ticks: list[float] = [*sorted({0, span // 2, span})]
    days_in = [date.fromordinal(first.toordinal() + int(tick)).isoformat() for tick in ticks]
    plt.xticks(ticks, days_in)
    plt.xlabel("close date")
    plt.ylabel("days to close")
    plt.yticks(whole_ticks(max(max(point.days for point in points), close.p95 or 0)))
    widget.redraw()


def draw_aging(widget: FlowChart, figures: ChartFigures) -> None:
    """Each open card's age by stage, against the time-to-close percentiles: a dot above the
    red line is older than 95 % of wins ever got."""
    plt = widget.plt
    plt.clear_data()
    plt.clear_figure()
    aging = figures.aging
    stages = figures.wip_over_time.stages
    close = figures.time_to_close_days
    plt.title(f"Aging WIP · {len(aging):,} open")
    column = {name: n for n, name in enumerate(stages)}
    if aging:
        _scatter(
            plt,
            ((column.get(row.stage, 0) + _spread(n), row.age_days) for n, row in enumerate(aging)),
        )
    for mark, days in close.marks():
        if days is None:  # no wins yet
            continue
        plt.hline(days, LINE_COLORS[mark])
        plt.text(
            f"{mark} {days}d",
            x=len(stages) - 0.5,
            y=days,
            color=LINE_COLORS[mark],
            alignment="right",
        )
    # Each stage's name in its own column's width: longer names overran their neighbours and
    # plotext dropped or shifted them (a narrow terminal showed `Discovery` under Contacted).
    room = max(3, min(12, widget.app.size.width // 2 // max(1, len(stages)) - 2))
    plt.xticks([n for n in range(len(stages))], [display_line(name, room) for name in stages])
    plt.xlim(-0.5, len(stages) - 0.5)
    plt.ylabel("age, days")
    oldest = max((row.age_days for row in aging), default=0)
    plt.yticks(whole_ticks(max(oldest, (close.p95 or 0) if close.n else 0)))
    widget.redraw()


def _scatter(plt: Plot, points: Iterable[tuple[float, int]]) -> None:
    """Blue dots at `points`, each place drawn once: thousands of cards share a few thousand
    places, and plotext's time grows with every point it is given."""
    places = dict.fromkeys(points)
    plt.scatter([x for x, _ in places], [y for _, y in places], color="blue", marker="dot")


def _spread(n: int) -> float:
    """A fixed sideways offset within a stage's column, so cards of the same age stay apart."""
    return ((n % 9) - 4) / 12


def draw_flow(widget: FlowChart, figures: ChartFigures) -> None:
    """The cumulative flow diagram: per week, the cards that had reached each stage or beyond,
    stacked with done (won, lost, cleared since the chart's start) at the bottom. The vertical
    gap between two lines is the cards in that stage, between the top line and done the WIP;
    the slope of done is throughput. (Lines, not filled areas: a fill costs plotext ten times
    as long.)"""
    plt = widget.plt
    plt.clear_data()
    plt.clear_figure()
    flow = figures.cumulative_flow
    weeks = flow.weeks
    stages = flow.stages
    plt.title("Cumulative flow · done at the bottom")
    if weeks and stages:
        xs = list(range(len(weeks)))
        for n in range(len(stages)):
            top = [week.reached[stages[n]] for week in weeks]
            color = FLOW_COLORS[n % len(FLOW_COLORS)]
            marker = FLOW_MARKERS[n % len(FLOW_MARKERS)]  # shapes too: not only colours
            plt.plot(xs, top, label=display_line(stages[n], 14), color=color, marker=marker)
        done = [week.done for week in weeks]
        plt.plot(xs, done, label="done", color="gray", marker=FLOW_MARKERS[-1])
        positions, labels = _week_ticks([week.week for week in weeks])
        plt.xticks(positions, labels)
        plt.yticks(whole_ticks(max(max(week.reached.values(), default=0) for week in weeks)))
    widget.redraw()


def whole_ticks(highest: float, most: int = 5) -> list[float]:
    """Axis ticks in whole units (days, cards) from 0 past `highest`: at most `most` of them,
    evenly spaced — plotext's own ticks fall on fractions such as 12.5 days."""
    step = max(1, math.ceil(highest / (most - 1)))
    count = min(most, max(2, math.ceil(highest / step) + 1))
    return [step * n for n in range(count)]
