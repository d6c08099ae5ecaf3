"""The board's stage × lane cells, drawn with the Line API: one widget per lane.

The board never mounts a widget per card: each cell receives the window of cards that fits (a
`CellWindow`, fetched by the screen from SQLite) and draws those cards as lines. A cell holding
10,000 leads costs the same as one holding ten: the rest is a count on the status line
(`… 9,980 more`), and moving the selection fetches the next window.
"""

from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from pkanban.services.views import CardView
from pkanban.tui.widgets.card import card_lines

CURSOR_MARK = "▌"
SEPARATOR = "▕"
"""What each cell's right edge draws, in `$separator` (the stage headers' `vkey` border)."""


@dataclass(frozen=True)
class CellWindow:
    """What a cell shows: `cards` are the visible ones, starting at `offset` of `total`."""

    cards: tuple[CardView, ...]
    offset: int
    total: int
    selected: int | None
    card_height: int
    touch_target: int
    currency: str
    today: date

    @property
    def hidden_above(self) -> int:
        return self.offset

    @property
    def hidden_below(self) -> int:
        return max(0, self.total - self.offset - len(self.cards))


class CellPalette(Widget):
    """The cells' styles by role (`cell--title`, `cell--badge-stale` …), resolved once for every
    lane. Textual restyles each component class of each widget on every style pass; carried by
    fifteen cells, that cost ~30 ms of the board's start-up. Hidden, and placed where its
    ancestors give it the same colours as a lane's cells (`BoardGrid.compose`)."""

    DEFAULT_CSS = "CellPalette { display: none; }"
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "cell--selected",
        "cell--cursor",
        "cell--title",
        "cell--value",
        "cell--blocked",
        "cell--badge-fresh",
        "cell--badge-ripening",
        "cell--badge-stale",
        "cell--badge-expired",
        "cell--touches",
        "cell--touches-done",
        "cell--due",
        "cell--due-today",
        "cell--due-overdue",
        "cell--more",
        "cell--empty",
        "cell--separator",
    }

    def __init__(self) -> None:
        super().__init__()
        self._line_styles: dict[tuple[str, bool], RichStyle] = {}

    def line_style(self, role: str, selected: bool) -> RichStyle:
        """A cell line's style (selected or not) with the role's style on top, as `Content`
        would combine them; cached until the stylesheet or theme changes."""
        key = (role, selected)
        style = self._line_styles.get(key)
        if style is None:
            visual = self.get_visual_style("cell--selected") if selected else self.visual_style
            if role:
                visual = visual + self.get_visual_style(f"cell--{role}", partial=True)
            style = self._line_styles[key] = visual.rich_style
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_styles.clear()


def column_spans(width: int, count: int) -> list[tuple[int, int]]:
    """Each of `count` columns' (x, width) across `width`: the split Textual gives `count`
    widgets of `width: 1fr` side by side, so each column stays under its stage's header —
    wherever a header fits at all (3 columns: below that the headers overflow the screen)."""
    if count <= 0:
        return []
    edges = [index * width // count for index in range(count + 1)]
    return [(left, right - left) for left, right in pairwise(edges)]


class LaneCells(Widget):
    """A lane's cells, one column per stage, drawn by one widget; posts `LaneCells.Clicked`.

    A widget per cell cost Textual's styling, layout and compositing fifteen times over, and the
    compositor cut every line of the board at each cell's edge (about half the strips Textual
    made were those cuts): drawing a lane's cells together took 17–20 ms off the board's first
    paint (README, Performance). Each column is kept as lines of its own (`CellWindow` →
    strips), joined per line with the separator that each cell's right border used to draw."""

    class Clicked(Message):
        """A click on a card (`index` within its cell) or on a cell's empty space (None)."""

        def __init__(self, lane_id: int, stage_id: int, index: int | None, chain: int) -> None:
            super().__init__()
            self.lane_id = lane_id
            self.stage_id = stage_id
            self.index = index
            self.chain = chain

    def __init__(
        self, lane_id: int, stage_ids: list[int], palette: CellPalette, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.lane_id = lane_id
        self.stage_ids = tuple(stage_ids)
        self.palette = palette
        self.windows: dict[int, CellWindow | None] = dict.fromkeys(self.stage_ids)
        self._columns: dict[int, tuple[int, int]] = {}
        self._column_lines: dict[int, list[Strip]] = {}
        self._fitted_width = -1

    def show(self, stage_id: int, window: CellWindow) -> None:
        """Draw `window` in its stage's column; nothing is redrawn when it equals what is shown."""
        if window == self.windows[stage_id]:
            return
        self.windows[stage_id] = window
        self._column_lines.pop(stage_id, None)
        column = self._columns.get(stage_id)
        if column is None or self._fitted_width != self.size.width:
            self.refresh()
        else:
            self.refresh(Region(column[0], 0, column[1], self.size.height))

    def _fit_columns(self) -> None:
        """The columns and their lines are keyed on the width, checked wherever a line is drawn
        or a click read. Clearing them on `Resize` was too late: that message arrives after the
        first frame at the new size, which then showed the wider lines cropped instead of
        ellipsized."""
        width = self.size.width
        if width != self._fitted_width:
            spans = column_spans(width, len(self.stage_ids))
            self._columns = dict(zip(self.stage_ids, spans, strict=True))
            self._column_lines.clear()
            self._fitted_width = width

    def render_line(self, y: int) -> Strip:
        self._fit_columns()
        style = self.palette.line_style
        blank, separator = style("", False), style("separator", False)
        segments: list[Segment] = []
        for stage_id in self.stage_ids:
            width = self._columns[stage_id][1]
            if width <= 0:
                continue
            lines = self._lines(stage_id, width - len(SEPARATOR))
            if y < len(lines):
                segments.extend(lines[y])
            elif width > len(SEPARATOR):
                segments.append(Segment(" " * (width - len(SEPARATOR)), blank))
            segments.append(Segment(SEPARATOR, separator))
        return Strip(segments, self.size.width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._column_lines.clear()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self._fit_columns()
        stage_id = next(
            (stage for stage, (x, width) in self._columns.items() if x <= event.x < x + width),
            None,
        )
        if stage_id is None:
            return
        window = self.windows[stage_id]
        index = None
        if window is not None and window.cards:
            row = event.y // window.card_height
            if event.y >= 0 and row < len(window.cards):
                index = window.offset + row
        self.post_message(self.Clicked(self.lane_id, stage_id, index, event.chain))

    def _lines(self, stage_id: int, width: int) -> list[Strip]:
        lines = self._column_lines.get(stage_id)
        if lines is None:
            lines = self._column_lines[stage_id] = self._render_column(
                self.windows[stage_id], width
            )
        return lines

    def _render_column(self, window: CellWindow | None, width: int) -> list[Strip]:
        """One cell's lines, `width` columns each (its separator is added by `render_line`)."""
        if window is None or width <= 0:
            return []
        strips: list[Strip] = []
        text_width = width - len(CURSOR_MARK)
        for position, view in enumerate(window.cards):
            selected = window.selected == window.offset + position
            lines = card_lines(
                view,
                text_width,
                window.card_height,
                window.touch_target,
                window.currency,
                window.today,
            )
            for line in lines:
                strips.append(self._strip(line, width, selected=selected))
        if not window.cards:
            mark = "(empty)" if window.selected is not None else ""
            strips.append(
                self._strip([(mark, "empty")], width, selected=window.selected is not None)
            )
        if window.hidden_above or window.hidden_below:
            strips.append(self._strip([(status_line(window, text_width), "more")], width))
        return strips

    def _strip(self, parts: list[tuple[str, str]], width: int, *, selected: bool = False) -> Strip:
        """One line: the cursor mark, then the parts in their roles' styles, padded to width."""
        style = self.palette.line_style
        cursor = (CURSOR_MARK, "cursor") if selected else (" ", "")
        segments = [Segment(text, style(role, selected)) for text, role in (cursor, *parts) if text]
        return Strip(segments).adjust_cell_length(width, style("", selected))


def status_line(window: CellWindow, width: int) -> str:
    """The hidden cards' count, in the longest wording that fits (a narrow column would
    otherwise cut `… 1,588 more` to `… 1,588 mo`)."""
    below, above = window.hidden_below, window.hidden_above
    if above:
        wordings = (f"↑ {above:,} above · ↓ {below:,} more", f"↑{above:,} ↓{below:,}")
    else:
        wordings = (f"… {below:,} more", f"… {below:,}")
    return next((said for said in wordings if len(said) <= width), f"↓{below:,}")
