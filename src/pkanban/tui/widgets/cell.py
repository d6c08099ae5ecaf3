"""One stage × lane cell of the board, drawn with the Line API.

The board never mounts a widget per card: each cell is one widget that receives the window of
cards that fits (a `CellWindow`, fetched by the screen from SQLite) and draws those cards as
lines. A cell holding 10,000 leads costs the same as one holding ten: the rest is a count on
the status line (`… 9,980 more`), and moving the selection fetches the next window.
"""

from dataclasses import dataclass
from datetime import date
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
    cell. Textual restyles each component class of each widget on every style pass; carried by
    fifteen cells, that cost ~30 ms of the board's start-up. Hidden, and placed where its
    ancestors give it the same colours as a cell's (`BoardScreen.compose`)."""

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


class Cell(Widget):
    """A stage × lane cell; posts `Cell.Clicked` with the card index under the mouse."""

    class Clicked(Message):
        """A click on a card (`index` within the cell) or on the cell's empty space (None)."""

        def __init__(self, cell: "Cell", index: int | None, chain: int) -> None:
            super().__init__()
            self.cell = cell
            self.index = index
            self.chain = chain

    def __init__(
        self, lane_id: int, stage_id: int, palette: CellPalette, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.lane_id = lane_id
        self.stage_id = stage_id
        self.palette = palette
        self.window: CellWindow | None = None
        self._strips: list[Strip] | None = None
        self._strips_width = 0

    def show(self, window: CellWindow) -> None:
        """Draw `window`; nothing is redrawn when it equals what is shown."""
        if window == self.window:
            return
        self.window = window
        self._strips = None
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        # The lines are keyed on the width, checked once a frame. Clearing them on `Resize` was
        # too late: that message arrives after the first frame at the new size, which then
        # showed the wider lines cropped instead of ellipsized.
        width = self.size.width
        if width != self._strips_width:
            self._strips, self._strips_width = None, width
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        if self._strips is None:
            self._strips = self._render_strips()
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.visual_style.rich_style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None

    def on_click(self, event: events.Click) -> None:
        event.stop()
        window = self.window
        index = None
        if window is not None and window.cards:
            row = event.y // window.card_height
            if event.y >= 0 and row < len(window.cards):
                index = window.offset + row
        self.post_message(self.Clicked(self, index, event.chain))

    def _render_strips(self) -> list[Strip]:
        window = self.window
        width = self.size.width
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
            strips.append(self._strip([(self._status(window, text_width), "more")], width))
        return strips

    def _status(self, window: CellWindow, width: int) -> str:
        """The hidden cards' count, in the longest wording that fits (a narrow column would
        otherwise cut `… 1,588 more` to `… 1,588 mo`)."""
        below, above = window.hidden_below, window.hidden_above
        if above:
            wordings = (f"↑ {above:,} above · ↓ {below:,} more", f"↑{above:,} ↓{below:,}")
        else:
            wordings = (f"… {below:,} more", f"… {below:,}")
        return next((said for said in wordings if len(said) <= width), f"↓{below:,}")

    def _strip(self, parts: list[tuple[str, str]], width: int, *, selected: bool = False) -> Strip:
        """One line: the cursor mark, then the parts in their roles' styles, padded to width."""
        style = self.palette.line_style
        cursor = (CURSOR_MARK, "cursor") if selected else (" ", "")
        segments = [Segment(text, style(role, selected)) for text, role in (cursor, *parts) if text]
        return Strip(segments).adjust_cell_length(width, style("", selected))
